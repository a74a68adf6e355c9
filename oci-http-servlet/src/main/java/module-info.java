/** RegistryServlet: the OCI distribution HTTP API on any Jakarta Servlet 6.0 host. */
module io.ocireg.servlet {
  requires transitive io.ocireg.core;
  requires static transitive jakarta.servlet;
  requires org.slf4j;

  exports io.ocireg.servlet;
}
