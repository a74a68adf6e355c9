package io.ocireg.storage;

import io.ocireg.spec.Digest;
import io.ocireg.spec.Tag;
import java.time.Instant;
import java.util.Objects;

/** A tag and the manifest digest it points at, with when it was last set. */
public record TagRecord(Tag tag, Digest digest, Instant updatedAt) {
  public TagRecord {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
