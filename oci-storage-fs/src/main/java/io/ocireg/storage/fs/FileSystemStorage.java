package io.ocireg.storage.fs;

import io.ocireg.storage.BlobStore;
import io.ocireg.storage.CollectionLock;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage in a directory of the local filesystem: content-addressed blobs, resumable upload
 * sessions that survive restarts, and small metadata files; every write atomic (temp file, fsync,
 * rename, directory fsync) and nothing half-written ever visible. One process per root, except a
 * collector or scrub opened with {@link Builder#sweepOnOpen(boolean) sweepOnOpen(false)}.
 *
 * <p>On-disk layout under the root: {@code blobs/<alg>/<first 2 chars>/<encoded>}, {@code
 * uploads/<id>/{info,data}}, {@code repositories/<name>/{_manifests,_tags,_links,_referrers}/...},
 * {@code tmp/}, and {@code gc.lock}, the {@linkplain #collectionLock() collection lock} that a
 * server and a collector in another process share.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">
 *     distribution-spec v1.1</a>
 */
public final class FileSystemStorage implements Storage {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemStorage.class);

  private final Layout layout;
  private final DurableFiles files;
  private final FileBlobStore blobs;
  private final FileUploadStore uploads;
  private final FileMetadataStore metadata;
  private final FileCollectionLock collectionLock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private FileSystemStorage(Path root, boolean fsync) {
    this.layout = new Layout(root);
    this.files = new DurableFiles(root, layout.tmp, fsync);
    this.blobs = new FileBlobStore(this, layout, files);
    this.uploads = new FileUploadStore(this, layout, files, blobs);
    this.metadata = new FileMetadataStore(this, layout, files);
    this.collectionLock = FileCollectionLock.open(root);
  }

  /**
   * Opens (creating it if missing) the storage in {@code root}, with fsync on. Throws {@link
   * StorageException} when the root cannot be used: not a directory, not writable.
   */
  public static FileSystemStorage open(Path root) {
    return builder(root).open();
  }

  /** A builder for a storage in {@code root}, for options beyond the defaults. */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Options of a {@link FileSystemStorage}. */
  public static final class Builder {
    private final Path root;
    private boolean fsync = true;
    private boolean sweepOnOpen = true;

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * Whether writes are flushed to the device before they are acknowledged (default on). Turn it
     * off only where losing data on power loss does not matter, such as tests; atomicity against
     * crashes of the process is kept either way.
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Whether opening removes what a crash left behind: temp files and half-ended upload sessions
     * (default on). Turn it off to open a root that a running server also uses (such as for a
     * garbage collection or scrub from the command line): that server's temp files and sessions in
     * progress are then left alone.
     */
    public Builder sweepOnOpen(boolean sweepOnOpen) {
      this.sweepOnOpen = sweepOnOpen;
      return this;
    }

    /** Opens the storage, creating the root and its layout when missing. */
    public FileSystemStorage open() {
      Path real = prepareRoot(root);
      FileSystemStorage storage = new FileSystemStorage(real, fsync);
      try {
        storage.initialize(sweepOnOpen);
      } catch (RuntimeException e) {
        storage.close();
        throw e;
      }
      return storage;
    }
  }

  @Override
  public BlobStore blobs() {
    ensureOpen();
    return blobs;
  }

  @Override
  public UploadStore uploads() {
    ensureOpen();
    return uploads;
  }

  @Override
  public MetadataStore metadata() {
    ensureOpen();
    return metadata;
  }

  /**
   * Record locks on {@code gc.lock} in the root, which every process that opens this root sees: a
   * collection from the command line and the write paths of a server on the same directory exclude
   * each other for the length of one batch of deletes.
   */
  @Override
  public CollectionLock collectionLock() {
    ensureOpen();
    return collectionLock;
  }

  @Override
  public void checkUsable() {
    Path root = layout.root;
    if (closed.get()) {
      throw new StorageException("storage at " + root + " is closed");
    }
    if (!Files.isDirectory(root)) {
      throw new StorageException("storage root is missing or not a directory: " + root);
    }
    for (Path dir : new Path[] {layout.blobs, layout.uploads, layout.repositories, layout.tmp}) {
      if (!Files.isDirectory(dir)) {
        throw new StorageException("storage directory is missing: " + dir);
      }
    }
    // Files.isWritable does not see read-only mounts or a full disk; a real write does.
    Path probe = files.newTempFile();
    files.deleteQuietly(probe);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      uploads.clear();
      collectionLock.release();
      LOG.debug("closed storage at {}", layout.root);
    }
  }

  @Override
  public String toString() {
    return "FileSystemStorage[" + layout.root + "]";
  }

  void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("storage at " + layout.root + " is closed");
    }
  }

  // ---- opening --------------------------------------------------------------------------------

  private static Path prepareRoot(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    for (Path p = absolute; p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new StorageException(
              "storage root is not a directory: "
                  + absolute
                  + (p.equals(absolute) ? "" : " (" + p + " is a file)"));
        }
        break;
      }
    }
    try {
      Files.createDirectories(absolute);
      // Resolve symlinks once so that the "stays under the root" checks compare real paths.
      Path real = absolute.toRealPath();
      if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        throw new StorageException("storage root is not a directory: " + absolute);
      }
      if (!Files.isWritable(real)) {
        throw new StorageException("storage root is not writable: " + absolute);
      }
      return real;
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new StorageException("storage root is not a directory: " + absolute, e);
    } catch (IOException e) {
      throw new StorageException("cannot create storage root " + absolute + ": " + e, e);
    }
  }

  private void initialize(boolean sweep) {
    try {
      for (Path dir : new Path[] {layout.blobs, layout.uploads, layout.repositories, layout.tmp}) {
        files.ensureDirectory(dir);
      }
      files.syncDirectory(layout.root);
      if (sweep) {
        // Left by a crash: temp files are never referenced, half-ended sessions never found.
        for (String name : Listings.sortedNames(layout.tmp)) {
          files.deleteTree(layout.tmp.resolve(name));
        }
        uploads.sweepBroken();
      }
    } catch (IOException e) {
      throw files.failure("cannot prepare storage in", layout.root, e);
    }
    checkUsable();
    LOG.info("storage at {}", layout.root);
  }
}
