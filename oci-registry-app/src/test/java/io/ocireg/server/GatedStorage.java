package io.ocireg.server;

import io.ocireg.storage.BlobStore;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import io.ocireg.storage.memory.InMemoryStorage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * In-memory storage with two faults on demand: it can declare itself unusable, and it can hold the
 * next request that reaches blobs or uploads until the test releases it.
 */
final class GatedStorage implements Storage {
  private final InMemoryStorage delegate = new InMemoryStorage();
  private volatile boolean usable = true;
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;

  void setUsable(boolean usable) {
    this.usable = usable;
  }

  /** Holds the next request that reaches blobs or uploads; returns the latch it counts down. */
  CountDownLatch holdNext(CountDownLatch release) {
    this.release = release;
    CountDownLatch e = new CountDownLatch(1);
    this.entered = e;
    return e;
  }

  private void gate() {
    // Only requests are held; the server's own maintenance thread passes.
    if (Thread.currentThread().getName().startsWith("ocireg-maintenance")) {
      return;
    }
    CountDownLatch e = entered;
    if (e != null) {
      entered = null;
      e.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new StorageException("test never released the request");
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new StorageException("interrupted");
      }
    }
  }

  @Override
  public BlobStore blobs() {
    gate();
    return delegate.blobs();
  }

  @Override
  public UploadStore uploads() {
    gate();
    return delegate.uploads();
  }

  @Override
  public MetadataStore metadata() {
    return delegate.metadata();
  }

  @Override
  public void checkUsable() {
    if (!usable) {
      throw new StorageException("disk unplugged");
    }
    delegate.checkUsable();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
