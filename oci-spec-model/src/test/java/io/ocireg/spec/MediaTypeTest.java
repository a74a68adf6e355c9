package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTypeTest {

  @Test
  void parsesAHeaderValueWithParameters() {
    assertThat(MediaType.parse("application/vnd.oci.image.manifest.v1+json; charset=utf-8"))
        .isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(MediaType.parse(" application/json ")).isEqualTo(MediaType.JSON);
  }

  @Test
  void acceptsTheLongestTypeAndSubtype() {
    String part = "1234567890".repeat(12) + "1234567";
    assertThat(part).hasSize(127);
    assertThat(MediaType.isValid(part + "/" + part)).isTrue();
  }

  /** The image-spec schema tests' invalid media types and a few more. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "application",
        ".foo/bar",
        "foo/.bar",
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            + "123456789012345678901234567890123456789012345678/bar",
        "foo/12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            + "123456789012345678901234567890123456789012345678",
        "invalid",
        "",
        "a/b/c",
        "text/plain; charset=utf-8",
        "text /plain",
        "text/pla in",
      })
  void rejectsInvalidMediaTypes(String s) {
    assertThat(MediaType.isValid(s)).isFalse();
    assertThatThrownBy(() -> MediaType.of(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
  }

  @Test
  void rejectsAHeaderWithNothingBeforeTheParameters() {
    assertThatThrownBy(() -> MediaType.parse("; charset=utf-8"))
        .isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> MediaType.parse(null)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void classifiesManifestKinds() {
    assertThat(MediaType.OCI_MANIFEST.isImageManifest()).isTrue();
    assertThat(MediaType.DOCKER_MANIFEST.isImageManifest()).isTrue();
    assertThat(MediaType.OCI_INDEX.isIndex()).isTrue();
    assertThat(MediaType.DOCKER_MANIFEST_LIST.isIndex()).isTrue();
    assertThat(MediaType.OCI_CONFIG.isManifest()).isFalse();
    assertThat(
            MediaType.of("application/vnd.docker.distribution.manifest.v1+prettyjws").isManifest())
        .isFalse();
    assertThat(MediaType.DOCKER_LAYER.isDocker()).isTrue();
    assertThat(MediaType.OCI_LAYER.isDocker()).isFalse();
  }

  @Test
  void comparesCaseInsensitivelyButKeepsTheSpelling() {
    MediaType upper = MediaType.of("Application/VND.OCI.Image.Manifest.v1+JSON");
    assertThat(upper.is(MediaType.OCI_MANIFEST)).isTrue();
    assertThat(upper.isImageManifest()).isTrue();
    assertThat(upper).isNotEqualTo(MediaType.OCI_MANIFEST);
    assertThat(upper).hasToString("Application/VND.OCI.Image.Manifest.v1+JSON");
    assertThat(MediaType.OCI_MANIFEST.is(null)).isFalse();
  }
}
