package io.ocireg.storage.fs;

import io.ocireg.storage.CollectionLock;
import io.ocireg.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CollectionLock} of a storage root: record locks on the file {@value #FILE_NAME}
 * between processes, Java locks between the threads of one process.
 *
 * <p>Byte 0 of the file is the lock itself: held shared by write paths, exclusive by a collector.
 * Byte 1 is a turnstile: a collector holds it exclusive while it waits for byte 0 and while it
 * deletes; every new shared hold first passes through it (takes it shared and lets it go at once).
 * So a collector waiting for pushes in flight to finish keeps new ones out, and pushes that overlap
 * without end cannot starve it.
 *
 * <p>The platform's rules shape the rest. Record locks belong to the process, and one process may
 * not hold overlapping ones through Java ({@link java.nio.channels.OverlappingFileLockException}):
 * the threads of this process that hold the lock shared therefore share one file lock, counted, and
 * a thread taking it exclusive first excludes them with a Java lock. Closing any channel of the
 * file would drop every lock of the process on it, so there is one channel per file and process,
 * shared by every storage opened on the root. A thread interrupted while blocked in {@link
 * FileChannel#lock} closes the channel: the locks are only ever tried ({@link
 * FileChannel#tryLock}), with short pauses in between.
 */
final class FileCollectionLock implements CollectionLock {
  static final String FILE_NAME = "gc.lock";
  private static final Logger LOG = LoggerFactory.getLogger(FileCollectionLock.class);
  private static final long LOCK = 0;
  private static final long TURNSTILE = 1;
  private static final long FIRST_PAUSE_NANOS = 50_000;
  private static final long LONGEST_PAUSE_NANOS = 5_000_000;

  /** Guarded by itself: the lock of each open file, with how many storages use it. */
  private static final Map<Path, FileCollectionLock> OPEN = new HashMap<>();

  private final Path file;
  private final FileChannel channel;
  private int users; // guarded by OPEN

  /** Excludes this process's shared holds while one of its threads holds or takes exclusive. */
  private final ReentrantReadWriteLock local = new ReentrantReadWriteLock();

  /** Lets one thread of this process at a time through the turnstile byte. */
  private final Object turnstile = new Object();

  private final Object counting = new Object();
  private int sharedHolds; // guarded by counting
  private FileLock sharedLock; // guarded by counting; held while sharedHolds > 0

  private FileCollectionLock(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** The lock of the storage in {@code root} (a real path), opened once per process. */
  static FileCollectionLock open(Path root) {
    Path file = root.resolve(FILE_NAME);
    synchronized (OPEN) {
      FileCollectionLock lock = OPEN.get(file);
      if (lock == null) {
        try {
          lock =
              new FileCollectionLock(
                  file,
                  FileChannel.open(
                      file,
                      StandardOpenOption.CREATE,
                      StandardOpenOption.READ,
                      StandardOpenOption.WRITE));
        } catch (IOException e) {
          throw new StorageException("cannot open the collection lock " + file + ": " + e, e);
        }
        OPEN.put(file, lock);
      }
      lock.users++;
      return lock;
    }
  }

  /** Ends one storage's use; the file is closed (and its locks dropped) after the last one. */
  void release() {
    synchronized (OPEN) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(file);
      try {
        channel.close();
      } catch (IOException e) {
        LOG.warn("cannot close the collection lock {}: {}", file, e.toString());
      }
    }
  }

  @Override
  public Hold shared() {
    local.readLock().lock();
    boolean held = false;
    try {
      Pause pause = new Pause("shared");
      while (!passTurnstile()) {
        pause.await();
      }
      while (!takeShared()) {
        pause.await();
      }
      held = true;
      return once(this::releaseShared);
    } finally {
      if (!held) {
        local.readLock().unlock();
      }
    }
  }

  @Override
  public Hold exclusive() {
    local.writeLock().lock();
    FileLock gate = null;
    boolean held = false;
    try {
      Pause pause = new Pause("exclusive");
      while ((gate = tryLock(TURNSTILE, false)) == null) {
        pause.await();
      }
      FileLock lock;
      while ((lock = tryLock(LOCK, false)) == null) {
        pause.await();
      }
      held = true;
      return exclusiveHold(gate, lock);
    } finally {
      if (!held) {
        if (gate != null) {
          releaseQuietly(gate);
        }
        local.writeLock().unlock();
      }
    }
  }

  /**
   * Tries to take the lock shared without waiting, as {@link #shared()} would; empty when a
   * collector holds it or waits for it.
   */
  Optional<Hold> tryShared() {
    if (!local.readLock().tryLock()) {
      return Optional.empty();
    }
    boolean held = false;
    try {
      if (passTurnstile() && takeShared()) {
        held = true;
        return Optional.of(once(this::releaseShared));
      }
      return Optional.empty();
    } finally {
      if (!held) {
        local.readLock().unlock();
      }
    }
  }

  /** Tries to take the lock exclusive without waiting; empty when anyone else holds it. */
  Optional<Hold> tryExclusive() {
    if (!local.writeLock().tryLock()) {
      return Optional.empty();
    }
    FileLock gate = null;
    boolean held = false;
    try {
      gate = tryLock(TURNSTILE, false);
      FileLock lock = gate == null ? null : tryLock(LOCK, false);
      if (lock != null) {
        held = true;
        return Optional.of(exclusiveHold(gate, lock));
      }
      return Optional.empty();
    } finally {
      if (!held) {
        if (gate != null) {
          releaseQuietly(gate);
        }
        local.writeLock().unlock();
      }
    }
  }

  @Override
  public String toString() {
    return "FileCollectionLock[" + file + "]";
  }

  private Hold exclusiveHold(FileLock gate, FileLock lock) {
    return once(
        () -> {
          try {
            releaseQuietly(lock);
            releaseQuietly(gate);
          } finally {
            local.writeLock().unlock();
          }
        });
  }

  /** Takes the turnstile shared and lets it go: false while a collector holds it. */
  private boolean passTurnstile() {
    synchronized (turnstile) {
      FileLock gate = tryLock(TURNSTILE, true);
      if (gate == null) {
        return false;
      }
      releaseQuietly(gate);
      return true;
    }
  }

  private boolean takeShared() {
    synchronized (counting) {
      if (sharedHolds == 0) {
        FileLock lock = tryLock(LOCK, true);
        if (lock == null) {
          return false;
        }
        sharedLock = lock;
      }
      sharedHolds++;
      return true;
    }
  }

  private void releaseShared() {
    try {
      synchronized (counting) {
        if (--sharedHolds == 0) {
          releaseQuietly(sharedLock);
          sharedLock = null;
        }
      }
    } finally {
      local.readLock().unlock();
    }
  }

  /** The file lock of one byte, or null when another process holds it in a conflicting mode. */
  private FileLock tryLock(long position, boolean shared) {
    try {
      return channel.tryLock(position, 1, shared);
    } catch (IOException e) {
      throw new StorageException("cannot take the collection lock " + file + ": " + e, e);
    }
  }

  private void releaseQuietly(FileLock lock) {
    try {
      lock.release();
    } catch (IOException e) {
      // The channel is gone (the storage was closed): so are its locks.
      LOG.warn("cannot release the collection lock {}: {}", file, e.toString());
    }
  }

  private static Hold once(Runnable release) {
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        release.run();
      }
    };
  }

  /** Short, growing pauses between tries; an interrupt ends the wait with a failure. */
  private final class Pause {
    private final String mode;
    private long nanos = FIRST_PAUSE_NANOS;

    Pause(String mode) {
      this.mode = mode;
    }

    void await() {
      LockSupport.parkNanos(this, nanos);
      nanos = Math.min(LONGEST_PAUSE_NANOS, nanos * 2);
      if (Thread.currentThread().isInterrupted()) {
        throw new StorageException(
            "interrupted while waiting for the collection lock " + file + " (" + mode + ")");
      }
    }
  }
}
