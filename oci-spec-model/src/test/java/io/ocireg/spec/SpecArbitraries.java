package io.ocireg.spec;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of valid values across the whole of each spec grammar, shared by the property classes.
 * Each one builds its value from the grammar's own pieces rather than filtering random strings, so
 * long and unusual values come up as often as short ones.
 */
final class SpecArbitraries {
  static final String LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  static final String ALNUM = LOWER_ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static final String HEX = "0123456789abcdef";

  private SpecArbitraries() {}

  // ---- repository names: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/...)*, at most 255 characters ----

  static Arbitrary<String> nameSeparators() {
    return Arbitraries.oneOf(
        Arbitraries.of(".", "_", "__"),
        Arbitraries.strings().withChars('-').ofMinLength(1).ofMaxLength(5));
  }

  static Arbitrary<String> nameComponents() {
    Arbitrary<String> run =
        Arbitraries.strings().withChars(LOWER_ALNUM).ofMinLength(1).ofMaxLength(12);
    Arbitrary<String> tail = Combinators.combine(nameSeparators(), run).as(String::concat);
    return Combinators.combine(run, tail.list().ofMaxSize(5))
        .as((first, rest) -> first + String.join("", rest));
  }

  /** Valid names from one character up to exactly the limit; long lists are cut at a component. */
  static Arbitrary<String> repositoryNameStrings() {
    return nameComponents()
        .list()
        .ofMinSize(1)
        .ofMaxSize(30)
        .map(
            components -> {
              StringBuilder b = new StringBuilder(components.get(0));
              if (b.length() > RepositoryName.MAX_LENGTH) {
                b.setLength(RepositoryName.MAX_LENGTH);
                // The cut may end on a separator: end on an alphanumeric again.
                while (LOWER_ALNUM.indexOf(b.charAt(b.length() - 1)) < 0) {
                  b.setLength(b.length() - 1);
                }
                return b.toString();
              }
              for (String c : components.subList(1, components.size())) {
                if (b.length() + 1 + c.length() > RepositoryName.MAX_LENGTH) {
                  break;
                }
                b.append('/').append(c);
              }
              return b.toString();
            });
  }

  static Arbitrary<RepositoryName> repositoryNames() {
    return repositoryNameStrings().map(RepositoryName::parse);
  }

  // ---- tags: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127} -------------------------------------------------

