package io.ocireg.servlet;

import io.ocireg.core.Registry;
import jakarta.servlet.http.HttpServlet;

/** Placeholder replaced in the next commit. */
public class RegistryServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Registry registry;

  public RegistryServlet(Registry registry) {
    this.registry = registry;
  }

  public Registry registry() {
    return registry;
  }
}
