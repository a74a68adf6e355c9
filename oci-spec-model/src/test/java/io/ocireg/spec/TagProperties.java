package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

class TagProperties {

  /** The spec's regular expression, verbatim, as an independent oracle. */
  private static final Pattern SPEC = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  @Provide
  Arbitrary<String> validTags() {
    return SpecArbitraries.tagStrings();
  }

  @Property
  void printedTagParsesToItself(@ForAll("validTags") String s) {
    Tag tag = Tag.parse(s);
    assertThat(tag.toString()).isEqualTo(s);
    assertThat(Tag.parse(tag.toString())).isEqualTo(tag);
    assertThat(Tag.isValid(s)).isTrue();
    Statistics.label("length").collect(s.length() == Tag.MAX_LENGTH ? "128" : "shorter");
  }

  @Property
  void tagsLongerThan128AreRejected(
      @ForAll("validTags") String s, @ForAll @StringLength(min = 1, max = 20) String extra) {
    String tooLong = (s + "a".repeat(Tag.MAX_LENGTH)).substring(0, Tag.MAX_LENGTH) + "x";
    assertThat(tooLong).hasSize(Tag.MAX_LENGTH + 1);
    assertRejected(tooLong);
    assertRejected(tooLong + extra);
  }

  @Property
  void leadingPeriodOrDashIsRejected(@ForAll("validTags") String s, @ForAll("leading") char c) {
    assertRejected(c + s.substring(0, Math.min(s.length(), Tag.MAX_LENGTH - 1)));
  }

  @Property
  void characterOutsideGrammarIsRejected(
      @ForAll("validTags") String s, @ForAll int at, @ForAll("foreignChars") char c) {
    assertRejected(SpecArbitraries.insertAt(s, at, String.valueOf(c)));
  }

  @Property
  void agreesWithTheSpecRegexOnArbitraryStrings(
      @ForAll @StringLength(max = 10) String any, @ForAll("nearGrammar") String near) {
    for (String s : new String[] {any, near}) {
      assertThat(Tag.isValid(s)).as(s).isEqualTo(SPEC.matcher(s).matches());
    }
  }

  @Property
  void orderIsCodePointOrderOfTheValues(
      @ForAll("validTags") String a, @ForAll("validTags") String b) {
    assertThat(Integer.signum(Tag.parse(a).compareTo(Tag.parse(b))))
        .isEqualTo(Integer.signum(a.compareTo(b)));
  }

  @Provide
  Arbitrary<Character> leading() {
    return Arbitraries.of('.', '-');
  }

  @Provide
  Arbitrary<Character> foreignChars() {
    return Arbitraries.of(':', '/', '@', '+', ' ', '~', '\n', '\u00e9', '*', '%', '#', '?', '!');
  }

  @Provide
  Arbitrary<String> nearGrammar() {
    return Arbitraries.strings().withChars("aZ9_.-:/ ").ofMaxLength(8);
  }

  private static void assertRejected(String s) {
    assertThat(Tag.isValid(s)).as(s).isFalse();
    assertThatThrownBy(() -> Tag.parse(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class, e -> assertThat(e.input()).isEqualTo(s));
  }
}
