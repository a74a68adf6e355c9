package io.ocireg.servlet;

import io.ocireg.core.Registry;
import io.ocireg.core.TagPage;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/tags/list?n=&last=}: a repository's tags in lexical order, with a {@code
 * Link} to the next page when more follow.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-tags">
 *     distribution-spec: listing tags</a>
 */
final class TagsHandler implements Handler {
  private final Registry registry;

  TagsHandler(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    RepositoryName name = route.repository();
    Optional<Integer> n = Paging.n(exchange);
    // Any string is a cursor; the engine finds its place among the tags.
    TagPage page = registry.listTags(name, n, exchange.param("last").orElse(""));
    List<Tag> tags = page.list().tags();
    if (page.hasMore() && !tags.isEmpty()) {
      String next = tags.get(tags.size() - 1).value();
      String path = "/v2/" + name.value() + "/tags/list";
      exchange.setHeader("Link", Paging.nextLink(exchange, path, n, next, Map.of()));
    }
    exchange.sendBytes(200, "application/json", page.list().toJson());
  }
}
