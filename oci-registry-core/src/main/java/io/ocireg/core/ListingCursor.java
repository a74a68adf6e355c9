package io.ocireg.core;

import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@code last} of a tag or catalog listing as an opaque lexical cursor. The spec defines {@code
 * last} only as the point after which the listing continues, so any string is a cursor: one that is
 * not a valid tag or name still has a place in the lexical order. The storage takes typed values,
 * so such a cursor is replaced by the greatest valid value that sorts before it; no valid value
 * lies between the two, so the listing after either is the same.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-tags">
 *     distribution-spec: listing tags</a>
 */
final class ListingCursor {
  /** The greatest character of both grammars, and the longest completion of any valid prefix. */
  private static final char GREATEST = 'z';

  /** A character that completes every viable prefix of either grammar that is not yet valid. */
  private static final String COMPLETION = "a";

  /** Characters of tags and names, in ascending order (the two sets differ only in {@code /}). */
  private static final String ALPHABET =
      "-./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

  private ListingCursor() {}

  /** The tag to list after, for a client's {@code last}; empty to list from the start. */
  static Optional<Tag> tagAfter(String last) {
    if (Tag.isValid(last)) {
      return Optional.of(Tag.parse(last));
    }
    return greatestBelow(last, Tag::isValid, Tag.MAX_LENGTH).map(Tag::parse);
  }

  /** The repository to list after, for a client's {@code last}; empty to list from the start. */
  static Optional<RepositoryName> repositoryAfter(String last) {
    if (RepositoryName.isValid(last)) {
      return Optional.of(RepositoryName.parse(last));
    }
    return greatestBelow(last, RepositoryName::isValid, RepositoryName.MAX_LENGTH)
        .map(RepositoryName::parse);
  }

  /**
   * The greatest string {@code valid} accepts that sorts strictly before {@code s}, for grammars
   * whose strings are at most {@code maxLength} long, all of whose prefixes of a valid string are
   * valid or become valid with {@link #COMPLETION}, and whose greatest character is {@link
   * #GREATEST}. Such a value is either a proper prefix of {@code s}, or shares a prefix with {@code
   * s} and then has a smaller character, followed by the greatest completion ({@code z}s up to the
   * length limit). The longer the shared prefix, the greater the value; at equal length a smaller
   * character beats the bare prefix.
   */
  static Optional<String> greatestBelow(String s, Predicate<String> valid, int maxLength) {
    Predicate<String> viable =
        p -> p.length() <= maxLength && (valid.test(p) || valid.test(p + COMPLETION));
    // The longest prefix of s that some valid string starts with.
    int k = 0;
    while (k < s.length() && k < maxLength && viable.test(s.substring(0, k + 1))) {
      k++;
    }
    for (int i = k; i >= 0; i--) {
      String prefix = s.substring(0, i);
      if (i < s.length()) {
        for (int c = ALPHABET.indexOf(GREATEST); c >= 0; c--) {
          char ch = ALPHABET.charAt(c);
          if (ch >= s.charAt(i) || !viable.test(prefix + ch)) {
            continue;
          }
          String greatest =
              prefix + ch + String.valueOf(GREATEST).repeat(maxLength - prefix.length() - 1);
          if (valid.test(greatest)) {
            return Optional.of(greatest);
          }
        }
        if (i > 0 && valid.test(prefix)) {
          return Optional.of(prefix);
        }
      }
    }
    return Optional.empty();
  }
}
