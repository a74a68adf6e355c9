package io.ocireg.spec;

import java.util.regex.Pattern;

/**
 * A repository name (the spec's {@code <name>}): path components of lowercase alphanumerics joined
 * by {@code .}, {@code _}, {@code __} or runs of {@code -}, separated by {@code /}; at most 255
 * characters.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">
 *     distribution-spec: pulling manifests</a>
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {
  /** One path component: {@code [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*}. */
  private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";

  private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

  public static final int MAX_LENGTH = 255;

  public RepositoryName {
    if (value == null || value.length() > MAX_LENGTH || !GRAMMAR.matcher(value).matches()) {
      throw new InvalidValueException(ErrorCode.NAME_INVALID, "repository name", value);
    }
  }

  public static RepositoryName parse(String s) {
    return new RepositoryName(s);
  }

  public static boolean isValid(String s) {
    return s != null && s.length() <= MAX_LENGTH && GRAMMAR.matcher(s).matches();
  }

  /** Lexical order, the order of catalog listings. */
  @Override
  public int compareTo(RepositoryName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
