package io.ocireg.storage.memory;

import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.Page;
import io.ocireg.storage.UploadStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Open upload sessions, keyed by id. */
final class MemoryUploadStore implements UploadStore {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConcurrentSkipListMap<String, MemoryUpload> sessions =
      new ConcurrentSkipListMap<>();
  private final MemoryBlobStore blobs;
  private final Clock clock;

  MemoryUploadStore(MemoryBlobStore blobs, Clock clock) {
    this.blobs = blobs;
    this.clock = clock;
  }

  @Override
  public BlobUpload create(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    while (true) {
      MemoryUpload upload = new MemoryUpload(newId(), repository, this, blobs, clock);
      if (sessions.putIfAbsent(upload.id(), upload) == null) {
        return upload;
      }
    }
  }

  @Override
  public Optional<BlobUpload> find(String id) {
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(sessions.get(id));
  }

  @Override
  public Page<String> listStale(Instant olderThan, Optional<String> after, int limit) {
    Objects.requireNonNull(olderThan, "olderThan");
    TreeMap<String, String> stale = new TreeMap<>();
    for (MemoryUpload upload : sessions.values()) {
      if (upload.lastWrite().isBefore(olderThan)) {
        stale.put(upload.id(), upload.id());
      }
    }
    return Pages.page(stale, after, limit);
  }

  void remove(MemoryUpload upload) {
    sessions.remove(upload.id(), upload);
  }

  /** 128 random bits in base64url: unguessable and safe in a URL path. */
  private static String newId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }
}
