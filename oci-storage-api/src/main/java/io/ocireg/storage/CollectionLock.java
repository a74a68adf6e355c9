package io.ocireg.storage;

/**
 * The lock that garbage collection shares with the write paths of every process using the same
 * storage: write paths that reuse an existing blob, link or manifest hold it shared, a collector
 * holds it exclusive while it re-checks and deletes one small batch. Within one process the engine
 * coordinates by itself; this lock carries that coordination to a collector in another process
 * (such as {@code java -jar oci-registry.jar gc} next to a running server).
 *
 * <p>Holds are short and not reentrant: a thread that holds the lock must not take it again. While
 * a collector waits for the exclusive mode, new shared holds wait too, so that a steady stream of
 * pushes cannot keep a collection out for ever. Both methods throw {@link StorageException} when
 * the lock cannot be taken (an I/O error, or the waiting thread was interrupted); nothing was held
 * then.
 */
public interface CollectionLock {

  /** A lock that coordinates nothing: for storage that only one process can use at a time. */
  CollectionLock NONE =
      new CollectionLock() {
        @Override
        public Hold shared() {
          return () -> {};
        }

        @Override
        public Hold exclusive() {
          return () -> {};
        }
      };

  /** Waits until the lock can be held shared (alongside other shared holds) and holds it. */
  Hold shared();

  /** Waits until the lock can be held alone and holds it. */
  Hold exclusive();

  /** A hold of the lock; closing it releases it. */
  interface Hold extends AutoCloseable {
    /** Releases the hold. */
    @Override
    void close();
  }
}
