package io.ocireg.server;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before anything else acts on it, a state-changing request that a browser sent for
 * another site, and marks every response {@code X-Content-Type-Options: nosniff}.
 *
 * <p>A browser that holds Basic credentials for the registry (the web UI's sign-in caches them)
 * sends them with any request to it, including a form or a {@code no-cors} fetch that a page of
 * another site submits: a "simple" {@code POST} needs no CORS preflight, and the page does not have
 * to read the answer for the request to act ({@code POST /admin/gc?keepUntagged=0}, an upload with
 * {@code ?digest=}, a mount). So every method other than {@code GET}, {@code HEAD} and {@code
 * OPTIONS} is refused with 403 {@code DENIED}, without reading the body, when the request says it
 * came from elsewhere:
 *
 * <ul>
 *   <li>{@code Sec-Fetch-Site} is present and is neither {@code same-origin} nor {@code none}
 *       ({@code same-site} included: a sibling subdomain is another origin), or
 *   <li>{@code Origin} is present and does not name this server's host and port ({@code Origin:
 *       null}, which a sandboxed frame or a redirect across origins sends, never does). The scheme
 *       is not compared: behind a TLS-terminating proxy it differs, and no other site can be served
 *       from this host and port.
 * </ul>
 *
 * <p>Origins allowed by the CORS settings ({@code --cors-origin}) are exempt on {@code /v2/} and
 * {@code /token} only: they are the operator's own cross-origin clients, and {@link CorsFilter}
 * handles them there. Nowhere else ({@code /admin/*}, the UI and {@code /api/*}, the probes) is any
 * other origin let through.
 *
 * <p>Registry clients (docker, podman, skopeo, buildah, containerd, Jib, ORAS, curl) send neither
 * header, so they are not affected. No extra token or custom header is asked for, not even on
 * {@code /admin/*}: every browser in use sends {@code Origin} on a cross-origin {@code POST} (and
 * {@code Sec-Fetch-Site} on every request), which this rule refuses; a header required "only when a
 * browser header is present" would refuse nothing more (a browser without those headers would pass
 * it too) but would break same-origin scripts; and one required always would break the documented
 * {@code curl -X POST /admin/gc} calls without stopping any current browser. Browsers from before
 * {@code Origin} was sent on cross-origin form posts (Firefox before 70) remain unprotected.
 *
 * @see <a href="https://fetch.spec.whatwg.org/#origin-header">Fetch: the Origin header</a>
 * @see <a href="https://www.w3.org/TR/fetch-metadata/#sec-fetch-site-header">Fetch Metadata:
 *     Sec-Fetch-Site</a>
 */
final class CrossSiteFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CrossSiteFilter.class);

  /**
   * The refusal's body, built on first use: JSON encoding loads Jackson, which a start of the
   * server otherwise does not (a first start in a test JVM is mostly class loading).
   */
  private static final class Refusal {
    static final byte[] BODY =
        ErrorResponse.of(
                new RegistryException(
                    ErrorCode.DENIED,
                    "requested access to the resource is denied",
                    "request from another site"))
            .toJson();
  }

  private final Set<String> corsOrigins;
  private final boolean anyCorsOrigin;

  /** A filter exempting on {@code /v2/} and {@code /token} the origins {@code cors} allows. */
  CrossSiteFilter(SecurityOptions.CorsOptions cors) {
    this.corsOrigins = Set.copyOf(cors.origins());
    this.anyCorsOrigin = corsOrigins.contains("*");
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletResponse response = new NoSniff(res);
    if (!isSafe(req.getMethod()) && fromAnotherSite(req) && !allowedCrossOrigin(req)) {
      LOG.debug(
          "{} {} refused: cross-site request (Origin {}, Sec-Fetch-Site {})",
          req.getMethod(),
          req.getRequestURI(),
          req.getHeader("Origin"),
          req.getHeader("Sec-Fetch-Site"));
      response.setStatus(403);
      response.setContentType("application/json");
      response.setHeader("Cache-Control", "no-store");
      response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
      if (!drainSmallBody(req) && req.getProtocol().startsWith("HTTP/1")) {
        // The body is left unread, so the connection cannot carry another request: say so, or
        // a client reusing it would see its next request fail.
        response.setHeader("Connection", "close");
      }
      response.setContentLength(Refusal.BODY.length);
      response.getOutputStream().write(Refusal.BODY);
      return;
    }
    chain.doFilter(req, response);
  }

  /** Most of a refused request's body that is read (and dropped) to keep the connection usable. */
  static final long DRAIN_LIMIT = 64 * 1024;

  /**
   * Reads and drops the body of a refused request when it is declared small, and answers whether
   * the request is now read whole. Closing a connection while the client's body is still unread in
   * its receive buffer makes the server's TCP stack reset it, and the client may then lose the 403
   * it was about to read; a small body is cheaper to drain than that. Nothing read is kept.
   */
  private static boolean drainSmallBody(HttpServletRequest req) {
    long length = req.getContentLengthLong();
    if (length == 0) {
      return true;
    }
    if (length < 0 || length > DRAIN_LIMIT) {
      return false;
    }
    try {
      var in = req.getInputStream();
      byte[] buffer = new byte[8192];
      long read = 0;
      for (int n; read <= DRAIN_LIMIT && (n = in.read(buffer)) >= 0; ) {
        read += n;
      }
      return read <= DRAIN_LIMIT;
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not drain a refused request's body", e);
      return false;
    }
  }

  private static boolean isSafe(String method) {
    // OPTIONS too: a CORS preflight carries an Origin and must reach CorsFilter.
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
  }

  /** Whether a browser says it sent the request for a page of another origin. */
  static boolean fromAnotherSite(HttpServletRequest req) {
    String site = req.getHeader("Sec-Fetch-Site");
    if (site != null) {
      String s = site.trim().toLowerCase(Locale.ROOT);
      if (!s.equals("same-origin") && !s.equals("none")) {
        return true;
      }
    }
    String origin = req.getHeader("Origin");
    return origin != null && !sameHostAndPort(origin, ownAuthority(req));
  }

  private boolean allowedCrossOrigin(HttpServletRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null || origin.trim().equals("null")) {
      return false;
    }
    if (!anyCorsOrigin && !corsOrigins.contains(origin)) {
      return false;
    }
    // The decoded, normalized path the servlets are mapped by (no "/v2/../admin" trick).
    String path =
        Objects.toString(req.getServletPath(), "") + Objects.toString(req.getPathInfo(), "");
    return path.equals("/v2") || path.startsWith("/v2/") || path.equals("/token");
  }

  /** The host (and port) the client addressed: its {@code Host} header or the HTTP/2 authority. */
  private static String ownAuthority(HttpServletRequest req) {
    String host = req.getHeader("Host");
    if (host != null && !host.isBlank()) {
      return host.trim();
    }
    String name = req.getServerName();
    if (name.contains(":") && !name.startsWith("[")) {
      name = "[" + name + "]";
    }
    return name + ":" + req.getServerPort();
  }

  /**
   * Whether {@code origin} ({@code scheme://host[:port]}) names {@code authority} ({@code
   * host[:port]}); a port left out is the default port of the origin's scheme on either side.
   */
  static boolean sameHostAndPort(String origin, String authority) {
    String o = origin.trim();
    int colon = o.indexOf("://");
    if (colon <= 0) {
      // "null", or not an origin at all.
      return false;
    }
    String scheme = o.substring(0, colon).toLowerCase(Locale.ROOT);
    int defaultPort = scheme.equals("https") ? 443 : 80;
    Optional<HostPort> theirs = HostPort.parse(o.substring(colon + 3), defaultPort);
    Optional<HostPort> ours = HostPort.parse(authority.trim(), defaultPort);
    return theirs.isPresent() && theirs.equals(ours);
  }

  /** A host (lower case, an IPv6 address in brackets) and a port. */
  private record HostPort(String host, int port) {
    static Optional<HostPort> parse(String authority, int defaultPort) {
      String host;
      String port;
      if (authority.startsWith("[")) {
        int end = authority.indexOf(']');
        if (end < 0) {
          return Optional.empty();
        }
        host = authority.substring(0, end + 1);
        port = authority.substring(end + 1);
      } else {
        int colon = authority.indexOf(':');
        host = colon < 0 ? authority : authority.substring(0, colon);
        port = colon < 0 ? "" : authority.substring(colon);
      }
      // Nothing but a host and a port: no user info, path, query or second colon.
      if (host.isEmpty() || host.chars().anyMatch(c -> "/?#@\\ ".indexOf(c) >= 0)) {
        return Optional.empty();
      }
      if (port.isEmpty()) {
        return Optional.of(new HostPort(host.toLowerCase(Locale.ROOT), defaultPort));
      }
      if (!port.matches(":[0-9]{1,5}")) {
        return Optional.empty();
      }
      return Optional.of(
          new HostPort(host.toLowerCase(Locale.ROOT), Integer.parseInt(port.substring(1))));
    }
  }

  /** Keeps {@code nosniff} through a {@link #reset()}, which error writers call. */
  private static final class NoSniff extends HttpServletResponseWrapper {
    NoSniff(HttpServletResponse response) {
      super(response);
      response.setHeader("X-Content-Type-Options", "nosniff");
    }

    @Override
    public void reset() {
      super.reset();
      setHeader("X-Content-Type-Options", "nosniff");
    }
  }
}
