package io.ocireg.servlet;

import io.ocireg.core.ReferrersPage;
import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v2/<name>/referrers/<digest>?artifactType=}: the manifests whose {@code subject} is
 * {@code <digest>}, as an image index; {@code OCI-Filters-Applied} when filtered, {@code Link} when
 * more follow.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers">
 *     distribution-spec: listing referrers</a>
 */
final class ReferrersHandler implements Handler {
  private final Registry registry;

  ReferrersHandler(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    RepositoryName name = route.repository();
    Digest subject = Digest.parse(route.argument());
    Optional<String> rawType = exchange.param("artifactType").filter(s -> !s.isEmpty());
    Optional<MediaType> artifactType = rawType.map(MediaType::of);
    Optional<Integer> n = Paging.n(exchange);
    Optional<Digest> last = exchange.param("last").filter(s -> !s.isEmpty()).map(Digest::parse);
    ReferrersPage page = registry.referrers(name, subject, artifactType, n, last);
    if (page.filtered()) {
      exchange.setHeader("OCI-Filters-Applied", "artifactType");
    }
    List<Descriptor> manifests = page.index().manifests();
    if (page.hasMore() && !manifests.isEmpty()) {
      String next = manifests.get(manifests.size() - 1).digest().toString();
      String path = "/v2/" + name.value() + "/referrers/" + subject;
      Map<String, String> extra =
          artifactType.map(t -> Map.of("artifactType", t.value())).orElse(Map.of());
      exchange.setHeader("Link", Paging.nextLink(exchange, path, n, next, extra));
    }
    exchange.sendBytes(200, MediaType.OCI_INDEX.value(), page.index().toJson());
  }
}
