package io.ocireg.storage.memory;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobNotFoundException;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.Page;
import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Committed blobs, keyed by the digest's wire form so that listings come out sorted. */
final class MemoryBlobStore implements BlobStore {

  /** A committed blob: its segments never change once it is here. */
  record StoredBlob(BlobInfo info, Segments data) {}

  private final ConcurrentSkipListMap<String, StoredBlob> blobs = new ConcurrentSkipListMap<>();

  /** Publishes a blob unless one with the same digest is already there; returns the stored one. */
  BlobInfo publish(StoredBlob blob) {
    StoredBlob existing = blobs.putIfAbsent(blob.info().digest().toString(), blob);
    return existing == null ? blob.info() : existing.info();
  }

  @Override
  public Optional<BlobInfo> stat(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    return Optional.ofNullable(blobs.get(digest.toString())).map(StoredBlob::info);
  }

  @Override
  public InputStream open(Digest digest, long offset, long length) {
    Objects.requireNonNull(digest, "digest");
    StoredBlob blob = blobs.get(digest.toString());
    if (blob == null) {
      throw new BlobNotFoundException(digest);
    }
    long size = blob.info().size();
    if (offset < 0 || offset > size) {
      throw new IllegalArgumentException("offset " + offset + " outside a blob of " + size);
    }
    if (length < -1 || (length >= 0 && length > size - offset)) {
      throw new IllegalArgumentException(
          "length " + length + " from " + offset + " outside a blob of " + size);
    }
    return blob.data().stream(offset, length == -1 ? size - offset : length);
  }

  @Override
  public boolean delete(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    return blobs.remove(digest.toString()) != null;
  }

  @Override
  public boolean touch(Digest digest, Instant at) {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(at, "at");
    StoredBlob touched =
        blobs.computeIfPresent(
            digest.toString(),
            (k, b) ->
                at.isAfter(b.info().storedAt())
                    ? new StoredBlob(new BlobInfo(digest, b.info().size(), at), b.data())
                    : b);
    return touched != null;
  }

  @Override
  public Page<Digest> list(Optional<Digest> after, int limit) {
    Page<StoredBlob> page = Pages.page(blobs, after.map(Digest::toString), limit);
    return new Page<>(page.items().stream().map(b -> b.info().digest()).toList(), page.hasMore());
  }
}
