package io.ocireg.storage;

import io.ocireg.spec.Digest;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

/**
 * Content-addressed blobs shared by every repository; the per-repository view is kept by blob links
 * in {@link MetadataStore}. Blobs are only created by committing a {@link BlobUpload}.
 */
public interface BlobStore {

  /** Size and digest of a stored blob, or empty when it is not stored. */
  Optional<BlobInfo> stat(Digest digest);

  /**
   * Opens {@code length} bytes of a stored blob from {@code offset} for streaming. Use {@code
   * length = -1} for "to the end". Throws {@link BlobNotFoundException} when not stored, and {@link
   * IllegalArgumentException} when the range does not lie within the blob ({@code offset} from 0 to
   * the size, {@code offset + length} at most the size).
   */
  InputStream open(Digest digest, long offset, long length);

  /** Deletes a blob; returns whether it existed. */
  boolean delete(Digest digest);

  /** Digests of stored blobs in ascending {@code toString()} order after {@code after}. */
  Page<Digest> list(Optional<Digest> after, int limit);

  /**
   * Records that the blob was used at {@code at} (a push reused it): afterwards its {@link
   * BlobInfo#storedAt()} is at least {@code at}. Returns whether the blob is stored. Garbage
   * collection never deletes a blob touched within its grace period, so this is what protects an
   * old blob that a push reuses while a collector runs in another process. An object store may keep
   * the time in object metadata or in a small side record.
   *
   * <p>The default records nothing and only says whether the blob is stored; such a backend is safe
   * to collect online only from inside the serving process.
   */
  default boolean touch(Digest digest, Instant at) {
    return stat(digest).isPresent();
  }
}
