package io.ocireg.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Kubernetes-style probe: 200 {@code ok} while {@code problem} reports nothing, 503 with the
 * problem otherwise. Needs no credentials and never touches the registry's data.
 */
final class HealthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Supplier<Optional<String>> problem;

  HealthServlet(Supplier<Optional<String>> problem) {
    this.problem = problem;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String method = req.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      resp.setHeader("Allow", "GET, HEAD");
      resp.sendError(405);
      return;
    }
    Optional<String> p = problem.get();
    byte[] body =
        (p.map(s -> "not ready: " + s).orElse("ok") + "\n").getBytes(StandardCharsets.UTF_8);
    resp.setStatus(p.isPresent() ? 503 : 200);
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentType("text/plain;charset=utf-8");
    resp.setContentLength(body.length);
    if (method.equals("GET")) {
      resp.getOutputStream().write(body);
    }
  }
}
