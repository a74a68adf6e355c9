package io.ocireg.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What {@link Main} was asked to do. Options come from, in increasing precedence: the defaults, the
 * YAML config file ({@code --config} or {@code OCIREG_CONFIG}), the environment, the flags.
 */
sealed interface CommandLine {
  String CONFIG_FLAG = "--config";
  String CONFIG_ENV = "OCIREG_CONFIG";

  /** Print the usage. */
  record Help() implements CommandLine {}

  /** Print the version. */
  record Version() implements CommandLine {}

  /** Run a server with these options. */
  record Run(ServerOptions options) implements CommandLine {}

  /** A bad flag, variable, file or value; the message is one line for the operator. */
  final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The defaults of the standalone server: every address, port 5000, ./registry-data. */
  static ServerOptions mainDefaults() {
    return ServerOptions.defaults()
        .withBind("0.0.0.0")
        .withPort(5000)
        .withStorageDirectory(Path.of("registry-data").toAbsolutePath());
  }

  static CommandLine parse(List<String> args, Map<String, String> env) throws UsageException {
    Map<Setting, String> flags = new LinkedHashMap<>();
    String configFile = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Help();
      }
      if (arg.equals("--version") || arg.equals("-V")) {
        return new Version();
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "' (see --help)");
      }
      Setting negated = Setting.byNegation(arg);
      if (negated != null) {
        flags.put(negated, "false");
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (Setting.byNegation(name) != null) {
        throw new UsageException("option " + name + " takes no value (see --help)");
      }
      Setting setting = Setting.byFlag(name);
      if (setting == null && !name.equals(CONFIG_FLAG)) {
        throw new UsageException("unknown option " + name + " (see --help)");
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw new UsageException("option " + name + " needs a value (see --help)");
      }
      if (setting == null) {
        configFile = value;
      } else if (setting.separator() != null && flags.containsKey(setting)) {
        flags.put(setting, flags.get(setting) + setting.separator() + value);
      } else {
        flags.put(setting, value);
      }
    }
    if (configFile == null) {
      configFile = env.get(CONFIG_ENV);
    }

    ServerOptions options = mainDefaults();
    if (configFile != null && !configFile.isBlank()) {
      Path file = Path.of(configFile);
      for (Map.Entry<Setting, String> e : readConfig(file).entrySet()) {
        options =
            apply(options, e.getKey(), e.getValue(), "config file " + file + ": " + e.getKey().key);
      }
    }
    for (Setting s : Setting.values()) {
      String value = env.get(s.env);
      if (value != null) {
        options = apply(options, s, value, "environment variable " + s.env);
      }
    }
    for (Map.Entry<Setting, String> e : flags.entrySet()) {
      options = apply(options, e.getKey(), e.getValue(), "option " + e.getKey().flag);
    }
    return new Run(options);
  }

  private static ServerOptions apply(ServerOptions o, Setting s, String value, String source)
      throws UsageException {
    try {
      return s.apply(o, value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("invalid " + source + ": " + e.getMessage());
    }
  }

  /** The settings of a flat YAML map such as {@code port: 5000}; unknown keys are errors. */
  static Map<Setting, String> readConfig(Path file) throws UsageException {
    Object doc;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + file + ": " + e);
    } catch (YAMLException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new UsageException("config file " + file + " is not valid YAML: " + why);
    }
    Map<Setting, String> settings = new LinkedHashMap<>();
    if (doc == null) {
      return settings;
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new UsageException(
          "config file " + file + " must be a map of keys such as 'port: 5000'");
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      Setting s = Setting.byKey(key);
      if (s == null) {
        unknown.add(key);
        continue;
      }
      Object v = e.getValue();
      if (s.separator() != null && (v instanceof List<?> || v instanceof Map<?, ?>)) {
        settings.put(s, structured(file, s, v));
        continue;
      }
      if (v instanceof Map<?, ?> || v instanceof List<?> || v == null) {
        throw new UsageException("config file " + file + ": " + key + " must be a single value");
      }
      settings.put(s, String.valueOf(v));
    }
    if (!unknown.isEmpty()) {
      throw new UsageException(
          "config file "
              + file
              + ": unknown key "
              + String.join(", ", unknown)
              + " (known: "
              + Arrays.stream(Setting.values()).map(s -> s.key).collect(Collectors.joining(", "))
              + ")");
    }
    return settings;
  }

  /**
   * The value of a repeatable setting given as a YAML list or map: {@code access} is a list of
   * rules, each a string {@code "SUBJECT PATTERN ACTIONS"} or a map {@code {subject, repositories,
   * actions}} (actions a list or a comma-separated string); {@code groups} is a map of group names
   * to lists of users; other keys are lists of strings.
   */
  private static String structured(Path file, Setting s, Object v) throws UsageException {
    List<String> items = new ArrayList<>();
    if (v instanceof Map<?, ?> map) {
      if (s != Setting.GROUP) {
        throw new UsageException("config file " + file + ": " + s.key + " must be a list");
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        items.add(e.getKey() + "=" + joined(e.getValue()));
      }
    } else {
      for (Object item : (List<?>) v) {
        if (item instanceof Map<?, ?> rule && s == Setting.ACCESS_RULE) {
          Object subject = rule.get("subject");
          Object repositories = rule.get("repositories");
          Object actions = rule.get("actions");
          if (subject == null || repositories == null || actions == null) {
            throw new UsageException(
                "config file "
                    + file
                    + ": an access rule has subject, repositories and actions: "
                    + rule);
          }
          items.add(subject + " " + repositories + " " + joined(actions));
        } else if (item instanceof Map<?, ?> || item instanceof List<?> || item == null) {
          throw new UsageException("config file " + file + ": " + s.key + " holds a bad item");
        } else {
          items.add(String.valueOf(item));
        }
      }
    }
    return String.join(s.separator(), items);
  }

  private static String joined(Object v) {
    if (v instanceof List<?> list) {
      return list.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    return String.valueOf(v);
  }

  /** The text of {@code --help}. */
  static String usage() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: java -jar oci-registry.jar [OPTION]...\n")
        .append("Runs the ocireg OCI registry (distribution spec v1.1) at /v2/,")
        .append(" with /livez and /readyz probes.\n\n")
        .append("Options (flag, environment variable, config-file key; default):\n");
    for (Setting s : Setting.values()) {
      b.append(String.format("  %-30s %s%n", s.flag + " " + s.valueName, s.description));
      b.append(
          String.format("  %-30s env %s, key %s; default %s%n", "", s.env, s.key, s.defaultValue));
    }
    b.append(String.format("  %-30s %s%n", CONFIG_FLAG + " FILE", "YAML file of the keys above"))
        .append(String.format("  %-30s env %s%n", "", CONFIG_ENV));
    // --no-ui and the like: every boolean setting that is on by default.
    for (Setting s : Setting.values()) {
      if (s.negation() != null) {
        b.append(String.format("  %-30s %s%n", s.negation(), "the same as " + s.flag + " false"));
      }
    }
    b.append(String.format("  %-30s %s%n", "--help", "print this help"))
        .append(String.format("  %-30s %s%n", "--version", "print the version"))
        .append("\nPrecedence: flag > environment > config file > default.\n")
        .append("\nMaintenance: java -jar oci-registry.jar gc|scrub --storage DIR [OPTION]...")
        .append(" (see gc --help).\n");
    return b.toString();
  }

  /** The effective configuration on one line. */
  static String describe(ServerOptions o) {
    return ("bind="
        + o.bind()
        + " port="
        + o.port()
        + " storage="
        + o.storageDirectory().map(Path::toString).orElse("memory")
        + " maxThreads="
        + o.maxThreads()
        + " shutdownTimeout="
        + o.shutdownTimeout().toMillis() / 1000.0
        + "s maxManifestBytes="
        + o.registry().maxManifestBytes()
        + " maxBlobSize="
        + (o.registry().maxBlobBytes() == Long.MAX_VALUE
            ? "unlimited"
            : String.valueOf(o.registry().maxBlobBytes()))
        + " maxOpenUploads="
        + o.registry().maxOpenUploads()
        + " maxManifestReferences="
        + o.registry().maxManifestReferences()
        + " maxPageSize="
        + o.registry().maxPageSize()
        + " defaultPageSize="
        + o.registry().defaultPageSize()
        + " deletes="
        + o.registry().deletesEnabled()
        + " immutableTags="
        + o.registry().immutableTags()
        + " referrers="
        + o.registry().referrersEnabled()
        + " singlePostUpload="
        + o.registry().singlePostUpload()
        + " mountWithoutFrom="
        + o.registry().mountWithoutFrom()
        + " dockerMediaTypes="
        + o.registry().acceptDockerMediaTypes());
  }
}
