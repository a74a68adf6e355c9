package io.ocireg.storage.fs;

import io.ocireg.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic, durable file operations: write to a temp file on the same filesystem, fsync it, rename it
 * into place, fsync the directory. A reader sees either the old file or the complete new one.
 */
final class DurableFiles {
  private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

  private final Path root;
  private final Path tmp;
  private final boolean fsync;
  private final AtomicBoolean directorySyncWarned = new AtomicBoolean();

  DurableFiles(Path root, Path tmp, boolean fsync) {
    this.root = root;
    this.tmp = tmp;
    this.fsync = fsync;
  }

  /** Replaces {@code target} with {@code content} atomically and durably. */
  void write(Path target, byte[] content) {
    Path temp = newTempFile();
    boolean published = false;
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        if (fsync) {
          ch.force(true);
        }
      }
      publish(temp, target);
      published = true;
    } catch (IOException e) {
      throw failure("cannot write", target, e);
    } finally {
      if (!published) {
        deleteQuietly(temp);
      }
    }
  }

  /** A fresh empty file in the temp directory, which is on the same filesystem as everything. */
  Path newTempFile() {
    try {
      return Files.createTempFile(tmp, "w-", ".tmp");
    } catch (IOException e) {
      throw failure("cannot create a temp file in", tmp, e);
    }
  }

  /** A fresh empty directory in the temp directory. */
  Path newTempDirectory() {
    try {
      return Files.createTempDirectory(tmp, "d-");
    } catch (IOException e) {
      throw failure("cannot create a temp directory in", tmp, e);
    }
  }

  /**
   * Renames {@code source} (already complete and synced) to {@code target} atomically, replacing
   * it, and syncs the directory so that the new entry survives a crash.
   */
  void publish(Path source, Path target) throws IOException {
    Path parent = target.getParent();
    ensureDirectory(parent);
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      if (!Files.exists(source)) {
        throw e;
      }
      // A collector pruned the (empty) directory between its creation and the rename: once more.
      ensureDirectory(parent);
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }
    syncDirectory(parent);
  }

  /**
   * Moves the modification time of {@code file} forward to {@code at} (never back); returns whether
   * the file exists. The time is metadata only: losing it in a power cut makes a file look older,
   * which only the garbage collector's grace period cares about, and it re-checks before deleting.
   */
  boolean touch(Path file, Instant at) {
    try {
      FileTime now = FileTime.from(at);
      if (Files.getLastModifiedTime(file).compareTo(now) < 0) {
        Files.setLastModifiedTime(file, now);
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw failure("cannot touch", file, e);
    }
  }

  /** The modification time of {@code file}, or empty when it does not exist. */
  java.util.Optional<Instant> modifiedAt(Path file) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      return attrs.isRegularFile()
          ? java.util.Optional.of(attrs.lastModifiedTime().toInstant())
          : java.util.Optional.empty();
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw failure("cannot stat", file, e);
    }
  }

  /** Deletes a file durably; returns whether it existed. */
  boolean delete(Path file) {
    try {
      boolean existed = Files.deleteIfExists(file);
      if (existed) {
        syncDirectory(file.getParent());
      }
      return existed;
    } catch (IOException e) {
      throw failure("cannot delete", file, e);
    }
  }

  /** Creates {@code dir} and missing parents (all under the root), syncing each new entry. */
  void ensureDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (dir.equals(root) || !dir.startsWith(root)) {
      throw new StorageException("storage root is missing or not a directory: " + root);
    }
    ensureDirectory(dir.getParent());
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      return; // created concurrently
    }
    syncDirectory(dir.getParent());
  }

  /** Flushes a file's content and size to the device. */
  void force(FileChannel channel) throws IOException {
    if (fsync) {
      channel.force(true);
    }
  }

  /** Flushes a file to the device. */
  void force(Path file) throws IOException {
    if (fsync) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
  }

  /**
   * Makes the entries of {@code dir} durable. Some platforms (Windows) cannot open a directory this
   * way; there a rename is as durable as the filesystem makes it, which is all we can do.
   */
  void syncDirectory(Path dir) {
    if (!fsync) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (directorySyncWarned.compareAndSet(false, true)) {
        LOG.debug(
            "directory fsync is not supported here ({}); continuing without it", e.toString());
      }
    }
  }

  /** Deletes a directory tree; missing entries are fine. */
  void deleteTree(Path dir) throws IOException {
    if (!dir.startsWith(root) || dir.equals(root)) {
      throw new StorageException("refusing to delete outside the storage root: " + dir);
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
              }
              try {
                Files.deleteIfExists(d);
              } catch (DirectoryNotEmptyException racing) {
                // Someone wrote into it meanwhile; leave it for the next sweep.
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete temp file {}: {}", file, e.toString());
    }
  }

  StorageException failure(String what, Path path, IOException e) {
    Path shown = path.startsWith(root) ? root.relativize(path) : path;
    return new StorageException(what + " " + shown + ": " + e, e);
  }
}
