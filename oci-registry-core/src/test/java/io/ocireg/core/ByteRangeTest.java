package io.ocireg.core;

import static io.ocireg.core.Fixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

  private static ByteRange parse(String header) {
    return ByteRange.parse(header).orElseThrow();
  }

  @Test
  void parsesTheThreeForms() {
    assertThat(parse("bytes=0-99"))
        .isEqualTo(new ByteRange(OptionalLong.of(0), OptionalLong.of(99)));
    assertThat(parse("bytes=100-"))
        .isEqualTo(new ByteRange(OptionalLong.of(100), OptionalLong.empty()));
    assertThat(parse("bytes=-20"))
        .isEqualTo(new ByteRange(OptionalLong.empty(), OptionalLong.of(20)));
  }

  @Test
  void toleratesSpacesAndTheUnitInAnyCase() {
    assertThat(parse(" Bytes = 5 - 9 "))
        .isEqualTo(new ByteRange(OptionalLong.of(5), OptionalLong.of(9)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "bytes=",
        "bytes=-",
        "items=0-1",
        "bytes=0-1,5-6",
        "0-1",
        "bytes=a-b",
        "bytes=99999999999999999999-"
      })
  void ignoresWhatItDoesNotServeAsARange(String header) {
    assertThat(ByteRange.parse(header)).isEmpty();
  }

  @Test
  void ignoresAMissingHeader() {
    assertThat(ByteRange.parse(null)).isEmpty();
  }

  @Test
  void resolvesAgainstTheBlobSize() {
    assertThat(parse("bytes=0-99").resolve(1000)).containsExactly(0, 99);
    assertThat(parse("bytes=990-2000").resolve(1000)).containsExactly(990, 999);
    assertThat(parse("bytes=10-").resolve(1000)).containsExactly(10, 999);
    assertThat(parse("bytes=-20").resolve(1000)).containsExactly(980, 999);
    assertThat(parse("bytes=-5000").resolve(1000)).containsExactly(0, 999);
    assertThat(parse("bytes=999-999").resolve(1000)).containsExactly(999, 999);
  }

  @Test
  void aRangeThatSelectsNothingIs416() {
    assertError(() -> parse("bytes=1000-").resolve(1000), ErrorCode.SIZE_INVALID, 416);
    assertError(() -> parse("bytes=1000-1001").resolve(1000), ErrorCode.SIZE_INVALID, 416);
    assertError(() -> parse("bytes=-0").resolve(1000), ErrorCode.SIZE_INVALID, 416);
    assertError(() -> parse("bytes=0-").resolve(0), ErrorCode.SIZE_INVALID, 416);
    assertError(() -> parse("bytes=-1").resolve(0), ErrorCode.SIZE_INVALID, 416);
    // last before first selects nothing: 416, as the conformance suite expects of bytes=500-0
    assertError(() -> parse("bytes=500-0").resolve(1000), ErrorCode.SIZE_INVALID, 416);
    assertError(() -> parse("bytes=5-3").resolve(1000), ErrorCode.SIZE_INVALID, 416);
  }

  @Test
  void anUnsatisfiableRangeCarriesTheBlobSizeForTheResponse() {
    RegistryException e =
        assertError(() -> parse("bytes=2000-").resolve(1000), ErrorCode.SIZE_INVALID, 416);

    assertThat(e.headers()).containsEntry("Content-Range", "bytes */1000");
  }

  @Test
  void theConstructorRefusesRangesThatMeanNothing() {
    assertThatThrownBy(() -> new ByteRange(OptionalLong.empty(), OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(OptionalLong.of(-1), OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(OptionalLong.empty(), OptionalLong.of(-3)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
