package io.ocireg.server;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers every path the server does not serve with 404 and the spec's JSON error body. */
final class NotFoundServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    byte[] body =
        ErrorResponse.of(new RegistryException(ErrorCode.UNSUPPORTED, "not found").withStatus(404))
            .toJson();
    resp.setStatus(404);
    resp.setContentType("application/json");
    resp.setHeader("Docker-Distribution-API-Version", "registry/2.0");
    resp.setContentLength(body.length);
    if (!"HEAD".equals(req.getMethod())) {
      resp.getOutputStream().write(body);
    }
  }
}
