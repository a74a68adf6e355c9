package io.ocireg.ui;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;

/**
 * Refuses a state-changing request that another site could have made the browser send (with the
 * Basic credentials it caches for this registry). Every condition alone stops a plain cross-site
 * form or {@code no-cors} fetch; together they also cover browsers that lack one of the headers.
 *
 * <ol>
 *   <li>{@code Content-Type: application/json} and
 *   <li>{@code X-Requested-By: ocireg}: neither can be sent cross-site without a CORS preflight,
 *       which the UI never approves;
 *   <li>an {@code Origin}, when present, naming this host and port (the scheme is not compared: a
 *       TLS-terminating proxy in front of the server makes it differ, and no other site can be
 *       served from this host and port);
 *   <li>a {@code Sec-Fetch-Site}, when present, of {@code same-origin} or {@code none}.
 * </ol>
 *
 * @see <a href="https://fetch.spec.whatwg.org/#cors-safelisted-request-header">Fetch:
 *     CORS-safelisted request headers</a>
 */
final class CrossSiteGuard {
  static final String HEADER = "X-Requested-By";
  static final String HEADER_VALUE = "ocireg";

  private CrossSiteGuard() {}

  static void check(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null || !essence(type).equals("application/json")) {
      throw denied("Content-Type must be application/json");
    }
    if (!HEADER_VALUE.equals(request.getHeader(HEADER))) {
      throw denied(HEADER + ": " + HEADER_VALUE + " is required");
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !sameHost(origin, request.getHeader("Host"))) {
      throw denied("cross-origin request");
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw denied("cross-site request");
    }
  }

  private static String essence(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /** Whether {@code origin} ({@code scheme://host[:port]}) names the host the request came to. */
  static boolean sameHost(String origin, String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin.trim());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme();
    String authority = uri.getRawAuthority();
    if (scheme == null
        || authority == null
        || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      return false;
    }
    String ours = host.trim().toLowerCase(Locale.ROOT);
    String theirs = authority.toLowerCase(Locale.ROOT);
    if (theirs.equals(ours)) {
      return true;
    }
    // A default port is left out of one and written in the other.
    String defaultPort = scheme.equalsIgnoreCase("https") ? ":443" : ":80";
    return (theirs + defaultPort).equals(ours) || theirs.equals(ours + defaultPort);
  }

  private static RegistryException denied(String detail) {
    return new RegistryException(
        ErrorCode.DENIED, "requested access to the resource is denied", detail);
  }
}
