package io.ocireg.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A {@code last} that is not a valid value lists exactly what sorts after it: the valid value the
 * engine hands the storage instead has nothing valid between it and {@code last}.
 */
class ListingCursorProperties {
  /** The characters of both grammars, some outside them, and one beyond ASCII. */
  private static final char[] CHARS = "-./09AZ_az!~:\u00e9bm".toCharArray();

  @Provide
  Arbitrary<String> cursors() {
    return Arbitraries.strings().withChars(CHARS).ofMinLength(0).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> longCursors() {
    return Arbitraries.strings()
        .withChars("a1/_.-!".toCharArray())
        .ofMinLength(120)
        .ofMaxLength(270);
  }

  /**
   * Valid values near {@code s}: its prefixes, and its prefixes with one or two more characters.
   */
  private static List<String> near(String s, Predicate<String> valid) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i <= s.length(); i++) {
      String prefix = s.substring(0, i);
      for (String more : new String[] {"", "-", ".", "/", "0", "9", "A", "_", "a", "z", "zz"}) {
        if (valid.test(prefix + more)) {
          out.add(prefix + more);
        }
      }
    }
    return out;
  }

  private static void listsWhatSortsAfter(
      String last, Optional<String> after, Predicate<String> valid) {
    after.ifPresent(a -> assertThat(valid.test(a)).isTrue());
    after.ifPresent(a -> assertThat(a.compareTo(last)).isLessThanOrEqualTo(0));
    List<String> candidates = new ArrayList<>(near(last, valid));
    after.ifPresent(a -> candidates.addAll(near(a, valid)));
    for (String v : candidates) {
      boolean listed = after.isEmpty() || v.compareTo(after.get()) > 0;
      assertThat(listed)
          .as("%s after cursor %s (as %s)", v, last, after)
          .isEqualTo(v.compareTo(last) > 0);
    }
  }

  @Property(tries = 400)
  void aTagCursorListsExactlyTheTagsAfterIt(@ForAll("cursors") String last) {
    listsWhatSortsAfter(last, ListingCursor.tagAfter(last).map(Tag::value), Tag::isValid);
  }

  @Property(tries = 400)
  void aNameCursorListsExactlyTheNamesAfterIt(@ForAll("cursors") String last) {
    listsWhatSortsAfter(
        last,
        ListingCursor.repositoryAfter(last).map(RepositoryName::value),
        RepositoryName::isValid);
  }

  @Property(tries = 100)
  void cursorsLongerThanAnyValueWork(@ForAll("longCursors") String last) {
    listsWhatSortsAfter(last, ListingCursor.tagAfter(last).map(Tag::value), Tag::isValid);
    listsWhatSortsAfter(
        last,
        ListingCursor.repositoryAfter(last).map(RepositoryName::value),
        RepositoryName::isValid);
  }
}
