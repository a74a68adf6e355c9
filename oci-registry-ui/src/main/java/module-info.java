/** UiServlet: a web UI and its JSON API over the ocireg engine, on any Jakarta Servlet 6.0 host. */
module io.ocireg.ui {
  requires transitive io.ocireg.core;
  requires static transitive jakarta.servlet;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.ocireg.ui;
}