  static Arbitrary<String> tagStrings() {
    Arbitrary<Character> first = Arbitraries.chars().with(ALNUM + "_");
    Arbitrary<String> rest = Arbitraries.strings().withChars(ALNUM + "._-").ofMaxLength(127);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  static Arbitrary<Tag> tags() {
    return tagStrings().map(Tag::parse);
  }

  // ---- digests: algorithm ":" encoded -----------------------------------------------------------

  static Arbitrary<Digest> sha256Digests() {
    return Arbitraries.strings()
        .withChars(HEX)
        .ofLength(64)
        .map(hex -> new Digest(Digest.SHA256, hex));
  }

  static Arbitrary<Digest> sha512Digests() {
    return Arbitraries.strings()
        .withChars(HEX)
        .ofLength(128)
        .map(hex -> new Digest(Digest.SHA512, hex));
  }

  /** {@code algorithm-component (algorithm-separator algorithm-component)*}. */
  static Arbitrary<String> algorithms() {
    Arbitrary<String> component =
        Arbitraries.strings().withChars(LOWER_ALNUM).ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> tail =
        Combinators.combine(Arbitraries.of("+", ".", "_", "-"), component).as(String::concat);
    return Combinators.combine(component, tail.list().ofMaxSize(3))
        .as((first, rest) -> first + String.join("", rest));
  }

  static Arbitrary<String> encodedParts() {
    return Arbitraries.strings().withChars(ALNUM + "=_-").ofMinLength(1).ofMaxLength(150);
  }

  /** Grammar-valid digests of algorithms this registry does not compute. */
  static Arbitrary<Digest> unsupportedDigests() {
    Arbitrary<String> algorithm =
        Arbitraries.oneOf(
                algorithms(), Arbitraries.of("multihash+base58", "sha256+b64u", "sha384", "blake3"))
            .filter(a -> !a.equals(Digest.SHA256) && !a.equals(Digest.SHA512));
    return Combinators.combine(algorithm, encodedParts()).as(Digest::new);
  }

  static Arbitrary<Digest> digests() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, sha256Digests()),
        Tuple.of(2, sha512Digests()),
        Tuple.of(3, unsupportedDigests()));
  }

  // ---- media types: RFC 6838 restricted-name "/" restricted-name -------------------------------

  static Arbitrary<String> restrictedNames() {
    Arbitrary<Character> first = Arbitraries.chars().with(ALNUM);
    Arbitrary<String> rest = Arbitraries.strings().withChars(ALNUM + "!#$&^_.+-").ofMaxLength(126);
    return Combinators.combine(first, rest).as((f, r) -> f + r);
  }

  static Arbitrary<MediaType> mediaTypes() {
    Arbitrary<MediaType> known =
        Arbitraries.of(
            MediaType.OCI_MANIFEST,
            MediaType.OCI_INDEX,
            MediaType.OCI_CONFIG,
            MediaType.OCI_LAYER_GZIP,
            MediaType.OCI_EMPTY,
            MediaType.DOCKER_LAYER);
    Arbitrary<MediaType> any =
        Combinators.combine(restrictedNames(), restrictedNames())
            .as((t, s) -> MediaType.of(t + "/" + s));
    return Arbitraries.oneOf(known, any);
  }

  // ---- descriptors and manifests ----------------------------------------------------------------

  /** Printable text with characters JSON must escape, and some beyond ASCII. */
  static Arbitrary<String> texts() {
    return Arbitraries.strings()
        .alpha()
        .numeric()
        .withChars(" .-_/:\"\\{}[]\n\t\u00e9\u00fc\u2713\u4e2d")
        .ofMaxLength(40);
  }

  static Arbitrary<Map<String, String>> annotations() {
    Arbitrary<String> keys =
        Arbitraries.strings().withChars(LOWER_ALNUM + ".-").ofMinLength(1).ofMaxLength(30);
    return Arbitraries.maps(keys, texts()).ofMaxSize(4);
  }

  static Arbitrary<Platform> platforms() {
    Arbitrary<String> word =
        Arbitraries.strings().withChars(LOWER_ALNUM).ofMinLength(1).ofMaxLength(10);
    Arbitrary<Optional<String>> variant = word.optional();
    Arbitrary<Optional<String>> osVersion =
        Arbitraries.strings().withChars("0123456789.").ofMinLength(1).ofMaxLength(16).optional();
    return Combinators.combine(word, word, variant, osVersion, word.list().ofMaxSize(3))
        .as(Platform::new);
  }

  static Arbitrary<String> urls() {
    return Combinators.combine(
            Arbitraries.of("https", "http"),
            Arbitraries.strings().withChars(LOWER_ALNUM).ofMinLength(1).ofMaxLength(12),
            Arbitraries.strings().withChars(LOWER_ALNUM + "/-._").ofMaxLength(30))
        .as((scheme, host, path) -> scheme + "://" + host + ".example/" + path);
  }

  /** Base64 (RFC 4648, padded) of a few random bytes. */
  static Arbitrary<String> base64Data() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMaxSize(64)
        .map(b -> Base64.getEncoder().encodeToString(b));
  }

  static Arbitrary<Descriptor> descriptors() {
    return Combinators.combine(
            mediaTypes(),
            digests(),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            urls().list().ofMaxSize(2),
            annotations(),
            mediaTypes().optional(),
            platforms().optional(),
            base64Data().optional())
        .as(Descriptor::new);
  }

  static Arbitrary<ImageManifest> imageManifests() {
    return Combinators.combine(
            Arbitraries.of(MediaType.OCI_MANIFEST, MediaType.DOCKER_MANIFEST),
            mediaTypes().optional(),
            descriptors(),
            descriptors().list().ofMaxSize(4),
            descriptors().optional(),
            annotations())
        .as(
            (type, artifactType, config, layers, subject, annotations) ->
                new ImageManifest(2, type, artifactType, config, layers, subject, annotations));
  }

  static Arbitrary<ImageIndex> imageIndexes() {
    return Combinators.combine(
            Arbitraries.of(MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST_LIST),
            mediaTypes().optional(),
            descriptors().list().ofMaxSize(4),
            descriptors().optional(),
            annotations())
        .as(
            (type, artifactType, manifests, subject, annotations) ->
                new ImageIndex(2, type, artifactType, manifests, subject, annotations));
  }

  // ---- helpers for near misses -----------------------------------------------------------------

  /** {@code s} with {@code insert} placed at {@code index mod (length + 1)}. */
  static String insertAt(String s, int index, String insert) {
    int at = Math.floorMod(index, s.length() + 1);
    return s.substring(0, at) + insert + s.substring(at);
  }
}
