package io.ocireg.storage.memory;

import io.ocireg.storage.BlobStore;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import java.time.Clock;
import java.util.Objects;

/**
 * A {@link Storage} that keeps everything in memory: for tests and throwaway registries. Nothing
 * survives the process; everything is thread-safe.
 *
 * <p>Blob bytes are held in memory in 64 KiB segments (not one array per blob), the first of which
 * starts small and grows, so that an empty or tiny session costs little; appends stream their input
 * and hash it as it arrives.
 */
public final class InMemoryStorage implements Storage {
  private final MemoryBlobStore blobs = new MemoryBlobStore();
  private final MemoryUploadStore uploads;
  private final MemoryMetadataStore metadata;
  private volatile boolean closed;

  /** An empty storage on the system clock. */
  public InMemoryStorage() {
    this(Clock.systemUTC());
  }

  /**
   * An empty storage whose upload sessions and blobs are stamped by {@code clock}, so that tests
   * can age sessions for {@link UploadStore#listStale}.
   */
  public InMemoryStorage(Clock clock) {
    this.uploads = new MemoryUploadStore(blobs, Objects.requireNonNull(clock, "clock"));
    this.metadata = new MemoryMetadataStore(clock);
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public UploadStore uploads() {
    return uploads;
  }

  @Override
  public MetadataStore metadata() {
    return metadata;
  }

  @Override
  public void checkUsable() {
    if (closed) {
      throw new StorageException("in-memory storage is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}
