package io.ocireg.storage.memory;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.DigestMismatchException;
import io.ocireg.storage.UploadNotFoundException;
import io.ocireg.storage.UploadOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upload session. A lock serializes appends, commit and cancel, so that the offset check and
 * the write it guards happen as one step.
 */
final class MemoryUpload implements BlobUpload {
  private final String id;
  private final RepositoryName repository;
  private final Instant startedAt;
  private final MemoryUploadStore store;
  private final MemoryBlobStore blobs;
  private final Clock clock;

  private final ReentrantLock lock = new ReentrantLock();
  private final Segments data = new Segments();
  // Both supported algorithms run as bytes arrive; the expected digest picks one at commit.
  private MessageDigest sha256 = Digest.newMessageDigest(Digest.SHA256);
  private MessageDigest sha512 = Digest.newMessageDigest(Digest.SHA512);
  private volatile long size;
  private volatile Instant lastWrite;
  private boolean ended;

  MemoryUpload(
      String id,
      RepositoryName repository,
      MemoryUploadStore store,
      MemoryBlobStore blobs,
      Clock clock) {
    this.id = id;
    this.repository = repository;
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.lastWrite = startedAt;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public RepositoryName repository() {
    return repository;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  Instant lastWrite() {
    return lastWrite;
  }

  @Override
  public long append(long expectedOffset, InputStream in) {
    Objects.requireNonNull(in, "data");
    lock.lock();
    try {
      requireOpen();
      if (expectedOffset != data.length()) {
        throw new UploadOffsetException(expectedOffset, data.length());
      }
      // Hash into copies so that a failed read leaves the running hashes untouched.
      MessageDigest next256 = copy(sha256);
      MessageDigest next512 = copy(sha512);
      try {
        data.readFrom(in, next256, next512);
      } catch (IOException e) {
        data.truncate(expectedOffset);
        throw new UncheckedIOException(e);
      } catch (RuntimeException | Error e) {
        data.truncate(expectedOffset);
        throw e;
      }
      sha256 = next256;
      sha512 = next512;
      size = data.length();
      lastWrite = clock.instant();
      return size;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public BlobInfo commit(Digest expected) {
    Objects.requireNonNull(expected, "expected");
    if (!expected.isSupported()) {
      throw new IllegalArgumentException("unsupported digest algorithm: " + expected);
    }
    lock.lock();
    try {
      requireOpen();
      MessageDigest hasher = Digest.SHA256.equals(expected.algorithm()) ? sha256 : sha512;
      Digest actual = Digest.fromHash(expected.algorithm(), copy(hasher).digest());
      end();
      if (!actual.equals(expected)) {
        throw new DigestMismatchException(expected, actual);
      }
      return blobs.publish(
          new MemoryBlobStore.StoredBlob(
              new BlobInfo(actual, data.length(), clock.instant()), data));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void cancel() {
    lock.lock();
    try {
      if (!ended) {
        end();
        data.truncate(0);
      }
    } finally {
      lock.unlock();
    }
  }

  private void end() {
    ended = true;
    store.remove(this);
  }

  private void requireOpen() {
    if (ended) {
      throw new UploadNotFoundException(id);
    }
  }

  private static MessageDigest copy(MessageDigest md) {
    try {
      return (MessageDigest) md.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(md.getAlgorithm() + " cannot be cloned", e);
    }
  }
}
