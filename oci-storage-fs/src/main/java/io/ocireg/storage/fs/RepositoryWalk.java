package io.ocireg.storage.fs;

import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.Page;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One page of the repositories under {@code repositories/}, in lexical order of their full names,
 * reading only the directories on the way to that page: subtrees whose names all sort at or before
 * {@code after} are skipped unread, and the walk stops at the first name past the page.
 *
 * <p>Directory order is not the order of full names: {@code a-b < a.b < a/b < a0 < a_b}, because
 * {@code /} (0x2F) sorts after {@code -} and {@code .} but before digits, letters and {@code _}. So
 * a child directory {@code c} has two places among its siblings: its own name {@code c} and the
 * prefix {@code c/} of the names nested under it. No sibling name, and nothing nested under a
 * sibling, falls between {@code c/} and the names under {@code c}, so visiting these places in
 * order, depth first, yields the names in lexical order.
 *
 * <p>The places come out of one sorted listing per directory without a second sort: the names are
 * visited in order, and a subtree {@code c/} waits on a stack until the first sibling name that
 * sorts after it. A sibling {@code d} seen while {@code c/} waits sorts between {@code c} and
 * {@code c/}, so it is {@code c} followed by {@code -} or {@code .}, and {@code d/ < c/}: the stack
 * always has its smallest subtree on top.
 */
final class RepositoryWalk {
  private final Function<Path, List<String>> sortedNames;
  private final Predicate<Path> exists;

  /**
   * @param sortedNames the entry names of a directory in {@code String} order (none when missing)
   * @param exists whether a repository directory holds a repository (the existence rule)
   */
  RepositoryWalk(Function<Path, List<String>> sortedNames, Predicate<Path> exists) {
    this.sortedNames = sortedNames;
    this.exists = exists;
  }

  /** The repositories under {@code repositories} after {@code after}, at most {@code limit}. */
  Page<RepositoryName> page(Path repositories, Optional<String> after, int limit) {
    Walk walk = new Walk(after.orElse(null), Listings.fetchSize(limit));
    walk.directory(repositories, "");
    return Listings.page(walk.out, limit);
  }

  private final class Walk {
    private final String after;
    private final int want;
    private final List<RepositoryName> out = new ArrayList<>();

    Walk(String after, int want) {
      this.after = after;
      this.want = want;
    }

    /**
     * Visits the names under {@code dir} (whose names start with {@code prefix}); true when full.
     */
    boolean directory(Path dir, String prefix) {
      Deque<String> waiting = new ArrayDeque<>();
      for (String child : sortedNames.apply(dir)) {
        while (!waiting.isEmpty() && (waiting.peek() + "/").compareTo(child) < 0) {
          if (subtree(dir, prefix, waiting.pop())) {
            return true;
          }
        }
        String name = prefix + child;
        // Cheapest test first: most children of a large directory lie before the cursor.
        if (after != null && Listings.entirelyBefore(name + "/", after)) {
          continue; // the name itself sorts before "name/" and so is at or before the cursor too
        }
        if (!Layout.isRepositoryComponent(child)) {
          continue; // "_manifests" and the like, or something this store did not write
        }
        if ((after == null || name.compareTo(after) > 0)
            && RepositoryName.isValid(name)
            && exists.test(dir.resolve(child))) {
          out.add(RepositoryName.parse(name));
          if (out.size() >= want) {
            return true;
          }
        }
        waiting.push(child);
      }
      while (!waiting.isEmpty()) {
        if (subtree(dir, prefix, waiting.pop())) {
          return true;
        }
      }
      return false;
    }

    private boolean subtree(Path dir, String prefix, String child) {
      return directory(dir.resolve(child), prefix + child + "/");
    }
  }
}
