package io.ocireg.storage;

/**
 * A registry's storage: content-addressed blobs, resumable upload sessions and small metadata
 * records. A backend stores and lists; every registry rule lives in the engine above it.
 *
 * <p>The SPI never asks for a rename or a directory: an object store with last-writer-wins puts and
 * paginated prefix listing can implement it.
 */
public interface Storage extends AutoCloseable {

  BlobStore blobs();

  UploadStore uploads();

  MetadataStore metadata();

  /**
   * Checks that the storage can be used now (for readiness probes): the backing directory or bucket
   * exists and is writable. Throws {@link StorageException} with the reason otherwise.
   */
  void checkUsable();

  /**
   * The lock that coordinates garbage collection with the write paths of other processes using this
   * same storage. The default, {@link CollectionLock#NONE}, suits a storage that one process alone
   * can open (such as the in-memory one); a backend that several processes may share returns a lock
   * they all see.
   */
  default CollectionLock collectionLock() {
    return CollectionLock.NONE;
  }

  /** Releases resources; the storage is not used afterwards. Safe to call twice. */
  @Override
  void close();
}
