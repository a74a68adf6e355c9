package io.ocireg.servlet;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** In-memory storage whose blob store fails on demand, as a broken disk would. */
final class FaultyStorage implements Storage {
  static final String SECRET = "/var/lib/secret/blobs/ab/cdef";

  private final InMemoryStorage delegate = new InMemoryStorage();
  private volatile boolean failStat;
  private volatile long failReadsAfter = -1;

  /** Every {@code stat} throws a {@link StorageException} naming an internal path. */
  void failStat() {
    failStat = true;
  }

  /** Every opened blob stream fails with an {@link IOException} after {@code bytes} bytes. */
  void failReadsAfter(long bytes) {
    failReadsAfter = bytes;
  }

  @Override
  public BlobStore blobs() {
    BlobStore blobs = delegate.blobs();
    return new BlobStore() {
      @Override
      public Optional<BlobInfo> stat(Digest digest) {
        if (failStat) {
          throw new StorageException("cannot read " + SECRET);
        }
        return blobs.stat(digest);
      }

      @Override
      public InputStream open(Digest digest, long offset, long length) {
        InputStream in = blobs.open(digest, offset, length);
        long limit = failReadsAfter;
        return limit < 0 ? in : new Failing(in, limit);
      }

      @Override
      public boolean delete(Digest digest) {
        return blobs.delete(digest);
      }

      @Override
      public Page<Digest> list(Optional<Digest> after, int limit) {
        return blobs.list(after, limit);
      }
    };
  }

  @Override
  public UploadStore uploads() {
    return delegate.uploads();
  }

  @Override
  public MetadataStore metadata() {
    return delegate.metadata();
  }

  @Override
  public void checkUsable() {
    delegate.checkUsable();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static final class Failing extends FilterInputStream {
    private long left;

    Failing(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("disk read failed at " + SECRET);
      }
      int r = super.read(b, off, (int) Math.min(len, left));
      if (r > 0) {
        left -= r;
      }
      return r;
    }
  }
}
