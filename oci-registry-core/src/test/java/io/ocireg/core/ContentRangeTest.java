package io.ocireg.core;

import static io.ocireg.core.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

  @Test
  void parsesTheSpecForm() {
    ContentRange r = ContentRange.parse("0-99");

    assertThat(r).isEqualTo(new ContentRange(0, 99));
    assertThat(r.length()).isEqualTo(100);
  }

  @Test
  void acceptsTheHttpFormToo() {
    assertThat(ContentRange.parse("bytes 100-199/1000")).isEqualTo(new ContentRange(100, 199));
    assertThat(ContentRange.parse("bytes 100-199/*")).isEqualTo(new ContentRange(100, 199));
    assertThat(ContentRange.parse(" 5 - 5 ")).isEqualTo(new ContentRange(5, 5));
  }

  @Test
  void aRangeEndingJustBeforeItsStartIsAnEmptyChunk() {
    assertThat(ContentRange.parse("10-9").length()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "-5",
        "5-",
        "10-8",
        "1-2-3",
        "bytes=0-1",
        "0-1/x",
        "1234567890123456789-1234567890123456789"
      })
  void refusesMalformedRangesWith416(String header) {
    assertError(() -> ContentRange.parse(header), ErrorCode.BLOB_UPLOAD_INVALID, 416);
  }

  @Test
  void refusesAMissingHeader() {
    assertError(() -> ContentRange.parse(null), ErrorCode.BLOB_UPLOAD_INVALID, 416);
  }

  @Test
  void refusesNegativeStarts() {
    assertError(() -> new ContentRange(-1, 5), ErrorCode.BLOB_UPLOAD_INVALID, 416);
  }
}
