package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ocireg.core.GcOptions;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/configuration.md names every option the code knows: each {@link Setting} with its flag,
 * environment variable, config key and default on one table row; every flag and variable the
 * server's sources or usage texts name; the maintenance commands' options; the admin endpoint's
 * keys. Adding an option without documenting it fails here.
 */
class ConfigurationReferenceTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");
  private static final Path SOURCES = Path.of("src", "main", "java", "io", "ocireg", "server");

  /** A flag or variable name, not part of a longer one. */
  private static Pattern token(String name) {
    return Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])");
  }

  private static String doc() throws IOException {
    assertThat(DOC).as("the configuration reference").isRegularFile();
    return Files.readString(DOC);
  }

  private static List<String> tableRows(String doc) {
    return doc.lines().filter(l -> l.startsWith("|")).toList();
  }

  @Test
  void everySettingHasOneRowWithFlagVariableKeyAndDefault() throws IOException {
    List<String> rows = tableRows(doc());
    List<String> missing = new ArrayList<>();
    for (Setting s : Setting.values()) {
      boolean found =
          rows.stream()
              .anyMatch(
                  row ->
                      token(s.flag).matcher(row).find()
                          && token(s.env).matcher(row).find()
                          && row.contains("`" + s.key + "`")
                          && row.contains(s.defaultValue));
      if (!found) {
        missing.add(s + " (" + s.flag + ", " + s.env + ", " + s.key + ", " + s.defaultValue + ")");
      }
    }
    assertThat(missing)
        .as("settings without a row naming flag, variable, key and default in %s", DOC)
        .isEmpty();
  }

  @Test
  void everyFlagAndVariableTheServerNamesIsDocumented() throws IOException {
    String doc = doc();
    TreeSet<String> names = new TreeSet<>();
    // What the usage texts offer, and every flag or variable literal in the server's sources (a
    // special flag handled outside the Setting enum is caught here).
    Pattern inText = Pattern.compile("(?<![A-Za-z0-9_-])(--[a-z][a-z0-9-]*|OCIREG_[A-Z0-9_]+)");
    for (String usage : List.of(CommandLine.usage(), MaintenanceCommand.usage())) {
      Matcher m = inText.matcher(usage);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    Pattern literal = Pattern.compile("\"(--[a-z][a-z0-9-]*|-[A-Za-z]|OCIREG_[A-Z0-9_]+)\"");
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = literal.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).contains("--port", "OCIREG_CONFIG", "--dry-run", "--quarantine");
    List<String> missing = names.stream().filter(n -> !token(n).matcher(doc).find()).toList();
    assertThat(missing).as("flags and variables missing from %s", DOC).isEmpty();
  }

  @Test
  void maintenanceCommandsAreDocumented() throws IOException {
    String doc = doc();
    assertThat(MaintenanceCommand.handles(MaintenanceCommand.GC)).isTrue();
    assertThat(doc)
        .contains("`" + MaintenanceCommand.GC + "`")
        .contains("`" + MaintenanceCommand.SCRUB + "`")
        .contains("gc --storage DIR")
        .contains("scrub --storage DIR");
  }

  /**
   * {@code POST /admin/gc} takes a key per {@link GcOptions} component: each must be accepted and
   * documented, so a new collection option cannot stay unreachable or undocumented.
   */
  @Test
  void everyCollectionOptionHasAnAdminKeyThatIsDocumented() throws IOException {
    String doc = doc();
    List<String> missing = new ArrayList<>();
    for (RecordComponent c : GcOptions.class.getRecordComponents()) {
      String key = c.getName().equals("untaggedToKeep") ? "keepUntagged" : c.getName();
      String value =
          c.getType() == Duration.class ? "2h" : c.getType() == Optional.class ? "3" : "true";
      assertThatCode(() -> AdminServlet.options(GcOptions.defaults(), Map.of(key, value)))
          .as("POST /admin/gc accepts %s (GcOptions.%s)", key, c.getName())
          .doesNotThrowAnyException();
      if (!doc.contains("`" + key + "`")) {
        missing.add(key);
      }
    }
    if (!doc.contains("`quarantine`")) {
      missing.add("quarantine");
    }
    assertThat(missing).as("admin keys missing from %s", DOC).isEmpty();
  }

  @Test
  void completeExampleHoldsEveryKeyAndIsAccepted(@TempDir Path dir) throws Exception {
    String doc = doc();
    int section = doc.indexOf("## Complete example");
    assertThat(section).as("a 'Complete example' section").isNotNegative();
    int start = doc.indexOf("```yaml\n", section);
    int end = doc.indexOf("```", start + 8);
    assertThat(start).isNotNegative();
    String yaml = doc.substring(start + 8, end);

    List<String> missing = new ArrayList<>();
    for (Setting s : Setting.values()) {
      if (!Pattern.compile("(?m)^#? ?" + Pattern.quote(s.key) + ":").matcher(yaml).find()) {
        missing.add(s.key);
      }
    }
    assertThat(missing).as("keys missing from the complete example").isEmpty();

    Path file = Files.writeString(dir.resolve("ocireg.yaml"), yaml);
    CommandLine command = CommandLine.parse(List.of("--config", file.toString()), Map.of());
    assertThat(command).isInstanceOf(CommandLine.Run.class);
    ServerOptions options = ((CommandLine.Run) command).options();
    assertThat(options.port()).isEqualTo(5000);
    assertThat(options.storageDirectory()).hasValue(Path.of("/var/lib/ocireg"));
    assertThat(options.maintenance().gcInterval()).hasValue(Duration.ofHours(6));

    // The commented alternatives are valid keys and values too.
    String uncommented = yaml.replaceAll("(?m)^# ?([a-zA-Z]+: )", "$1");
    Path all = Files.writeString(dir.resolve("all.yaml"), uncommented);
    assertThat(CommandLine.readConfig(all)).hasSize(Setting.values().length);
  }
}
