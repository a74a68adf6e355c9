package io.ocireg.core;

import io.ocireg.storage.CollectionLock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What lets a collection run while pushes continue, inside one process. Write paths that create or
 * reuse blobs, links and manifests run in a shared section and pin what they use; the sweeper
 * deletes only in exclusive sections, after re-checking that the candidate was not pinned or
 * touched since it was marked. So a push that reuses an old blob either runs before the re-check
 * (the blob is pinned and kept) or after the delete (the push finds no blob and is refused): never
 * acknowledged and then lost.
 *
 * <p>Every section also holds the storage's {@link CollectionLock} in the same mode, which carries
 * the exclusion (not the pins) to a collector in another process on the same storage; there the
 * times that the write paths store stand in for the pins. Order: this guard, then the storage lock
 * (a write path takes its repository lock before either; the sweep takes no repository lock).
 */
final class GcGuard {
  private final ReentrantReadWriteLock sections = new ReentrantReadWriteLock();
  private final CollectionLock storageLock;
  private final ReentrantLock runs = new ReentrantLock();
  // Non-null while a collection runs: every key pinned since it started marking.
  private volatile Set<String> pins;

  GcGuard(CollectionLock storageLock) {
    this.storageLock = storageLock;
  }

  /** Runs a write path in a shared section: many at once, never during a sweep's deletions. */
  <T> T shared(Supplier<T> action) {
    sections.readLock().lock();
    try (CollectionLock.Hold hold = storageLock.shared()) {
      return action.get();
    } finally {
      sections.readLock().unlock();
    }
  }

  void shared(Runnable action) {
    shared(
        () -> {
          action.run();
          return null;
        });
  }

  /** Runs the sweeper's re-check and deletions of one batch alone. */
  <T> T exclusive(Supplier<T> action) {
    sections.writeLock().lock();
    try (CollectionLock.Hold hold = storageLock.exclusive()) {
      return action.get();
    } finally {
      sections.writeLock().unlock();
    }
  }

  /** Records that a write path used {@code key}; called inside a shared section. */
  void pin(String key) {
    Set<String> current = pins;
    if (current != null) {
      current.add(key);
    }
  }

  boolean isPinned(String key) {
    Set<String> current = pins;
    return current != null && current.contains(key);
  }

  /** Starts a run; false when another one is in progress. */
  boolean tryStartRun() {
    if (!runs.tryLock()) {
      return false;
    }
    // Pins start before the first read of the mark, so nothing used during marking is missed.
    pins = ConcurrentHashMap.newKeySet();
    return true;
  }

  void endRun() {
    pins = null;
    runs.unlock();
  }

  static String blobKey(io.ocireg.spec.Digest digest) {
    return "b " + digest;
  }

  static String linkKey(io.ocireg.spec.RepositoryName repository, io.ocireg.spec.Digest digest) {
    return "l " + repository + "@" + digest;
  }

  static String manifestKey(
      io.ocireg.spec.RepositoryName repository, io.ocireg.spec.Digest digest) {
    return "m " + repository + "@" + digest;
  }
}
