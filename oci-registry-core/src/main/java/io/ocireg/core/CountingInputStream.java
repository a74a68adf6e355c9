package io.ocireg.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes at most {@code limit} bytes through and fails when the source holds more. */
final class CountingInputStream extends FilterInputStream {
  /** The source holds more bytes than were declared. */
  static final class LengthExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LengthExceeded() {
      super("input longer than declared", null, false, false);
    }
  }

  private final long limit;
  private long count;

  CountingInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    if (count >= limit) {
      if (super.read() >= 0) {
        throw new LengthExceeded();
      }
      return -1;
    }
    int b = super.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (count >= limit) {
      if (super.read() >= 0) {
        throw new LengthExceeded();
      }
      return -1;
    }
    int r = super.read(b, off, (int) Math.min(len, limit - count));
    if (r > 0) {
      count += r;
    }
    return r;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip not supported");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
