package io.ocireg.servlet.process;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * Deterministic pseudo-random content of any length, generated as it is read so that tests can push
 * gigabytes without holding them: a 1 MiB random block, varied per MiB by its index.
 */
final class GeneratedContent {
  private static final int BLOCK = 1 << 20;

  private final byte[] block = new byte[BLOCK];
  private final long length;

  GeneratedContent(long seed, long length) {
    new Random(seed).nextBytes(block);
    this.length = length;
  }

  long length() {
    return length;
  }

  /** The bytes {@code [offset, offset + count)} as a stream. */
  InputStream stream(long offset, long count) {
    return new InputStream() {
      private long pos = offset;
      private final long end = offset + count;
      private final byte[] current = new byte[BLOCK];
      private long currentIndex = -1;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= end) {
          return -1;
        }
        long index = pos / BLOCK;
        if (index != currentIndex) {
          fill(current, index);
          currentIndex = index;
        }
        int within = (int) (pos % BLOCK);
        int n = (int) Math.min(Math.min(len, BLOCK - within), end - pos);
        System.arraycopy(current, within, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  private void fill(byte[] target, long index) {
    System.arraycopy(block, 0, target, 0, BLOCK);
    for (int i = 0; i < 8; i++) {
      target[i] ^= (byte) (index >>> (8 * i));
    }
  }

  /** The sha256 digest of the whole content, computed by streaming it. */
  String sha256() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[BLOCK];
      try (InputStream in = stream(0, length)) {
        int r;
        while ((r = in.read(buf)) > 0) {
          md.update(buf, 0, r);
        }
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
