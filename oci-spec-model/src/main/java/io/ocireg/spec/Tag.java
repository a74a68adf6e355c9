package io.ocireg.spec;

import java.util.regex.Pattern;

/**
 * A tag: {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">
 *     distribution-spec: pulling manifests</a>
 */
public record Tag(String value) implements Reference, Comparable<Tag> {
  private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

  /** The longest tag the spec allows. */
  public static final int MAX_LENGTH = 128;

  public Tag {
    if (value == null || !GRAMMAR.matcher(value).matches()) {
      throw new InvalidValueException(ErrorCode.MANIFEST_INVALID, "tag", value);
    }
  }

  public static Tag parse(String s) {
    return new Tag(s);
  }

  public static boolean isValid(String s) {
    return s != null && GRAMMAR.matcher(s).matches();
  }

  /** Lexical (code point) order, the order of tag listings. */
  @Override
  public int compareTo(Tag o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
