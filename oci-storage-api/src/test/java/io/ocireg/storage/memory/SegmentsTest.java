package io.ocireg.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SegmentsTest {

  private static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  private static Segments filled(byte[]... chunks) throws IOException {
    Segments s = new Segments();
    for (byte[] chunk : chunks) {
      s.readFrom(new ByteArrayInputStream(chunk));
    }
    return s;
  }

  @Test
  void aOneByteSessionTakesASmallSegment() throws IOException {
    Segments s = filled(new byte[] {42});

    assertThat(s.length()).isEqualTo(1);
    assertThat(s.allocated()).isLessThanOrEqualTo(Segments.FIRST_SEGMENT_SIZE);
  }

  @Test
  void anEmptySessionAllocatesAlmostNothing() throws IOException {
    Segments s = filled(new byte[0]);

    assertThat(s.allocated()).isLessThanOrEqualTo(Segments.FIRST_SEGMENT_SIZE);
  }

  @Test
  void theFirstSegmentGrowsToFullSizeBeforeASecondIsAdded() throws IOException {
    Segments s = filled(pattern(Segments.SEGMENT_SIZE + 1));

    assertThat(s.allocated()).isEqualTo(2L * Segments.SEGMENT_SIZE);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1",
    "1, 1",
    "255, 7",
    "256, 256",
    "257, 100",
    "4000, 1000",
    "65535, 65535",
    "65536, 3000",
    "65537, 65536",
    "131072, 70000",
    "300000, 8192",
    "300001, 1"
  })
  void holdsAtMostTwiceWhatItReceivedAndReadsItBack(int size, int chunk) throws IOException {
    byte[] data = pattern(size);
    Segments s = new Segments();
    MessageDigest sha = Digest.newMessageDigest(Digest.SHA256);
    for (int from = 0; from < size || from == 0; from += chunk) {
      byte[] part = Arrays.copyOfRange(data, from, Math.min(size, from + chunk));
      s.readFrom(new ByteArrayInputStream(part), sha);
      if (size == 0) {
        break;
      }
    }

    assertThat(s.length()).isEqualTo(size);
    assertThat(s.allocated()).isLessThanOrEqualTo(2L * size + Segments.FIRST_SEGMENT_SIZE);
    assertThat(sha.digest()).isEqualTo(Digest.newMessageDigest(Digest.SHA256).digest(data));
    try (InputStream in = s.stream(0, size)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    int from = size / 3;
    try (InputStream in = s.stream(from, size - from)) {
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(data, from, size));
    }
  }

  @Test
  void truncatingKeepsTheBytesBeforeAndAcceptsMore() throws IOException {
    byte[] data = pattern(70_000);
    Segments s = filled(data);

    s.truncate(100);
    s.readFrom(new ByteArrayInputStream(Arrays.copyOfRange(data, 100, 70_000)));

    try (InputStream in = s.stream(0, s.length())) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    s.truncate(0);
    assertThat(s.allocated()).isZero();
  }
}
