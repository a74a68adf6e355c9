package io.ocireg.server;

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
  GC_INTERVAL(
      "--gc-interval",
      "OCIREG_GC_INTERVAL",
      "gcInterval",
      "DURATION|off",
      "collect garbage and idle uploads this often (such as 6h or PT30M)",
      "off") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      MaintenanceOptions m = o.maintenance();
      if (v.trim().equalsIgnoreCase("off")) {
        return o.withMaintenance(m.withGcInterval(java.util.Optional.empty()));
      }
      Duration d = duration(v);
      if (d.isZero()) {
        throw new IllegalArgumentException("must be positive (or off)");
      }
      return o.withMaintenance(m.withGcInterval(java.util.Optional.of(d)));
    }
  },
  GC_GRACE_PERIOD(
      "--gc-grace-period",
      "OCIREG_GC_GRACE_PERIOD",
      "gcGracePeriod",
      "DURATION",
      "garbage collection never removes what was written this recently",
      "1h") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      MaintenanceOptions m = o.maintenance();
      return o.withMaintenance(m.withGc(m.gc().withGracePeriod(duration(v))));
    }
  },
  GC_KEEP_UNTAGGED(
      "--gc-keep-untagged",
      "OCIREG_GC_KEEP_UNTAGGED",
      "gcKeepUntagged",
      "all|N",
      "untagged manifests kept per repository: all, or the N most recently pushed",
      "all") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      MaintenanceOptions m = o.maintenance();
      if (v.trim().equalsIgnoreCase("all")) {
        return o.withMaintenance(m.withGc(m.gc().keepingUntagged()));
      }
      int n = integer(v, "a number or 'all'");
      if (n < 0) {
        throw new IllegalArgumentException("must not be negative");
      }
      return o.withMaintenance(m.withGc(m.gc().withUntaggedToKeep(n)));
    }
  },
  GC_DELETE_ORPHAN_REFERRERS(
      "--gc-delete-orphan-referrers",
      "OCIREG_GC_DELETE_ORPHAN_REFERRERS",
      "gcDeleteOrphanReferrers",
      "true|false",
      "garbage collection removes referrers (signatures, SBOMs) whose subject is gone",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      MaintenanceOptions m = o.maintenance();
      return o.withMaintenance(m.withGc(m.gc().withDeleteOrphanReferrers(bool(v))));
    }
  },
  GC_REMOVE_EMPTY_REPOSITORIES(
      "--gc-remove-empty-repositories",
      "OCIREG_GC_REMOVE_EMPTY_REPOSITORIES",
      "gcRemoveEmptyRepositories",
      "true|false",
      "garbage collection empties and removes repositories without any tag",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      MaintenanceOptions m = o.maintenance();
      return o.withMaintenance(m.withGc(m.gc().withRemoveEmptyRepositories(bool(v))));
    }
  },
  UPLOAD_MAX_AGE(
      "--upload-max-age",
      "OCIREG_UPLOAD_MAX_AGE",
      "uploadMaxAge",
      "DURATION",
      "upload sessions idle this long are removed by each collection",
      "24h") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      MaintenanceOptions m = o.maintenance();
      return o.withMaintenance(m.withGc(m.gc().withUploadMaxAge(duration(v))));
    }
  },
  ADMIN_ENDPOINTS(
      "--admin-endpoints",
      "OCIREG_ADMIN_ENDPOINTS",
      "adminEndpoints",
      "true|false",
      "serve POST /admin/gc and /admin/scrub (no access control yet: trusted networks only)",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withMaintenance(o.maintenance().withAdminEndpoints(bool(v)));
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
      // Only this limit changes; every other switch of the engine keeps its value.
      return o.withRegistry(o.registry().withMaxManifestBytes(n));
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

  private static boolean bool(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("yes") || s.equals("on")) {
      return true;
    }
    if (s.equals("false") || s.equals("no") || s.equals("off")) {
      return false;
    }
    throw new IllegalArgumentException("'" + v + "' is not true or false");
  }

  /** Durations: 30 (seconds), 250ms, 30s, 15m, 6h, 2d or ISO-8601 such as PT30S. */
  static Duration duration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (s.startsWith("pt")) {
        d = Duration.parse(s);
      } else if (s.endsWith("m") && !s.endsWith("ms")) {
        d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      } else if (s.endsWith("d")) {
        d = Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
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
