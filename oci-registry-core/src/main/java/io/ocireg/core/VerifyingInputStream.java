package io.ocireg.core;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobInfo;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole blob's bytes, hashed as they stream. The read that reaches the end checks the digest
 * before it returns its bytes, and fails instead when the content does not match: the reader never
 * receives a complete copy of a corrupt blob, so an HTTP response in flight is aborted rather than
 * completed (the client sees a failed transfer, never a good one).
 */
final class VerifyingInputStream extends FilterInputStream {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyingInputStream.class);

  private final BlobInfo info;
  private final MessageDigest hash;
  private long count;
  private boolean verified;

  VerifyingInputStream(InputStream in, BlobInfo info) {
    super(in);
    this.info = info;
    this.hash =
        info.digest().isSupported() ? Digest.newMessageDigest(info.digest().algorithm()) : null;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (hash == null) {
      return n;
    }
    if (n < 0) {
      if (count != info.size()) {
        throw corrupt("ends after " + count + " of " + info.size() + " bytes");
      }
      verify();
      return n;
    }
    hash.update(b, off, n);
    count += n;
    if (count > info.size()) {
      throw corrupt("holds more than its " + info.size() + " bytes");
    }
    if (count == info.size()) {
      verify();
    }
    return n;
  }

  private void verify() throws IOException {
    if (verified) {
      return;
    }
    verified = true;
    Digest actual = Digest.fromHash(info.digest().algorithm(), hash.digest());
    if (!actual.equals(info.digest())) {
      throw corrupt("hashes to " + actual);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would escape the hash; read them instead.
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 64 * 1024)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private IOException corrupt(String why) {
    LOG.error("stored blob {} is corrupt: its content {}; run a scrub", info.digest(), why);
    return new IOException("stored blob " + info.digest() + " is corrupt: its content " + why);
  }
}
