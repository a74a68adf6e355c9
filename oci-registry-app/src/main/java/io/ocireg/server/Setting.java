package io.ocireg.server;

import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessRule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
      "DURATION",
      "how long a shutdown waits for in-flight requests (such as 30s or PT30S; 30 is seconds)",
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
      "collect garbage this often (such as 6h or PT30M)",
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
      "upload sessions idle this long are removed: at start, then regularly even with"
          + " --gc-interval off, and by each collection",
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
      "serve POST /admin/gc and /admin/scrub (with access control: to admins of '**' only)",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withMaintenance(o.maintenance().withAdminEndpoints(bool(v)));
    }
  },
  UI(
      "--ui",
      "OCIREG_UI",
      "ui",
      "true|false",
      "serve the web UI and its JSON API at / (--no-ui turns it off)",
      "true") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withUi(bool(v));
    }
  },
  MAX_MANIFEST_BYTES(
      "--max-manifest-bytes",
      "OCIREG_MAX_MANIFEST_BYTES",
      "maxManifestBytes",
      "SIZE",
      "largest manifest accepted, in bytes or with a unit (such as 4MiB)",
      "4194304") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      long n = size(v);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("must be at most " + Integer.MAX_VALUE + " bytes");
      }
      // Only this limit changes; every other switch of the engine keeps its value.
      return o.withRegistry(o.registry().withMaxManifestBytes((int) n));
    }
  },
  MAX_BLOB_SIZE(
      "--max-blob-size",
      "OCIREG_MAX_BLOB_SIZE",
      "maxBlobSize",
      "SIZE|unlimited",
      "largest blob accepted (such as 10GiB or 512MB); a larger upload is refused",
      "unlimited") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      long n = v.trim().equalsIgnoreCase("unlimited") ? Long.MAX_VALUE : size(v);
      return o.withRegistry(o.registry().withMaxBlobBytes(n));
    }
  },
  MAX_OPEN_UPLOADS(
      "--max-open-uploads",
      "OCIREG_MAX_OPEN_UPLOADS",
      "maxOpenUploads",
      "N",
      "most upload sessions open at once; a further one is refused with 429",
      "10000") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withMaxOpenUploads(positive(v)));
    }
  },
  MAX_MANIFEST_REFERENCES(
      "--max-manifest-references",
      "OCIREG_MAX_MANIFEST_REFERENCES",
      "maxManifestReferences",
      "N",
      "most descriptors (config, layers, child manifests) one manifest may list",
      "10000") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withMaxManifestReferences(positive(v)));
    }
  },
  MAX_PAGE_SIZE(
      "--max-page-size",
      "OCIREG_MAX_PAGE_SIZE",
      "maxPageSize",
      "N",
      "largest page of tag, catalog and referrers listings (and the tag page size without n)",
      "1000") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      RegistryOptions r = o.registry();
      return o.withRegistry(pageSizes(r, positive(v), r.defaultPageSize()));
    }
  },
  DEFAULT_PAGE_SIZE(
      "--default-page-size",
      "OCIREG_DEFAULT_PAGE_SIZE",
      "defaultPageSize",
      "N",
      "catalog page size when the client gives no n (at most --max-page-size)",
      "100") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      RegistryOptions r = o.registry();
      return o.withRegistry(pageSizes(r, r.maxPageSize(), positive(v)));
    }
  },
  DELETES(
      "--deletes",
      "OCIREG_DELETES",
      "deletes",
      "true|false",
      "allow deleting manifests, tags and blobs; off, such a DELETE is refused with 405",
      "true") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withDeletesEnabled(bool(v)));
    }
  },
  IMMUTABLE_TAGS(
      "--immutable-tags",
      "OCIREG_IMMUTABLE_TAGS",
      "immutableTags",
      "true|false",
      "a pushed tag keeps its digest: pointing it at another manifest is refused",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withImmutableTags(bool(v)));
    }
  },
  REFERRERS(
      "--referrers",
      "OCIREG_REFERRERS",
      "referrers",
      "true|false",
      "serve the referrers API; off, clients fall back to the referrers tag schema",
      "true") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withReferrersEnabled(bool(v)));
    }
  },
  SINGLE_POST_UPLOAD(
      "--single-post-upload",
      "OCIREG_SINGLE_POST_UPLOAD",
      "singlePostUpload",
      "true|false",
      "POST ?digest= stores a blob in one request; off, it opens an upload session",
      "true") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withSinglePostUpload(bool(v)));
    }
  },
  MOUNT_WITHOUT_FROM(
      "--mount-without-from",
      "OCIREG_MOUNT_WITHOUT_FROM",
      "mountWithoutFrom",
      "true|false",
      "POST ?mount= without from mounts a blob of any repository; off, it opens a session",
      "true") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withMountWithoutFrom(bool(v)));
    }
  },
  DOCKER_MEDIA_TYPES(
      "--docker-media-types",
      "OCIREG_DOCKER_MEDIA_TYPES",
      "dockerMediaTypes",
      "true|false",
      "accept Docker schema 2 manifests and manifest lists",
      "true") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return o.withRegistry(o.registry().withAcceptDockerMediaTypes(bool(v)));
    }
  },
  HTPASSWD(
      "--htpasswd",
      "OCIREG_HTPASSWD",
      "htpasswd",
      "FILE",
      "require Basic authentication of the users of this htpasswd file (bcrypt entries only)",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      if (v.isBlank()) {
        throw new IllegalArgumentException("the file name is empty");
      }
      return sec(o, o.security().withHtpasswd(Optional.of(Path.of(v).toAbsolutePath())));
    }
  },
  AUTH_REALM(
      "--auth-realm",
      "OCIREG_AUTH_REALM",
      "authRealm",
      "NAME",
      "realm of the Basic challenge",
      "ocireg") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return sec(o, o.security().withRealm(v.trim()));
    }
  },
  ANONYMOUS_PULL(
      "--anonymous-pull",
      "OCIREG_ANONYMOUS_PULL",
      "anonymousPull",
      "true|false",
      "callers without credentials may pull every repository",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return sec(o, o.security().withAnonymousPull(bool(v)));
    }
  },
  ACCESS_RULE(
      "--access-rule",
      "OCIREG_ACCESS_RULES",
      "access",
      "'SUBJECT PATTERN ACTIONS'",
      "grant ACTIONS (pull,push,delete,admin) on repositories matching PATTERN; repeatable"
          + " (environment: separated by ';')",
      "authenticated ** pull,push,delete,admin") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      List<AccessRule> rules = new ArrayList<>();
      for (String line : v.split(";")) {
        if (!line.isBlank()) {
          rules.add(AccessRule.parse(line));
        }
      }
      return sec(o, o.security().withRules(rules));
    }

    @Override
    String separator() {
      return ";";
    }
  },
  GROUP(
      "--group",
      "OCIREG_GROUPS",
      "groups",
      "NAME=USER,USER",
      "members of a group the access rules name; repeatable (environment: separated by ';')",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      Map<String, Set<String>> groups = new LinkedHashMap<>();
      for (String def : v.split(";")) {
        if (def.isBlank()) {
          continue;
        }
        int eq = def.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("'" + def + "' is not NAME=USER,USER");
        }
        Set<String> members = new LinkedHashSet<>();
        for (String u : def.substring(eq + 1).split(",")) {
          if (!u.isBlank()) {
            members.add(u.trim());
          }
        }
        groups.put(def.substring(0, eq).trim(), members);
      }
      return sec(o, o.security().withGroups(groups));
    }

    @Override
    String separator() {
      return ";";
    }
  },
  AUTH_MAX_FAILURES(
      "--auth-max-failures",
      "OCIREG_AUTH_MAX_FAILURES",
      "authMaxFailures",
      "N",
      "failed logins per client address or user within the window before 429",
      "10") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      int n = integer(v, "a number");
      if (n < 1) {
        throw new IllegalArgumentException("must be positive");
      }
      SecurityOptions s = o.security();
      return sec(o, s.withThrottling(n, s.failureWindow()));
    }
  },
  AUTH_FAILURE_WINDOW(
      "--auth-failure-window",
      "OCIREG_AUTH_FAILURE_WINDOW",
      "authFailureWindow",
      "DURATION",
      "the sliding window of --auth-max-failures",
      "1m") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      Duration d = duration(v);
      if (d.isZero()) {
        throw new IllegalArgumentException("must be positive");
      }
      SecurityOptions s = o.security();
      return sec(o, s.withThrottling(s.maxFailures(), d));
    }
  },
  TOKEN_AUTH(
      "--token-auth",
      "OCIREG_TOKEN_AUTH",
      "tokenAuth",
      "true|false",
      "token authentication: clients get JWTs from /token with their Basic credentials",
      "false") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tok(o, o.security().token().withEnabled(bool(v)));
    }
  },
  TOKEN_KEY(
      "--token-key",
      "OCIREG_TOKEN_KEY",
      "tokenKey",
      "FILE",
      "PEM private key (EC P-256 or RSA) signing the tokens",
      "generated at start") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tok(o, o.security().token().withSigningKey(Optional.of(Path.of(v))));
    }
  },
  TOKEN_ISSUER(
      "--token-issuer",
      "OCIREG_TOKEN_ISSUER",
      "tokenIssuer",
      "NAME",
      "issuer (iss) of the tokens",
      "ocireg") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tok(o, o.security().token().withIssuer(v.trim()));
    }
  },
  TOKEN_SERVICE(
      "--token-service",
      "OCIREG_TOKEN_SERVICE",
      "tokenService",
      "NAME",
      "service of the challenge and audience (aud) of the tokens",
      "ocireg") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tok(o, o.security().token().withService(v.trim()));
    }
  },
  TOKEN_LIFETIME(
      "--token-lifetime",
      "OCIREG_TOKEN_LIFETIME",
      "tokenLifetime",
      "DURATION",
      "how long an issued token is valid",
      "5m") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      Duration d = duration(v);
      if (d.isZero()) {
        throw new IllegalArgumentException("must be positive");
      }
      return tok(o, o.security().token().withLifetime(d));
    }
  },
  TOKEN_REALM(
      "--token-realm",
      "OCIREG_TOKEN_REALM",
      "tokenRealm",
      "URL",
      "token endpoint URL in challenges",
      "/token on the host of the request") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      if (v.contains("\"")) {
        throw new IllegalArgumentException("a URL has no quotes");
      }
      return tok(o, o.security().token().withRealm(Optional.of(v.trim())));
    }
  },
  TOKEN_TRUST_KEYS(
      "--token-trust-keys",
      "OCIREG_TOKEN_TRUST_KEYS",
      "tokenTrustKeys",
      "FILE",
      "PEM public key or JWKS of an external token issuer to trust too",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tok(o, o.security().token().withTrustedKeys(Optional.of(Path.of(v))));
    }
  },
  TOKEN_TRUST_ISSUER(
      "--token-trust-issuer",
      "OCIREG_TOKEN_TRUST_ISSUER",
      "tokenTrustIssuer",
      "NAME",
      "issuer (iss) of the tokens signed by --token-trust-keys",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tok(o, o.security().token().withTrustedIssuer(Optional.of(v.trim())));
    }
  },
  TLS_CERT(
      "--tls-cert",
      "OCIREG_TLS_CERT",
      "tlsCert",
      "FILE",
      "PEM certificate chain: serve HTTPS (and HTTP/2)",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tls(o, o.security().tls().withCertificate(Path.of(v)));
    }
  },
  TLS_KEY(
      "--tls-key", "OCIREG_TLS_KEY", "tlsKey", "FILE", "PEM private key of --tls-cert", "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tls(o, o.security().tls().withPrivateKey(Path.of(v)));
    }
  },
  TLS_KEYSTORE(
      "--tls-keystore",
      "OCIREG_TLS_KEYSTORE",
      "tlsKeystore",
      "FILE",
      "PKCS12 keystore: serve HTTPS (and HTTP/2)",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tls(o, o.security().tls().withKeystore(Path.of(v)));
    }
  },
  TLS_KEYSTORE_PASSWORD(
      "--tls-keystore-password",
      "OCIREG_TLS_KEYSTORE_PASSWORD",
      "tlsKeystorePassword",
      "PASSWORD",
      "password of --tls-keystore (prefer the environment variable)",
      "empty") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return tls(o, o.security().tls().withKeystorePassword(v));
    }
  },
  CORS_ORIGIN(
      "--cors-origin",
      "OCIREG_CORS_ORIGINS",
      "corsOrigins",
      "ORIGIN",
      "allow browsers on this origin (such as https://ui.example); repeatable"
          + " (environment: separated by ',')",
      "none") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return cors(o, o.security().cors().withOrigins(list(v)));
    }

    @Override
    String separator() {
      return ",";
    }
  },
  CORS_METHODS(
      "--cors-methods",
      "OCIREG_CORS_METHODS",
      "corsMethods",
      "METHOD,...",
      "methods a CORS preflight may allow",
      "GET,HEAD,POST,PUT,PATCH,DELETE") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return cors(o, o.security().cors().withMethods(list(v)));
    }

    @Override
    String separator() {
      return ",";
    }
  },
  CORS_HEADERS(
      "--cors-headers",
      "OCIREG_CORS_HEADERS",
      "corsHeaders",
      "HEADER,...",
      "request headers a CORS preflight may allow",
      "Authorization,Content-Type,Accept,Range,Content-Range") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return cors(o, o.security().cors().withHeaders(list(v)));
    }

    @Override
    String separator() {
      return ",";
    }
  },
  CORS_MAX_AGE(
      "--cors-max-age",
      "OCIREG_CORS_MAX_AGE",
      "corsMaxAge",
      "DURATION",
      "how long browsers cache a CORS preflight answer",
      "10m") {
    @Override
    ServerOptions apply(ServerOptions o, String v) {
      return cors(o, o.security().cors().withMaxAge(duration(v)));
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

  /**
   * The separator of a repeatable setting: its flag may be given more than once and its config key
   * may be a list, both joined with this; null for a single value.
   */
  String separator() {
    return null;
  }

  private static ServerOptions sec(ServerOptions o, SecurityOptions s) {
    return o.withSecurity(s);
  }

  private static ServerOptions tok(ServerOptions o, SecurityOptions.TokenOptions t) {
    return o.withSecurity(o.security().withToken(t));
  }

  private static ServerOptions tls(ServerOptions o, SecurityOptions.TlsOptions t) {
    return o.withSecurity(o.security().withTls(t));
  }

  private static ServerOptions cors(ServerOptions o, SecurityOptions.CorsOptions c) {
    return o.withSecurity(o.security().withCors(c));
  }

  private static List<String> list(String v) {
    List<String> items = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        items.add(s.trim());
      }
    }
    return items;
  }

  /**
   * The switch that turns this setting off without a value, such as {@code --no-ui}: only booleans
   * that are on by default have one; null for the others.
   */
  String negation() {
    // Not one literal: ConfigurationReferenceTest takes every quoted flag in the sources for one
    // to look up in the docs, and this prefix alone is none.
    return valueName.equals("true|false") && defaultValue.equals("true")
        ? "--" + "no-" + flag.substring(2)
        : null;
  }

  static Setting byNegation(String flag) {
    for (Setting s : values()) {
      if (flag.equals(s.negation())) {
        return s;
      }
    }
    return null;
  }

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

  private static int positive(String v) {
    int n = integer(v, "a number");
    if (n <= 0) {
      throw new IllegalArgumentException("must be positive, not " + n);
    }
    return n;
  }

  /** {@code r} with other page sizes; the record has no wither for them. */
  private static RegistryOptions pageSizes(RegistryOptions r, int max, int byDefault) {
    return new RegistryOptions(
        r.maxManifestBytes(),
        max,
        byDefault,
        r.acceptDockerMediaTypes(),
        r.mountWithoutFrom(),
        r.referrersEnabled(),
        r.singlePostUpload(),
        r.immutableTags(),
        r.deletesEnabled(),
        r.maxOpenUploads(),
        r.maxBlobBytes(),
        r.maxManifestReferences());
  }

  /**
   * Sizes: a positive number of bytes, optionally followed by a unit: {@code B}; {@code K}, {@code
   * KB}, {@code M}, {@code MB}, {@code G}, {@code GB}, {@code T}, {@code TB} (powers of 1000); or
   * {@code Ki}, {@code KiB}, {@code Mi}, {@code MiB}, {@code Gi}, {@code GiB}, {@code Ti}, {@code
   * TiB} (powers of 1024). Units are case-insensitive and may follow a space.
   */
  static long size(String v) {
    String s = v.trim();
    int end = 0;
    while (end < s.length() && Character.isDigit(s.charAt(end))) {
      end++;
    }
    String unit = s.substring(end).trim().toLowerCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : "bkmgt".indexOf(unit.charAt(0));
    boolean binary = unit.length() > 1 && unit.charAt(1) == 'i';
    String rest = unit.isEmpty() ? "" : unit.substring(binary ? 2 : 1);
    boolean knownUnit =
        power >= 0 && (power == 0 ? !binary && rest.isEmpty() : rest.isEmpty() || rest.equals("b"));
    if (end == 0 || !knownUnit) {
      throw new IllegalArgumentException(
          "'" + v + "' is not a size such as 4194304, 512MB or 10GiB");
    }
    try {
      long n = Long.parseLong(s.substring(0, end));
      long factor = 1;
      for (int i = 0; i < power; i++) {
        factor = Math.multiplyExact(factor, binary ? 1024L : 1000L);
      }
      n = Math.multiplyExact(n, factor);
      if (n <= 0) {
        throw new IllegalArgumentException("must be positive, not " + v.trim());
      }
      return n;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + v + "' is too large", e);
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
