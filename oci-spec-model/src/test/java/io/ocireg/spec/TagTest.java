package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "latest",
        "v1.0.0",
        "1.0",
        "_",
        "A",
        "9",
        "a-b_c.d",
        "UPPER_lower-1.2",
        "__init",
        "x..y--z",
        // The referrers tag schema fallback: <alg>-<ref>.
        "sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      })
  void acceptsTagsMatchingTheSpecRegex(String s) {
    assertThat(Tag.parse(s)).hasToString(s);
    assertThat(Tag.isValid(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".hidden",
        "-dash",
        "a:b",
        "sha256:aaaa",
        "a/b",
        "a@b",
        "a+b",
        "a b",
        " a",
        "a\n",
        "caf\u00e9",
        "a~1",
        "..",
      })
  void rejectsTagsOutsideTheSpecRegex(String s) {
    assertThatThrownBy(() -> Tag.parse(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.input()).isEqualTo(s));
    assertThat(Tag.isValid(s)).isFalse();
  }

  @Test
  void acceptsExactly128Characters() {
    String s = "t".repeat(Tag.MAX_LENGTH);
    assertThat(Tag.parse(s).value()).hasSize(128);
    assertThat(Tag.isValid(s + "t")).isFalse();
    assertThatThrownBy(() -> Tag.parse(s + "t")).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void rejectsNull() {
    assertThat(Tag.isValid(null)).isFalse();
    assertThatThrownBy(() -> Tag.parse(null)).isInstanceOf(InvalidValueException.class);
  }

  /** A bad tag in a manifest PUT is a manifest error; the spec has no TAG_INVALID code. */
  @Test
  void rejectionCarriesManifestInvalid() {
    assertThatThrownBy(() -> Tag.parse("no:pe"))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
  }

  @Test
  void sortsInCodePointOrder() {
    List<Tag> tags = new ArrayList<>();
    for (String s : List.of("b", "B", "a", "_x", "10", "9", "a.1", "a-1")) {
      tags.add(Tag.parse(s));
    }
    Collections.sort(tags);
    assertThat(tags)
        .extracting(Tag::value)
        .containsExactly("10", "9", "B", "_x", "a", "a-1", "a.1", "b");
  }
}
