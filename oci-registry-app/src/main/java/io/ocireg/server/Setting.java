package io.ocireg.server;

import io.ocireg.core.RegistryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One configurable option, under its three names: a command-line flag, an environment variable and
 * a config-file key. Every source goes through {@link #apply} so they all fill the same {@link
 * ServerOptions}.
 */
enum Setting {
  PORT(
      "--port",
      "OCIREG_PORT",
      "port",
      "PORT",
      "TCP port to listen on; 0 picks a free one",
      "5000") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      int port = integer(v, "a port number");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("'" + v + "' is not a port number (0-65535)");
      }
      return o.withPort(port);
    }
  },
  BIND("--bind", "OCIREG_BIND", "bind", "ADDRESS", "address to listen on", "0.0.0.0") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      if (v.isBlank()) {
        throw new IllegalArgumentException("the address is empty");
      }
      return o.withBind(v.trim());
    }
  },
  STORAGE(
      "--storage",
      "OCIREG_STORAGE",
      "storage",
      "DIR|memory",
      "filesystem storage directory, or 'memory' for storage that ends with the process",
      "./registry-data") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      if (v.isBlank()) {
        throw new IllegalArgumentException("the directory is empty");
      }
      if (v.equals("memory")) {
        return o.withInMemoryStorage();
      }
      return o.withStorageDirectory(Path.of(v).toAbsolutePath().normalize());
    }
  },
  MAX_THREADS(
      "--max-threads",
      "OCIREG_MAX_THREADS",
      "maxThreads",
      "N",
      "request threads on JDK 17 (JDK 21+ serves requests on virtual threads)",
      "200") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      int n = integer(v, "a number");
      if (n < 8) {
        throw new IllegalArgumentException("must be at least 8, not " + n);
      }
      return o.withMaxThreads(n);
    }
  },
  SHUTDOWN_TIMEOUT(
      "--shutdown-timeout",
      "OCIREG_SHUTDOWN_TIMEOUT",
      "shutdownTimeout",
      "SECONDS",
      "how long a shutdown waits for in-flight requests (30, 30s or PT30S)",
      "30s") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withShutdownTimeout(duration(v));
    }
  },
  MAX_MANIFEST_BYTES(
      "--max-manifest-bytes",
      "OCIREG_MAX_MANIFEST_BYTES",
      "maxManifestBytes",
      "BYTES",
      "largest manifest accepted",
      "4194304") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      int n = integer(v, "a number");
      if (n <= 0) {
        throw new IllegalArgumentException("must be positive, not " + n);
      }
      RegistryOptions r = o.registry();
      return o.withRegistry(
          new RegistryOptions(
              n,
              r.maxPageSize(),
              r.defaultPageSize(),
              r.acceptDockerMediaTypes(),
              r.mountWithoutFrom()));
    }
  };

  final String flag;
  final String env;
  final String key;
  final String valueName;
  final String description;
  final String defaultValue;

  Setting(
      String flag,
      String env,
      String key,
      String valueName,
      String description,
      String defaultValue) {
    this.flag = flag;
    this.env = env;
    this.key = key;
    this.valueName = valueName;
    this.description = description;
    this.defaultValue = defaultValue;
  }

  /**
   * {@code options} with this setting set to {@code value}; {@link IllegalArgumentException} with a
   * short reason when the value is not valid.
   */
  abstract ServerOptions apply(ServerOptions options, String value);

  static Setting byFlag(String flag) {
    for (Setting s : values()) {
      if (s.flag.equals(flag)) {
        return s;
      }
    }
    return null;
  }

  static Setting byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  private static int integer(String v, String what) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not " + what, e);
    }
  }

  private static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (s.startsWith("pt")) {
        d = Duration.parse(s);
      } else if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else if (s.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      } else {
        d = Duration.ofSeconds(Long.parseLong(s));
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("'" + v + "' is negative");
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("'" + v + "' is not a duration such as 30s", e);
    }
  }
}
