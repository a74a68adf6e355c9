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

class RepositoryNameProperties {

  /** The spec's regular expression, verbatim, as an independent oracle. */
  private static final Pattern SPEC =
      Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

  @Provide
  Arbitrary<String> validNames() {
    return SpecArbitraries.repositoryNameStrings();
  }

  @Property
  void printedNameParsesToItself(@ForAll("validNames") String s) {
    RepositoryName name = RepositoryName.parse(s);
    assertThat(name.toString()).isEqualTo(s);
    assertThat(RepositoryName.parse(name.toString())).isEqualTo(name);
    assertThat(RepositoryName.isValid(s)).isTrue();
    Statistics.label("length")
        .collect(s.length() <= 64 ? "<=64" : s.length() < 250 ? "65..249" : ">=250");
    Statistics.label("components").collect(s.split("/").length > 1 ? "several" : "one");
  }

  @Property
  void uppercaseAnywhereIsRejected(
      @ForAll("validNames") String s, @ForAll int at, @ForAll("uppercase") char upper) {
    assertRejected(SpecArbitraries.insertAt(s, at, String.valueOf(upper)));
  }

  @Property
  void leadingSeparatorIsRejected(
      @ForAll("validNames") String s, @ForAll("separators") String sep) {
    assertRejected(sep + s);
  }

  @Property
  void trailingSeparatorIsRejected(
      @ForAll("validNames") String s, @ForAll("separators") String sep) {
    assertRejected(s + sep);
  }

  /** Two separators in a row are only allowed as {@code __} or a run of {@code -}. */
  @Property
  void doubledSeparatorIsRejected(
      @ForAll("validNames") String s, @ForAll int at, @ForAll("badPairs") String pair) {
    assertRejected(SpecArbitraries.insertAt(s, at, pair));
  }

  @Property
  void characterOutsideGrammarIsRejected(
      @ForAll("validNames") String s, @ForAll int at, @ForAll("foreignChars") char c) {
    assertRejected(SpecArbitraries.insertAt(s, at, String.valueOf(c)));
  }

  @Property
  void lengthLimitIsExactly255(@ForAll("validNames") String s) {
    String base = s.length() > 253 ? s.substring(0, 1) : s;
    String at255 = base + "/" + "a".repeat(254 - base.length());
    assertThat(at255).hasSize(255);
    assertThat(RepositoryName.isValid(at255)).isTrue();
    assertRejected(at255 + "b");
  }

  @Property
  void agreesWithTheSpecRegexOnArbitraryStrings(
      @ForAll @StringLength(max = 12) String any, @ForAll("nearGrammar") String near) {
    for (String s : new String[] {any, near}) {
      boolean expected = SPEC.matcher(s).matches() && s.length() <= 255;
      assertThat(RepositoryName.isValid(s)).as(s).isEqualTo(expected);
      Statistics.label("valid").collect(expected);
    }
  }

  @Provide
  Arbitrary<Character> uppercase() {
    return Arbitraries.chars().range('A', 'Z');
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of(".", "_", "__", "-", "--", "/");
  }

  @Provide
  Arbitrary<String> badPairs() {
    return Arbitraries.strings()
        .withChars("._-/")
        .ofLength(2)
        .filter(p -> !p.equals("__") && !p.equals("--"));
  }

  @Provide
  Arbitrary<Character> foreignChars() {
    return Arbitraries.of(' ', ':', '@', '!', '+', '~', '%', '\\', '\n', '\u00e9', '*', '#', '?');
  }

  /** Short strings over the grammar's alphabet plus an uppercase letter: half end up valid. */
  @Provide
  Arbitrary<String> nearGrammar() {
    return Arbitraries.strings().withChars("ab09._-/A").ofMinLength(0).ofMaxLength(10);
  }

  private static void assertRejected(String s) {
    assertThat(RepositoryName.isValid(s)).as(s).isFalse();
    assertThatThrownBy(() -> RepositoryName.parse(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID);
              assertThat(e.input()).isEqualTo(s);
            });
  }
}
