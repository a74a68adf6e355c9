package io.ocireg.spec;

import io.ocireg.spec.internal.JsonCodec;
import java.util.List;

/**
 * The body of a catalog listing: {@code {"repositories": [...]}}, an extension every Docker
 * registry serves at {@code /v2/_catalog}.
 */
public record Catalog(List<RepositoryName> repositories) {
  public Catalog {
    repositories = List.copyOf(repositories);
  }

  public byte[] toJson() {
    return JsonCodec.catalogJson(this);
  }

  public static Catalog parse(byte[] json) {
    return JsonCodec.parseCatalog(json);
  }
}
