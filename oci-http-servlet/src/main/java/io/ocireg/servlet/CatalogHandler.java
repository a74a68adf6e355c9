package io.ocireg.servlet;

import io.ocireg.core.CatalogPage;
import io.ocireg.core.Registry;
import io.ocireg.spec.RepositoryName;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/_catalog?n=&last=}: the repositories of the registry, a page at a time, with a
 * {@code Link} to the next page. Not part of the OCI spec; every Docker registry serves it.
 */
final class CatalogHandler implements Handler {
  private final Registry registry;

  CatalogHandler(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    Optional<Integer> n = Paging.n(exchange);
    // Any string is a cursor; the engine finds its place among the names.
    CatalogPage page = registry.catalog(n, exchange.param("last").orElse(""), exchange.mayPull());
    List<RepositoryName> repositories = page.catalog().repositories();
    if (page.hasMore() && !repositories.isEmpty()) {
      String next = repositories.get(repositories.size() - 1).value();
      exchange.setHeader("Link", Paging.nextLink(exchange, "/v2/_catalog", n, next, Map.of()));
    }
    exchange.sendBytes(200, "application/json", page.catalog().toJson());
  }
}
