package io.ocireg.storage.memory;

import io.ocireg.storage.BlobStore;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import io.ocireg.storage.tck.StorageContract;
import java.util.Optional;

/**
 * Runs the contract, restart tests included, against in-memory data that outlives a closed view of
 * it: this proves the restart tests pass on a backend that keeps everything.
 */
class RestartableInMemoryStorageTest extends StorageContract {
  private final InMemoryStorage data = new InMemoryStorage();

  @Override
  protected Storage newStorage() {
    return new View(data);
  }

  @Override
  protected Optional<Storage> reopen(Storage previous) {
    previous.close();
    return Optional.of(new View(data));
  }

  /** One "process lifetime" over the shared data. */
  private static final class View implements Storage {
    private final InMemoryStorage data;
    private volatile boolean closed;

    View(InMemoryStorage data) {
      this.data = data;
    }

    @Override
    public BlobStore blobs() {
      return data.blobs();
    }

    @Override
    public UploadStore uploads() {
      return data.uploads();
    }

    @Override
    public MetadataStore metadata() {
      return data.metadata();
    }

    @Override
    public void checkUsable() {
      if (closed) {
        throw new StorageException("closed");
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
