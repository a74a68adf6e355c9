package io.ocireg.examples.spring;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers wrong credentials on {@code /v2/} as the registry itself would: 401 with a Basic
 * challenge and an {@code UNAUTHORIZED} error body. Spring Security rejects them before the
 * registry servlet runs, and its default answer carries no error body a registry client can show.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 */
final class OciUnauthorizedEntryPoint implements AuthenticationEntryPoint {
  private static final String BODY =
      "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication failed\"}]}";

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("WWW-Authenticate", "Basic realm=\"" + RegistryConfiguration.REALM + "\"");
    response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(BODY);
  }
}
