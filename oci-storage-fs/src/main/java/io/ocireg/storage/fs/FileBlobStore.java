package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobNotFoundException;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Blobs as files named by their digest; a blob file only ever appears complete and verified. */
final class FileBlobStore implements BlobStore {
  private final FileSystemStorage storage;
  private final Layout layout;
  private final DurableFiles files;

  FileBlobStore(FileSystemStorage storage, Layout layout, DurableFiles files) {
    this.storage = storage;
    this.layout = layout;
    this.files = files;
  }

  @Override
  public Optional<BlobInfo> stat(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    return stat(digest, layout.blob(digest));
  }

  Optional<BlobInfo> stat(Digest digest, Path path) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      if (!attrs.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(new BlobInfo(digest, attrs.size(), attrs.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw files.failure("cannot stat", path, e);
    }
  }

  @Override
  public InputStream open(Digest digest, long offset, long length) {
    Objects.requireNonNull(digest, "digest");
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset " + offset);
    }
    if (length < -1) {
      throw new IllegalArgumentException("invalid length " + length);
    }
    storage.ensureOpen();
    Path path = layout.blob(digest);
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    } catch (IOException e) {
      throw files.failure("cannot open", path, e);
    }
    boolean handedOver = false;
    try {
      long size = channel.size();
      if (offset > size || (length != -1 && length > size - offset)) {
        throw new IllegalArgumentException(
            "range " + offset + "+" + length + " is outside " + digest + " (" + size + " bytes)");
      }
      InputStream in =
          new ChannelRangeInputStream(channel, offset, length == -1 ? size - offset : length);
      handedOver = true;
      return in;
    } catch (IOException e) {
      throw files.failure("cannot read", path, e);
    } finally {
      if (!handedOver) {
        closeQuietly(channel);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was read; the original failure is what matters
    }
  }

  @Override
  public boolean delete(Digest digest) {
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    return files.delete(layout.blob(digest));
  }

  @Override
  public Page<Digest> list(Optional<Digest> after, int limit) {
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    return Listings.digests(layout.blobs, true, after, limit);
  }

  @Override
  public boolean touch(Digest digest, Instant at) {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(at, "at");
    storage.ensureOpen();
    return files.touch(layout.blob(digest), at);
  }

  /** Where a commit publishes the blob {@code digest}. */
  Path pathOf(Digest digest) {
    return layout.blob(digest);
  }
}
