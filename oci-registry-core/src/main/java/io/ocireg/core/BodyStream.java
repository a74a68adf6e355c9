package io.ocireg.core;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body on its way into storage. With a declared length it passes exactly that many bytes
 * and fails the read when the source holds more or fewer; without one it fails the read that would
 * take it past a limit (the room left under the largest blob). In every case it remembers why a
 * read failed, so that the engine can tell a client's fault from a storage fault however the
 * storage wraps the exception.
 *
 * <p>Failures are {@link IOException}s thrown from {@code read}: the storage contract makes a
 * failed read leave the session at its previous size, which is exactly what a wrong-length chunk
 * needs.
 */
final class BodyStream extends FilterInputStream {
  /** Why the last read failed, if it did. */
  enum Failure {
    NONE,
    LONGER_THAN_DECLARED,
    SHORTER_THAN_DECLARED,
    OVER_LIMIT,
    SOURCE_UNREADABLE
  }

  private final long declared;
  private final long limit;
  private long count;
  private Failure failure = Failure.NONE;

  /**
   * {@code declared} is the exact length the body must have, or -1 when it is not known; {@code
   * limit} is the most bytes the body may hold (the caller checks a declared length against it
   * before reading).
   */
  BodyStream(InputStream in, long declared, long limit) {
    super(in);
    this.declared = declared;
    this.limit = limit;
  }

  Failure failure() {
    return failure;
  }

  long count() {
    return count;
  }

  long declared() {
    return declared;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int r = read(one, 0, 1);
    return r < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (declared >= 0 && count >= declared) {
      // The declared length is reached: the body must end here.
      if (source(() -> in.read()) >= 0) {
        throw fail(Failure.LONGER_THAN_DECLARED, "body is longer than its declared length");
      }
      return -1;
    }
    int want = declared >= 0 ? (int) Math.min(len, declared - count) : len;
    int r = source(() -> in.read(b, off, want));
    if (r < 0) {
      if (declared >= 0) {
        throw fail(Failure.SHORTER_THAN_DECLARED, "body is shorter than its declared length");
      }
      return -1;
    }
    count += r;
    if (count > limit) {
      // Thrown before the bytes are handed on: the storage discards the whole chunk.
      throw fail(Failure.OVER_LIMIT, "body is longer than the blob size limit allows");
    }
    return r;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported on a request body");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private interface Read {
    int run() throws IOException;
  }

  private int source(Read read) throws IOException {
    try {
      return read.run();
    } catch (IOException | RuntimeException e) {
      failure = Failure.SOURCE_UNREADABLE;
      throw e;
    }
  }

  private IOException fail(Failure why, String message) {
    failure = why;
    return new IOException(message + " (" + (why == Failure.OVER_LIMIT ? limit : declared) + ")");
  }
}
