package io.ocireg.examples.tomcat;

import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The application's health endpoint. It includes the registry's storage, because an application
 * whose registry cannot write is not healthy either.
 */
final class HealthServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient Storage storage;

  HealthServlet(Storage storage) {
    this.storage = storage;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("text/plain;charset=utf-8");
    try {
      storage.checkUsable();
      response.getWriter().println("ok");
    } catch (StorageException e) {
      response.setStatus(503);
      response.getWriter().println("registry storage unusable: " + e.getMessage());
    }
  }
}
