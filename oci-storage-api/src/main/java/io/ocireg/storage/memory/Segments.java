package io.ocireg.storage.memory;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes held as a list of segments of {@value #SEGMENT_SIZE} bytes, so that a large blob never
 * needs one huge array nor a copy when it grows. Not thread-safe: the owning upload session
 * serializes access, and once a blob is committed its segments are only read.
 *
 * <p>Memory follows what was received, not what might come: the first segment starts at {@value
 * #FIRST_SEGMENT_SIZE} bytes and doubles (one copy each time) until it is full size, so that the
 * many small or empty sessions a client can open cost little. Later segments are allocated whole,
 * once the bytes before them fill a segment, so a session never holds more than about twice what it
 * received.
 */
final class Segments {
  static final int SEGMENT_SIZE = 64 * 1024;
  static final int FIRST_SEGMENT_SIZE = 256;

  /** Every segment but the first is {@link #SEGMENT_SIZE} long; the first may still be growing. */
  private final List<byte[]> segments = new ArrayList<>();

  private long length;

  long length() {
    return length;
  }

  /** Bytes of memory the segments take, for tests of the allocation rule. */
  long allocated() {
    long total = 0;
    for (byte[] segment : segments) {
      total += segment.length;
    }
    return total;
  }

  /**
   * Reads {@code in} to its end, appending every byte and feeding it to {@code hashers}. On a
   * failure the bytes read so far stay appended; the caller truncates.
   */
  void readFrom(InputStream in, MessageDigest... hashers) throws IOException {
    while (true) {
      int index = (int) (length / SEGMENT_SIZE);
      int pos = (int) (length % SEGMENT_SIZE);
      byte[] segment = writable(index, pos);
      int n = in.read(segment, pos, segment.length - pos);
      if (n < 0) {
        return;
      }
      for (MessageDigest hasher : hashers) {
        hasher.update(segment, pos, n);
      }
      length += n;
    }
  }

  /** The segment at {@code index} with room after {@code pos}, allocated or grown as needed. */
  private byte[] writable(int index, int pos) {
    if (index == segments.size()) {
      segments.add(new byte[index == 0 ? FIRST_SEGMENT_SIZE : SEGMENT_SIZE]);
    }
    byte[] segment = segments.get(index);
    if (pos == segment.length) {
      // Only the first segment is ever short: double it, up to full size.
      segment = Arrays.copyOf(segment, Math.min(SEGMENT_SIZE, segment.length * 2));
      segments.set(index, segment);
    }
    return segment;
  }

  /** Forgets every byte from {@code newLength} on. */
  void truncate(long newLength) {
    if (newLength < 0 || newLength > length) {
      throw new IllegalArgumentException("cannot truncate " + length + " bytes to " + newLength);
    }
    length = newLength;
    int keep = (int) ((newLength + SEGMENT_SIZE - 1) / SEGMENT_SIZE);
    while (segments.size() > keep) {
      segments.remove(segments.size() - 1);
    }
  }

  /** A stream over {@code count} bytes from {@code offset}; the segments must not change after. */
  InputStream stream(long offset, long count) {
    return new SegmentStream(offset, offset + count);
  }

  private final class SegmentStream extends InputStream {
    private long pos;
    private final long end;

    SegmentStream(long start, long end) {
      this.pos = start;
      this.end = end;
    }

    @Override
    public int read() {
      if (pos >= end) {
        return -1;
      }
      int b = segments.get((int) (pos / SEGMENT_SIZE))[(int) (pos % SEGMENT_SIZE)] & 0xff;
      pos++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int total = 0;
      while (total < len && pos < end) {
        byte[] segment = segments.get((int) (pos / SEGMENT_SIZE));
        int inSegment = (int) (pos % SEGMENT_SIZE);
        int n = (int) Math.min(Math.min(len - total, SEGMENT_SIZE - inSegment), end - pos);
        System.arraycopy(segment, inSegment, b, off + total, n);
        total += n;
        pos += n;
      }
      return total;
    }

    @Override
    public long skip(long n) {
      long skipped = Math.max(0, Math.min(n, end - pos));
      pos += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, end - pos);
    }
  }
}
