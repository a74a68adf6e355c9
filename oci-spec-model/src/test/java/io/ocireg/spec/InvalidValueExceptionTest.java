package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class InvalidValueExceptionTest {

  @Test
  void messageShowsOnlyTheStartOfAHugeInput() {
    String name = "a".repeat(2440) + "!";

    InvalidValueException e =
        catchThrowableOfType(InvalidValueException.class, () -> RepositoryName.parse(name));

    assertThat(e.input()).isEqualTo(name);
    assertThat(e.getMessage())
        .startsWith("invalid repository name: \"aaaa")
        .endsWith("\"... (2441 characters)")
        .hasSizeLessThan(120);
    assertThat(e.toRegistryException().getMessage()).isEqualTo(e.getMessage());
  }

  @Test
  void messageQuotesAShortInputWhole() {
    InvalidValueException e =
        catchThrowableOfType(InvalidValueException.class, () -> Tag.parse("bad tag"));

    assertThat(e.getMessage()).isEqualTo("invalid tag: \"bad tag\"");
  }

  @Test
  void messageOfAManifestWithAHugeDigestFieldIsShort() {
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"sha256:"
            + "0".repeat(5000)
            + "\",\"size\":1}]}";

    RegistryException e =
        catchThrowableOfType(
            RegistryException.class,
            () -> Manifest.parse(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8), null));

    assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
    assertThat(e.detail().orElseThrow()).hasSizeLessThan(200);
  }
}
