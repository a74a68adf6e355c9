package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.Page;
import io.ocireg.storage.UploadStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload sessions as directories {@code uploads/<id>/} holding {@code info} (repository, start
 * time) and {@code data} (the bytes so far). A session directory is built in {@code tmp/} and
 * renamed into place whole, so a visible session always has both files; it ends by deleting {@code
 * info} first, so a half-removed session is never found.
 */
final class FileUploadStore implements UploadStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileUploadStore.class);

  private final FileSystemStorage storage;
  private final Layout layout;
  private final DurableFiles files;
  private final FileBlobStore blobs;

  /** In-process state per session id: the lock serializing its writes and the running hash. */
  private final ConcurrentHashMap<String, SessionState> sessions = new ConcurrentHashMap<>();

  FileUploadStore(
      FileSystemStorage storage, Layout layout, DurableFiles files, FileBlobStore blobs) {
    this.storage = storage;
    this.layout = layout;
    this.files = files;
    this.blobs = blobs;
  }

  @Override
  public BlobUpload create(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    storage.ensureOpen();
    String id = UUID.randomUUID().toString(); // SecureRandom: unguessable and URL-safe
    Instant startedAt = Instant.now();
    Path target = layout.upload(id).orElseThrow();
    Path staging = files.newTempDirectory();
    try {
      writeAndSync(staging.resolve(Layout.UPLOAD_INFO), infoBytes(repository, startedAt));
      writeAndSync(staging.resolve(Layout.UPLOAD_DATA), new byte[0]);
      files.syncDirectory(staging);
      files.publish(staging, target);
    } catch (IOException e) {
      deleteQuietly(staging);
      throw files.failure("cannot create upload session", target, e);
    }
    sessions.put(id, SessionState.fresh());
    return new FileBlobUpload(this, id, repository, startedAt);
  }

  @Override
  public Optional<BlobUpload> find(String id) {
    storage.ensureOpen();
    Optional<Path> dir = layout.upload(id); // anything but a well-formed id is simply unknown
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    Optional<Info> info = readInfo(dir.get());
    if (info.isEmpty() || !Files.isRegularFile(dir.get().resolve(Layout.UPLOAD_DATA))) {
      return Optional.empty();
    }
    return Optional.of(
        new FileBlobUpload(this, id, info.get().repository(), info.get().startedAt()));
  }

  @Override
  public Page<String> listStale(Instant olderThan, Optional<String> after, int limit) {
    Objects.requireNonNull(olderThan, "olderThan");
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    int want = Listings.fetchSize(limit);
    List<String> out = new ArrayList<>();
    for (String id : Listings.sortedNames(layout.uploads)) {
      if (!Layout.isUploadId(id) || (after.isPresent() && id.compareTo(after.get()) <= 0)) {
        continue;
      }
      Path dir = layout.upload(id).orElseThrow();
      if (!Files.isRegularFile(dir.resolve(Layout.UPLOAD_INFO))) {
        continue;
      }
      Optional<Instant> lastWritten = lastWritten(dir);
      if (lastWritten.isPresent() && lastWritten.get().isBefore(olderThan)) {
        out.add(id);
        if (out.size() >= want) {
          break;
        }
      }
    }
    return Listings.page(out, limit);
  }

  /** Removes session directories a crash left half-deleted (no info, or no data). */
  void sweepBroken() {
    for (String id : Listings.sortedNames(layout.uploads)) {
      Optional<Path> dir = layout.upload(id);
      if (dir.isEmpty()) {
        continue;
      }
      if (!Files.isRegularFile(dir.get().resolve(Layout.UPLOAD_INFO))
          || !Files.isRegularFile(dir.get().resolve(Layout.UPLOAD_DATA))) {
        LOG.info("removing the remains of upload session {} (ended by a crash)", id);
        deleteQuietly(dir.get());
      }
    }
  }

  void clear() {
    sessions.clear();
  }

  // ---- used by FileBlobUpload ---------------------------------------------------------------

  Layout layout() {
    return layout;
  }

  DurableFiles files() {
    return files;
  }

  FileBlobStore blobs() {
    return blobs;
  }

  void ensureOpen() {
    storage.ensureOpen();
  }

  SessionState state(String id) {
    return sessions.computeIfAbsent(id, k -> SessionState.restored());
  }

  /** Drops the in-process state of a session that has ended. */
  void forget(String id, SessionState state) {
    sessions.remove(id, state);
  }

  // ---- internals ------------------------------------------------------------------------------

  private Optional<Info> readInfo(Path dir) {
    Path file = dir.resolve(Layout.UPLOAD_INFO);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw files.failure("cannot read", file, e);
    }
    String repository = null;
    String startedAt = null;
    for (String line : text.split("\n", -1)) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.equals("repository")) {
        repository = value;
      } else if (key.equals("startedAt")) {
        startedAt = value;
      }
    }
    try {
      if (repository != null && startedAt != null) {
        return Optional.of(new Info(RepositoryName.parse(repository), Instant.parse(startedAt)));
      }
    } catch (InvalidValueException | DateTimeParseException e) {
      // reported below
    }
    LOG.warn("ignoring upload session with a corrupt info file: {}", file);
    return Optional.empty();
  }

  private static byte[] infoBytes(RepositoryName repository, Instant startedAt) {
    return ("repository=" + repository.value() + "\nstartedAt=" + startedAt + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void writeAndSync(Path file, byte[] content) throws IOException {
    Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    files.force(file);
  }

  private Optional<Instant> lastWritten(Path dir) {
    try {
      return Optional.of(
          Files.readAttributes(dir.resolve(Layout.UPLOAD_DATA), BasicFileAttributes.class)
              .lastModifiedTime()
              .toInstant());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw files.failure("cannot stat", dir, e);
    }
  }

  private void deleteQuietly(Path dir) {
    try {
      files.deleteTree(dir);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }

  private record Info(RepositoryName repository, Instant startedAt) {}

  /**
   * The running sha256 of a session, valid while {@code hashed} equals the data file's size (it
   * stops being valid after a failed append or a restart; the commit then rereads the file).
   */
  static final class SessionState {
    final ReentrantLock lock = new ReentrantLock();
    private MessageDigest sha256;
    private long hashed;

    private SessionState(MessageDigest sha256, long hashed) {
      this.sha256 = sha256;
      this.hashed = hashed;
    }

    static SessionState fresh() {
      return new SessionState(Digest.newMessageDigest(Digest.SHA256), 0);
    }

    /** After a restart the bytes already on disk were never seen by this process. */
    static SessionState restored() {
      return new SessionState(null, -1);
    }

    /** The running hasher if it covers exactly {@code size} bytes, else null. */
    MessageDigest hasherAt(long size) {
      if (sha256 == null && size == 0) {
        sha256 = Digest.newMessageDigest(Digest.SHA256);
        hashed = 0;
      }
      return hashed == size ? sha256 : null;
    }

    void hashedUpTo(long size) {
      hashed = size;
    }

    void invalidate() {
      sha256 = null;
      hashed = -1;
    }

    /** Reads all of {@code channel} into a fresh hasher; for restarts and other algorithms. */
    static Digest hashFile(String algorithm, FileChannel channel, long size) throws IOException {
      MessageDigest md = Digest.newMessageDigest(algorithm);
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      long pos = 0;
      while (pos < size) {
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), size - pos));
        int n = channel.read(buf, pos);
        if (n < 0) {
          break;
        }
        md.update(buf.array(), 0, n);
        pos += n;
      }
      return Digest.fromHash(algorithm, md.digest());
    }
  }
}
