package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;

class DigestProperties {

  /** The image-spec digest grammar, transcribed from its EBNF, as an independent oracle. */
  private static final Pattern GRAMMAR =
      Pattern.compile("[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

  @Provide
  Arbitrary<Digest> digests() {
    return SpecArbitraries.digests();
  }

  @Provide
  Arbitrary<Digest> sha256() {
    return SpecArbitraries.sha256Digests();
  }

  @Provide
  Arbitrary<Digest> unsupported() {
    return SpecArbitraries.unsupportedDigests();
  }

  @Property
  void printedDigestParsesToItself(@ForAll("digests") Digest d) {
    assertThat(Digest.parse(d.toString())).isEqualTo(d);
    assertThat(Digest.isValid(d.toString())).isTrue();
    assertThat(d.toString()).isEqualTo(d.algorithm() + ":" + d.encoded());
    Statistics.label("algorithm").collect(d.isSupported() ? d.algorithm() : "other");
  }

  @Property
  void onlySha256AndSha512AreSupported(@ForAll("digests") Digest d) {
    assertThat(d.isSupported())
        .isEqualTo(d.algorithm().equals("sha256") || d.algorithm().equals("sha512"));
  }

  @Property
  void unsupportedAlgorithmsParseButCannotBeComputed(@ForAll("unsupported") Digest d) {
    Digest parsed = Digest.parse(d.toString());
    assertThat(parsed.isSupported()).isFalse();
    assertThatThrownBy(parsed::newMessageDigest)
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
  }

  @Property
  void computedDigestsMatchTheJdkAndRoundTrip(
      @ForAll byte[] content, @ForAll("supportedAlgorithms") String algorithm) throws Exception {
    Digest d = Digest.of(algorithm, content);
    String jca = algorithm.equals("sha256") ? "SHA-256" : "SHA-512";
    byte[] expected = MessageDigest.getInstance(jca).digest(content);
    assertThat(d.encoded()).isEqualTo(HexFormat.of().formatHex(expected));
    assertThat(Digest.fromHash(algorithm, expected)).isEqualTo(d);
    assertThat(Digest.parse(d.toString())).isEqualTo(d);
  }

  @Property
  void uppercaseHexInSha256IsRejected(
      @ForAll("sha256") Digest d, @ForAll @IntRange(max = 63) int at) {
    char[] hex = d.encoded().toCharArray();
    // Digits have no upper case: make sure the character changed really is a letter.
    hex[at] = Character.isDigit(hex[at]) ? 'A' : Character.toUpperCase(hex[at]);
    assertRejected("sha256:" + new String(hex));
    assertRejected("sha256:F" + d.encoded().toUpperCase(Locale.ROOT).substring(1));
  }

  @Property
  void wrongHexLengthIsRejected(
      @ForAll("sha256") Digest d, @ForAll @IntRange(min = 1, max = 63) int cut) {
    assertRejected("sha256:" + d.encoded().substring(cut));
    assertRejected("sha256:" + d.encoded() + d.encoded().substring(cut));
    // A sha256-length hex string is not a sha512.
    assertRejected("sha512:" + d.encoded());
  }

  @Property
  void emptyPartsAndMissingColonAreRejected(@ForAll("digests") Digest d) {
    assertRejected(":" + d.encoded());
    assertRejected(d.algorithm() + ":");
    assertRejected(d.algorithm() + d.encoded());
    assertRejected(d.algorithm());
  }

  @Property
  void malformedAlgorithmIsRejected(
      @ForAll("digests") Digest d,
      @ForAll("separators") String sep,
      @ForAll("separators") String sep2) {
    assertRejected(d.algorithm().toUpperCase(Locale.ROOT) + "X:" + d.encoded());
    assertRejected(sep + d.algorithm() + ":" + d.encoded());
    assertRejected(d.algorithm() + sep + ":" + d.encoded());
    assertRejected(d.algorithm() + sep + sep2 + "x:" + d.encoded());
  }

  @Property
  void characterOutsideEncodedGrammarIsRejected(
      @ForAll("unsupported") Digest d, @ForAll int at, @ForAll("foreignChars") char c) {
    assertRejected(d.algorithm() + ":" + SpecArbitraries.insertAt(d.encoded(), at, "" + c));
  }

  @Property
  void agreesWithTheGrammarOnArbitraryStrings(
      @ForAll @StringLength(max = 16) String any, @ForAll("nearGrammar") String near) {
    for (String s : new String[] {any, near}) {
      boolean grammatical = GRAMMAR.matcher(s).matches();
      boolean registered = s.startsWith("sha256:") || s.startsWith("sha512:");
      if (!registered) {
        assertThat(Digest.isValid(s)).as(s).isEqualTo(grammatical);
      } else if (!grammatical) {
        assertThat(Digest.isValid(s)).as(s).isFalse();
      }
    }
  }

  @Provide
  Arbitrary<String> supportedAlgorithms() {
    return Arbitraries.of(Digest.SHA256, Digest.SHA512);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of("+", ".", "_", "-");
  }

  @Provide
  Arbitrary<Character> foreignChars() {
    return Arbitraries.of('.', '+', '/', ':', ' ', '!', '\n', '\u00e9', '@', '%');
  }

  @Provide
  Arbitrary<String> nearGrammar() {
    return Arbitraries.strings().withChars("a1+._-:=Z/").ofMaxLength(10);
  }

  private static void assertRejected(String s) {
    assertThat(Digest.isValid(s)).as(s).isFalse();
    assertThatThrownBy(() -> Digest.parse(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
              assertThat(e.input()).isEqualTo(s);
            });
    if (s.indexOf(':') >= 0) {
      assertThatThrownBy(() -> Reference.parse(s)).isInstanceOf(InvalidValueException.class);
    }
  }
}
