package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlobReadTest {
  private static final byte[] DATA = pattern(200_000);

  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;
  private final Descriptor blob = f.blob(REPO, MediaType.OCTET_STREAM, DATA);

  private byte[] read(String rangeHeader, long[] expectedRange) throws IOException {
    try (BlobContent c = registry.openBlob(REPO, blob.digest(), ByteRange.parse(rangeHeader))) {
      assertThat(c.info().digest()).isEqualTo(blob.digest());
      assertThat(c.info().size()).isEqualTo(DATA.length);
      if (expectedRange == null) {
        assertThat(c.range()).isEmpty();
      } else {
        assertThat(c.range()).get().isEqualTo(expectedRange);
      }
      byte[] bytes = c.stream().readAllBytes();
      assertThat(c.length()).isEqualTo(bytes.length);
      return bytes;
    }
  }

  @Test
  void servesTheWholeBlob() throws IOException {
    assertThat(read(null, null)).isEqualTo(DATA);
  }

  @Test
  void servesARange() throws IOException {
    assertThat(read("bytes=70000-130000", new long[] {70_000, 130_000}))
        .isEqualTo(Arrays.copyOfRange(DATA, 70_000, 130_001));
  }

  @Test
  void servesASuffixAndAnOpenEndedRange() throws IOException {
    assertThat(read("bytes=-10", new long[] {199_990, 199_999}))
        .isEqualTo(Arrays.copyOfRange(DATA, 199_990, 200_000));
    assertThat(read("bytes=199000-", new long[] {199_000, 199_999}))
        .isEqualTo(Arrays.copyOfRange(DATA, 199_000, 200_000));
  }

  @Test
  void cutsARangeAtTheEnd() throws IOException {
    assertThat(read("bytes=199999-300000", new long[] {199_999, 199_999}))
        .containsExactly(DATA[199_999]);
  }

  @Test
  void servesTheWholeBlobForARangeItDoesNotUnderstand() throws IOException {
    assertThat(read("bytes=0-1,5-9", null)).isEqualTo(DATA);
  }

  @Test
  void anUnsatisfiableRangeIs416WithTheBlobSize() {
    RegistryException e =
        assertError(
            () -> registry.openBlob(REPO, blob.digest(), ByteRange.parse("bytes=200000-")),
            ErrorCode.SIZE_INVALID,
            416);

    assertThat(e.headers()).containsEntry("Content-Range", "bytes */" + DATA.length);
  }

  @Test
  void aBlobOfAnotherRepositoryIsUnknown() {
    assertError(
        () -> registry.openBlob(OTHER, blob.digest(), Optional.empty()),
        ErrorCode.BLOB_UNKNOWN,
        404);
    assertError(() -> registry.blobInfo(OTHER, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void anUnknownBlobIs404EvenWithARange() {
    Digest unknown = Digest.sha256(new byte[] {1});

    assertError(
        () -> registry.openBlob(REPO, unknown, ByteRange.parse("bytes=0-0")),
        ErrorCode.BLOB_UNKNOWN,
        404);
  }
}
