package io.ocireg.server;

import io.ocireg.core.GarbageCollectionException;
import io.ocireg.core.GarbageCollector;
import io.ocireg.core.GcOptions;
import io.ocireg.core.Registry;
import io.ocireg.core.Scrubber;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code POST /admin/gc} and {@code POST /admin/scrub}: run a garbage collection or a scrub now and
 * answer its report as JSON. Options come from a JSON body (keys as the config file's without the
 * {@code gc} prefix: {@code dryRun}, {@code gracePeriod}, {@code keepUntagged}, {@code
 * deleteOrphanReferrers}, {@code removeEmptyRepositories}, {@code uploadMaxAge}; {@code quarantine}
 * for a scrub) or the same names as query parameters, over the server's configured defaults.
 *
 * <p>Served only when {@link MaintenanceOptions#adminEndpoints()} is on; with access control on,
 * only to callers granted {@code admin} on {@code **}. An unknown option or a bad value is 400,
 * every error in the spec's error body ({@link ErrorResponse}).
 */
final class AdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);
  private static final int MAX_BODY = 64 * 1024;

  private final transient Registry registry;
  private final GcOptions defaults;
  private final transient AccessControl access;

  AdminServlet(Registry registry, GcOptions defaults, AccessControl access) {
    this.registry = registry;
    this.defaults = defaults;
    this.access = access;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String report;
    try {
      AuthRequest auth = RegistryServlet.authRequest(request);
      access.requireAdmin(access.authenticate(auth), auth);
      String path = request.getPathInfo() == null ? "" : request.getPathInfo();
      report =
          switch (path) {
            case "/gc" -> gc(parameters(request));
            case "/scrub" -> scrub(parameters(request));
            default ->
                throw new RegistryException(ErrorCode.UNSUPPORTED, "no such admin endpoint", path)
                    .withStatus(404);
          };
    } catch (RegistryException e) {
      e.headers().forEach(response::setHeader);
      sendError(response, e);
      return;
    } catch (RuntimeException e) {
      // A storage failure in the middle of a run: the details go to the log, not to the client.
      LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
      sendError(
          response, new RegistryException(ErrorCode.UNSUPPORTED, "internal error").withStatus(500));
      return;
    }
    send(response, 200, report.getBytes(StandardCharsets.UTF_8));
  }

  private String gc(Map<String, String> params) {
    GcOptions options;
    try {
      options = options(defaults, params);
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
    try {
      return GarbageCollector.of(registry).collect(options).toJson();
    } catch (GarbageCollectionException e) {
      if (e.reason() == GarbageCollectionException.Reason.ALREADY_RUNNING) {
        throw new RegistryException(ErrorCode.UNSUPPORTED, "a collection is already running")
            .withStatus(409);
      }
      LOG.warn("garbage collection failed", e);
      throw new RegistryException(
              ErrorCode.UNSUPPORTED, "garbage collection failed", e.getMessage())
          .withStatus(500);
    }
  }

  private String scrub(Map<String, String> params) {
    boolean quarantine = false;
    try {
      for (Map.Entry<String, String> e : params.entrySet()) {
        if (!e.getKey().equals("quarantine")) {
          throw new BadOption(e.getKey(), "unknown option " + e.getKey());
        }
        quarantine = value(e.getKey(), e.getValue(), AdminServlet::bool);
      }
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
    return Scrubber.of(registry).scrub(quarantine).toJson();
  }

  /**
   * {@code base} with the options named in {@code params}; {@link IllegalArgumentException} naming
   * the option for an unknown one or a bad value.
   */
  static GcOptions options(GcOptions base, Map<String, String> params) {
    GcOptions o = base;
    for (Map.Entry<String, String> e : params.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      o =
          switch (k) {
            case "dryRun" -> o.withDryRun(value(k, v, AdminServlet::bool));
            case "gracePeriod" -> o.withGracePeriod(value(k, v, Setting::duration));
            case "uploadMaxAge" -> o.withUploadMaxAge(value(k, v, Setting::duration));
            case "keepUntagged" -> keepUntagged(o, value(k, v, AdminServlet::untagged));
            case "deleteOrphanReferrers" ->
                o.withDeleteOrphanReferrers(value(k, v, AdminServlet::bool));
            case "removeEmptyRepositories" ->
                o.withRemoveEmptyRepositories(value(k, v, AdminServlet::bool));
            default -> throw new BadOption(k, "unknown option " + k);
          };
    }
    return o;
  }

  /** {@code o} keeping {@code n} untagged manifests per repository, or all of them when empty. */
  static GcOptions keepUntagged(GcOptions o, Optional<Integer> n) {
    return n.isEmpty() ? o.keepingUntagged() : o.withUntaggedToKeep(n.get());
  }

  /** {@code all} (empty) or a count of untagged manifests to keep. */
  static Optional<Integer> untagged(String v) {
    if (v.trim().equalsIgnoreCase("all")) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 0) {
        throw new IllegalArgumentException("'" + v + "' is negative");
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not a number or 'all'", e);
    }
  }

  private static <T> T value(String option, String v, Function<String, T> parse) {
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      throw new BadOption(option, "invalid option " + option + ": " + e.getMessage());
    }
  }

  private static boolean bool(String v) {
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
    };
  }

  private static RegistryException badRequest(String message) {
    return new RegistryException(ErrorCode.UNSUPPORTED, message).withStatus(400);
  }

  /** A 400 for a bad request to an admin endpoint, naming the option in the detail when known. */
  private static RegistryException invalid(IllegalArgumentException e) {
    String detail = e instanceof BadOption b ? b.option : null;
    return new RegistryException(ErrorCode.UNSUPPORTED, e.getMessage(), detail).withStatus(400);
  }

  /** An unknown option or a bad value of one. */
  private static final class BadOption extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    final String option;

    BadOption(String option, String message) {
      super(message);
      this.option = option;
    }
  }

  /** Query parameters, then the JSON object of the body (which wins). */
  private static Map<String, String> parameters(HttpServletRequest request) throws IOException {
    byte[] body;
    // The body first: read after the parameters, a form-encoded body (curl -d sends one) would be
    // taken for parameters and consumed.
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    Map<String, String> params = new LinkedHashMap<>();
    request.getParameterMap().forEach((k, v) -> params.put(k, v.length == 0 ? "" : v[0]));
    if (body.length > MAX_BODY) {
      throw badRequest("options too large (more than " + MAX_BODY + " bytes)");
    }
    String text = new String(body, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      return params;
    }
    Object doc;
    try {
      // JSON is YAML: the parser the config file uses reads it, without another dependency.
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw badRequest("options are not a JSON object");
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw badRequest("options are not a JSON object");
    }
    map.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
    return params;
  }

  private static void sendError(HttpServletResponse response, RegistryException e)
      throws IOException {
    send(response, e.status(), ErrorResponse.of(e).toJson());
  }

  private static void send(HttpServletResponse response, int status, byte[] json)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }
}
