package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SampleImageTest {
  @Test
  void layerIsAGzippedTarWhoseUncompressedDigestIsTheConfigsDiffId() throws Exception {
    SampleImage image = SampleImage.create("hi\n");

    byte[] tar;
    try (var in =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(image.layer()))) {
      tar = in.readAllBytes();
    }
    assertThat(tar.length % 512).isZero();
    assertThat(new String(tar, 0, 9, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("hello.txt");
    assertThat(new String(tar, 257, 5, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("ustar");
    assertThat(new String(tar, 512, 3, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("hi\n");
    assertThat(new String(image.config(), java.nio.charset.StandardCharsets.UTF_8))
        .contains(Digests.sha256(tar));
    assertThat(image.manifest()).contains(image.configDigest(), image.layerDigest());
  }

  @Test
  void isReproducible() {
    assertThat(SampleImage.create("x").manifestDigest())
        .isEqualTo(SampleImage.create("x").manifestDigest());
  }
}
