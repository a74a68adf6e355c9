package io.ocireg.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin access for browsers, for the configured origins only. A request from an allowed
 * origin gets {@code Access-Control-Allow-Origin} (never {@code *} with credentials: the origin is
 * echoed) and the registry's response headers exposed; a preflight ({@code OPTIONS} with {@code
 * Access-Control-Request-Method}) is answered here with 204 and the allowed methods and headers
 * when origin, method and headers are all allowed, and with 403 without any CORS header otherwise.
 * Requests without {@code Origin}, and all requests when no origin is configured, pass untouched.
 * The server maps it on {@code /v2/*} and {@code /token} only: the web UI, its JSON API, the admin
 * endpoints and the probes are never readable from another origin.
 *
 * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch: the CORS protocol</a>
 */
final class CorsFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  static final String EXPOSED =
      "Docker-Content-Digest, Location, Range, Link, OCI-Subject, OCI-Filters-Applied,"
          + " Docker-Distribution-API-Version, Docker-Upload-UUID, WWW-Authenticate, Retry-After";

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final Set<String> methods;
  private final Set<String> headers;
  private final String methodList;
  private final String headerList;
  private final long maxAgeSeconds;

  CorsFilter(SecurityOptions.CorsOptions options) {
    this.origins = Set.copyOf(options.origins());
    this.anyOrigin = origins.contains("*");
    this.methods =
        options.methods().stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
    this.headers =
        options.headers().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    this.methodList = String.join(", ", options.methods());
    this.headerList = String.join(", ", options.headers());
    this.maxAgeSeconds = options.maxAge().toSeconds();
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String origin = req.getHeader("Origin");
    if (origin == null) {
      chain.doFilter(req, res);
      return;
    }
    boolean allowedOrigin = anyOrigin || origins.contains(origin);
    String requested = req.getHeader("Access-Control-Request-Method");
    if ("OPTIONS".equals(req.getMethod()) && requested != null) {
      if (!allowedOrigin
          || !methods.contains(requested.toUpperCase(Locale.ROOT))
          || !headersAllowed(req.getHeader("Access-Control-Request-Headers"))) {
        res.setStatus(403);
        res.setContentLength(0);
        return;
      }
      allowOrigin(res, origin);
      res.setHeader("Access-Control-Allow-Methods", methodList);
      if (!headerList.isEmpty()) {
        res.setHeader("Access-Control-Allow-Headers", headerList);
      }
      res.setHeader("Access-Control-Max-Age", Long.toString(maxAgeSeconds));
      res.setStatus(204);
      return;
    }
    if (allowedOrigin) {
      allowOrigin(res, origin);
      res.setHeader("Access-Control-Expose-Headers", EXPOSED);
    }
    chain.doFilter(req, res);
  }

  private boolean headersAllowed(String requested) {
    if (requested == null || requested.isBlank()) {
      return true;
    }
    for (String h : requested.split(",")) {
      String name = h.trim().toLowerCase(Locale.ROOT);
      if (!name.isEmpty() && !headers.contains(name)) {
        return false;
      }
    }
    return true;
  }

  private static void allowOrigin(HttpServletResponse res, String origin) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.addHeader("Vary", "Origin");
  }

  /** The configured origins, for tests. */
  List<String> origins() {
    return List.copyOf(origins);
  }
}
