package io.ocireg.spec;

import io.ocireg.spec.internal.JsonCodec;
import java.util.List;
import java.util.Objects;

/**
 * The body of a tag listing: {@code {"name": ..., "tags": [...]}}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-tags">
 *     distribution-spec: listing tags</a>
 */
public record TagList(RepositoryName name, List<Tag> tags) {
  public TagList {
    Objects.requireNonNull(name, "name");
    tags = List.copyOf(tags);
  }

  public byte[] toJson() {
    return JsonCodec.tagListJson(this);
  }

  public static TagList parse(byte[] json) {
    return JsonCodec.parseTagList(json);
  }
}
