package io.ocireg.storage;

import io.ocireg.spec.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * What storage knows of a committed blob: its digest, size and when it was stored or last
 * {@linkplain BlobStore#touch touched}, whichever is later.
 */
public record BlobInfo(Digest digest, long size, Instant storedAt) {
  public BlobInfo {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(storedAt, "storedAt");
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }
}
