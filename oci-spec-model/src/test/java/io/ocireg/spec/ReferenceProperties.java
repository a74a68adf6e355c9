package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ReferenceProperties {

  @Provide
  Arbitrary<Tag> tags() {
    return SpecArbitraries.tags();
  }

  @Provide
  Arbitrary<Digest> digests() {
    return SpecArbitraries.digests();
  }

  @Property
  void printedTagParsesBackToTheSameTag(@ForAll("tags") Tag tag) {
    Reference r = Reference.parse(tag.toString());
    assertThat(r).isInstanceOf(Tag.class).isEqualTo(tag);
  }

  @Property
  void printedDigestParsesBackToTheSameDigest(@ForAll("digests") Digest digest) {
    Reference r = Reference.parse(digest.toString());
    assertThat(r).isInstanceOf(Digest.class).isEqualTo(digest);
  }

  /** Tags cannot contain a colon, so anything with one is read as a digest or rejected. */
  @Property
  void stringWithColonIsNeverATag(@ForAll("tags") Tag tag, @ForAll("tags") Tag other) {
    String s = tag + ":" + other;
    try {
      assertThat(Reference.parse(s)).isInstanceOf(Digest.class);
    } catch (InvalidValueException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    }
  }

  @Example
  void referrersFallbackTagIsATagNotADigest() {
    String hex = "a".repeat(64);
    assertThat(Reference.parse("sha256-" + hex)).isEqualTo(new Tag("sha256-" + hex));
    assertThat(Reference.parse("sha256:" + hex)).isEqualTo(new Digest("sha256", hex));
  }

  @Example
  void emptyAndNullAreRejected() {
    assertThatThrownBy(() -> Reference.parse("")).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> Reference.parse(null)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> Reference.parse(":")).isInstanceOf(InvalidValueException.class);
  }
}
