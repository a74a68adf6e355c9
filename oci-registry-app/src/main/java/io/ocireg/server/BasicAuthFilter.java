package io.ocireg.server;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP Basic authentication of every {@code /v2/} request against a fixed set of users, for tests
 * of clients that log in. Deliberately minimal and self-contained: access control proper (tokens,
 * per-repository rights) belongs to an authenticator in front of the engine, which replaces this
 * filter where it is installed ({@link OciRegistryServer#newJetty}).
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes (UNAUTHORIZED)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617: the Basic scheme</a>
 */
final class BasicAuthFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;
  static final String REALM = "ocireg";

  private final transient Map<String, byte[]> users = new LinkedHashMap<>();

  BasicAuthFilter(Map<String, String> users) {
    users.forEach((u, p) -> this.users.put(u, p.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (authenticated(req.getHeader("Authorization"))) {
      chain.doFilter(req, res);
      return;
    }
    byte[] body =
        ErrorResponse.of(new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required"))
            .toJson();
    res.setStatus(401);
    res.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
    res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  private boolean authenticated(String header) {
    if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    byte[] user = decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8);
    byte[] password = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
    // Compare against every user without stopping early, and in constant time per comparison, so
    // that timing tells nothing about which part was wrong.
    boolean ok = false;
    for (Map.Entry<String, byte[]> e : users.entrySet()) {
      boolean sameUser = MessageDigest.isEqual(user, e.getKey().getBytes(StandardCharsets.UTF_8));
      boolean samePassword = MessageDigest.isEqual(password, e.getValue());
      ok |= sameUser & samePassword;
    }
    return ok;
  }
}
