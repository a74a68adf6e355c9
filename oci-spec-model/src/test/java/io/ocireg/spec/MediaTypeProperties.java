package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MediaTypeProperties {

  @Provide
  Arbitrary<MediaType> mediaTypes() {
    return SpecArbitraries.mediaTypes();
  }

  @Provide
  Arbitrary<String> names() {
    return SpecArbitraries.restrictedNames();
  }

  @Property
  void printedMediaTypeParsesToItself(@ForAll("mediaTypes") MediaType t) {
    assertThat(MediaType.parse(t.toString())).isEqualTo(t);
    assertThat(MediaType.of(t.value())).isEqualTo(t);
    assertThat(MediaType.isValid(t.toString())).isTrue();
  }

  @Property
  void parametersAndSurroundingSpaceAreDropped(
      @ForAll("mediaTypes") MediaType t, @ForAll("parameters") String params) {
    assertThat(MediaType.parse("  " + t + " ;" + params)).isEqualTo(t);
    assertThat(MediaType.parse(t + ";" + params)).isEqualTo(t);
  }

  @Property
  void comparisonIgnoresCase(@ForAll("mediaTypes") MediaType t) {
    MediaType upper = MediaType.of(t.value().toUpperCase(Locale.ROOT));
    assertThat(upper.is(t)).isTrue();
    assertThat(t.is(upper)).isTrue();
    assertThat(upper.isManifest()).isEqualTo(t.isManifest());
  }

  @Property
  void missingOrExtraSlashIsRejected(@ForAll("names") String type, @ForAll("names") String sub) {
    assertRejected(type);
    assertRejected(type + "/" + sub + "/" + sub);
    assertRejected(type + "/");
    assertRejected("/" + sub);
    assertRejected(type + "//" + sub);
  }

  @Property
  void partLongerThan127IsRejected(@ForAll("names") String type, @ForAll("names") String sub) {
    String longType = (type + "x".repeat(127)).substring(0, 128);
    String longSub = (sub + "y".repeat(127)).substring(0, 128);
    assertRejected(longType + "/" + sub);
    assertRejected(type + "/" + longSub);
    assertThat(MediaType.isValid(longType.substring(0, 127) + "/" + longSub.substring(0, 127)))
        .isTrue();
  }

  @Property
  void badFirstCharacterOrForeignCharacterIsRejected(
      @ForAll("names") String type,
      @ForAll("names") String sub,
      @ForAll("notFirst") char first,
      @ForAll("foreign") char foreign,
      @ForAll int at) {
    assertRejected(first + type.substring(0, Math.min(type.length(), 126)) + "/" + sub);
    assertRejected(type + "/" + first + sub.substring(0, Math.min(sub.length(), 126)));
    assertRejected(type + "/" + SpecArbitraries.insertAt(sub, at, "" + foreign));
  }

  @Provide
  Arbitrary<String> parameters() {
    return Arbitraries.of(" charset=utf-8", "charset=\"UTF-8\"", "", " a=b; c=d ");
  }

  @Provide
  Arbitrary<Character> notFirst() {
    return Arbitraries.of('.', '+', '-', '_', '!', '#', '$', '&', '^');
  }

  @Provide
  Arbitrary<Character> foreign() {
    return Arbitraries.of(
        ' ', '/', '(', ')', '<', '>', '@', ',', ';', ':', '"', '=', '?', '\u00e9');
  }

  private static void assertRejected(String s) {
    assertThat(MediaType.isValid(s)).as(s).isFalse();
    assertThatThrownBy(() -> MediaType.of(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.input()).isEqualTo(s));
  }
}
