package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.DigestMismatchException;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadNotFoundException;
import io.ocireg.storage.UploadOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on one upload session. Several handles may exist for one id (one per request); they
 * share the session's lock and running hash through {@link FileUploadStore#state}.
 */
final class FileBlobUpload implements BlobUpload {
  private static final Logger LOG = LoggerFactory.getLogger(FileBlobUpload.class);
  private static final int CHUNK = 64 * 1024;

  private final FileUploadStore store;
  private final String id;
  private final RepositoryName repository;
  private final Instant startedAt;
  private final Path dir;
  private final Path info;
  private final Path data;
  private volatile long lastKnownSize;

  FileBlobUpload(FileUploadStore store, String id, RepositoryName repository, Instant startedAt) {
    this.store = store;
    this.id = id;
    this.repository = repository;
    this.startedAt = startedAt;
    this.dir = store.layout().upload(id).orElseThrow();
    this.info = dir.resolve(Layout.UPLOAD_INFO);
    this.data = dir.resolve(Layout.UPLOAD_DATA);
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
    try {
      lastKnownSize = Files.size(data);
    } catch (NoSuchFileException e) {
      // ended: report what we saw last
    } catch (IOException e) {
      throw store.files().failure("cannot stat", data, e);
    }
    return lastKnownSize;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public long append(long expectedOffset, InputStream input) {
    Objects.requireNonNull(input, "input");
    store.ensureOpen();
    FileUploadStore.SessionState state = store.state(id);
    state.lock.lock();
    try {
      requireLive(state);
      try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
        long before = ch.size();
        if (before != expectedOffset) {
          throw new UploadOffsetException(expectedOffset, before);
        }
        MessageDigest hasher = state.hasherAt(before);
        long position = before;
        try {
          byte[] buf = new byte[CHUNK];
          while (true) {
            int n = read(input, buf);
            if (n < 0) {
              break;
            }
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
              position += ch.write(bb, position);
            }
            if (hasher != null) {
              hasher.update(buf, 0, n);
            }
          }
          store.files().force(ch);
        } catch (IOException | RuntimeException | Error e) {
          // All or nothing: cut back to where this call started, then report.
          state.invalidate();
          truncate(before, e);
          if (e instanceof IOException io) {
            throw store.files().failure("cannot append to", data, io);
          }
          throw e;
        }
        if (hasher != null) {
          state.hashedUpTo(position);
        }
        lastKnownSize = position;
        return position;
      }
    } catch (NoSuchFileException e) {
      throw gone(state);
    } catch (IOException e) {
      throw store.files().failure("cannot append to", data, e);
    } finally {
      state.lock.unlock();
    }
  }

  @Override
  public BlobInfo commit(Digest expected) {
    Objects.requireNonNull(expected, "expected");
    if (!expected.isSupported()) {
      // The caller's mistake, not the upload's: the session stays open for a proper digest.
      throw new IllegalArgumentException("cannot verify digests of algorithm " + expected);
    }
    store.ensureOpen();
    FileUploadStore.SessionState state = store.state(id);
    state.lock.lock();
    try {
      requireLive(state);
      long size;
      Digest actual;
      try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
        size = ch.size();
        actual = digestOf(expected.algorithm(), ch, size, state);
        if (actual.equals(expected)) {
          // Durable before visible: the rename must never publish bytes still in the cache.
          store.files().force(ch);
        }
      }
      lastKnownSize = size;
      if (!actual.equals(expected)) {
        end(state);
        throw new DigestMismatchException(expected, actual);
      }
      FileBlobStore blobs = store.blobs();
      Path blob = blobs.pathOf(expected);
      Optional<BlobInfo> existing = blobs.stat(expected, blob);
      if (existing.isEmpty()) {
        // Replaces a blob committed concurrently by another session: same bytes, atomic rename.
        store.files().publish(data, blob);
      }
      end(state);
      return blobs
          .stat(expected, blob)
          .orElseGet(() -> new BlobInfo(expected, size, Instant.now())); // deleted meanwhile
    } catch (NoSuchFileException e) {
      throw gone(state);
    } catch (IOException e) {
      throw store.files().failure("cannot commit", data, e);
    } finally {
      state.lock.unlock();
    }
  }

  @Override
  public void cancel() {
    FileUploadStore.SessionState state = store.state(id);
    state.lock.lock();
    try {
      if (Files.exists(dir)) {
        end(state);
      } else {
        store.forget(id, state);
      }
    } catch (IOException e) {
      throw store.files().failure("cannot cancel upload", dir, e);
    } finally {
      state.lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "upload " + id + " to " + repository;
  }

  // ---- internals ------------------------------------------------------------------------------

  private static int read(InputStream input, byte[] buf) {
    try {
      int n;
      do {
        n = input.read(buf);
      } while (n == 0);
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the client's stream failed, not the storage
    }
  }

  private static Digest digestOf(
      String algorithm, FileChannel ch, long size, FileUploadStore.SessionState state)
      throws IOException {
    if (algorithm.equals(Digest.SHA256)) {
      MessageDigest running = state.hasherAt(size);
      if (running != null) {
        state.invalidate(); // digest() resets it
        return Digest.fromHash(Digest.SHA256, running.digest());
      }
    }
    return FileUploadStore.SessionState.hashFile(algorithm, ch, size);
  }

  private void requireLive(FileUploadStore.SessionState state) {
    if (!Files.isRegularFile(info) || !Files.isRegularFile(data)) {
      throw gone(state);
    }
  }

  private UploadNotFoundException gone(FileUploadStore.SessionState state) {
    store.forget(id, state);
    return new UploadNotFoundException(id);
  }

  /** Ends the session: {@code info} goes first, so that a crash midway leaves nothing findable. */
  private void end(FileUploadStore.SessionState state) throws IOException {
    store.forget(id, state);
    DurableFiles files = store.files();
    Files.deleteIfExists(info);
    files.deleteTree(dir);
    files.syncDirectory(store.layout().uploads);
  }

  private void truncate(long size, Throwable cause) {
    // A write interrupted by Thread.interrupt() closes the channel and would fail the truncate
    // as well; clear the flag for the repair and restore it afterwards.
    boolean interrupted = Thread.interrupted();
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      store.files().force(ch);
    } catch (IOException e) {
      LOG.error("upload {}: cannot cut back to {} bytes after a failed append", id, size, e);
      StorageException damaged =
          new StorageException("upload " + id + " is damaged: cannot undo a failed append", cause);
      damaged.addSuppressed(e);
      throw damaged;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
