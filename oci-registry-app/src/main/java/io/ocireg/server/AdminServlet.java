package io.ocireg.server;

import io.ocireg.core.GarbageCollectionException;
import io.ocireg.core.GarbageCollector;
import io.ocireg.core.GcOptions;
import io.ocireg.core.GcReport;
import io.ocireg.core.Registry;
import io.ocireg.core.ScrubReport;
import io.ocireg.core.Scrubber;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.servlet.RegistryServlet;
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
 * only to callers granted {@code admin} on {@code **}.
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
    try {
      AuthRequest auth = RegistryServlet.authRequest(request);
      access.requireAdmin(access.authenticate(auth), auth);
    } catch (RegistryException e) {
      e.headers().forEach(response::setHeader);
      send(response, e.status(), new String(ErrorResponse.of(e).toJson(), StandardCharsets.UTF_8));
      return;
    }
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    Map<String, String> params;
    try {
      params = parameters(request);
    } catch (IllegalArgumentException e) {
      send(response, 400, error(e.getMessage()));
      return;
    }
    switch (path) {
      case "/gc" -> gc(params, response);
      case "/scrub" -> {
        ScrubReport report = Scrubber.of(registry).scrub(flag(params, "quarantine", false));
        send(response, 200, report.toJson());
      }
      default -> send(response, 404, error("no such admin endpoint: " + path));
    }
  }

  private void gc(Map<String, String> params, HttpServletResponse response) throws IOException {
    GcOptions options;
    try {
      options = options(defaults, params);
    } catch (IllegalArgumentException e) {
      send(response, 400, error(e.getMessage()));
      return;
    }
    try {
      GcReport report = GarbageCollector.of(registry).collect(options);
      send(response, 200, report.toJson());
    } catch (GarbageCollectionException e) {
      int status = e.reason() == GarbageCollectionException.Reason.ALREADY_RUNNING ? 409 : 500;
      send(response, status, error(e.getMessage()));
    }
  }

  /** {@code base} with the options named in {@code params}. */
  static GcOptions options(GcOptions base, Map<String, String> params) {
    GcOptions o = base;
    for (Map.Entry<String, String> e : params.entrySet()) {
      String v = e.getValue();
      o =
          switch (e.getKey()) {
            case "dryRun" -> o.withDryRun(bool(v));
            case "gracePeriod" -> o.withGracePeriod(Setting.duration(v));
            case "uploadMaxAge" -> o.withUploadMaxAge(Setting.duration(v));
            case "keepUntagged" ->
                v.equalsIgnoreCase("all") ? o.keepingUntagged() : o.withUntaggedToKeep(count(v));
            case "deleteOrphanReferrers" -> o.withDeleteOrphanReferrers(bool(v));
            case "removeEmptyRepositories" -> o.withRemoveEmptyRepositories(bool(v));
            default -> throw new IllegalArgumentException("unknown option " + e.getKey());
          };
    }
    return o;
  }

  private static int count(String v) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 0) {
        throw new IllegalArgumentException("keepUntagged must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("keepUntagged must be a number or 'all': " + v, e);
    }
  }

  private static boolean bool(String v) {
    return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
    };
  }

  private static boolean flag(Map<String, String> params, String name, boolean otherwise) {
    String v = params.get(name);
    return v == null ? otherwise : bool(v);
  }

  /** Query parameters, then the JSON object of the body (which wins). */
  private static Map<String, String> parameters(HttpServletRequest request) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    request.getParameterMap().forEach((k, v) -> params.put(k, v.length == 0 ? "" : v[0]));
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new IllegalArgumentException("options too large");
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
      throw new IllegalArgumentException("options are not a JSON object");
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("options are not a JSON object");
    }
    map.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
    return params;
  }

  private static String error(String message) {
    return "{\"error\":\""
        + message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ")
        + "\"}";
  }

  private static void send(HttpServletResponse response, int status, String json)
      throws IOException {
    if (status >= 500) {
      LOG.warn("admin request failed: {}", json);
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
