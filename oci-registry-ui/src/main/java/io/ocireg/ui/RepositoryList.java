package io.ocireg.ui;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.MetadataStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET api/repos?q=&n=&last=}: one page of the repositories the caller may pull, in lexical
 * order, filtered by a case-insensitive substring, with the total count of matches. Only the rows
 * of the page are summarized.
 */
final class RepositoryList {
  static final int DEFAULT_PAGE = 50;

  /** Each row may cost a listing of its repository's tags when it is not remembered. */
  static final int MAX_PAGE = 250;

  private static final int MAX_QUERY = 256;

  private final MetadataStore meta;
  private final RepositoryNames names;
  private final RepositorySummaries summaries;

  RepositoryList(MetadataStore meta, RepositoryNames names, RepositorySummaries summaries) {
    // names and summaries are shared with the delete handler, which tells them what went.
    this.meta = meta;
    this.names = names;
    this.summaries = summaries;
  }

  Map<String, Object> page(Predicate<RepositoryName> visible, String q, String n, String last) {
    int limit = size(n);
    String query = q == null ? "" : q.trim().toLowerCase(Locale.ROOT);
    if (query.length() > MAX_QUERY) {
      throw badRequest("q is too long", null);
    }
    String after = last == null ? "" : last;
    List<RepositoryName> shown = new ArrayList<>();
    int total = 0;
    boolean more = false;
    RepositoryNames.View view = names.current();
    for (RepositoryName name : view.names()) {
      if (!query.isEmpty() && !name.value().contains(query)) {
        continue;
      }
      if (!visible.test(name)) {
        continue;
      }
      total++;
      if (name.value().compareTo(after) <= 0) {
        continue;
      }
      if (shown.size() < limit) {
        // A snapshot may be a moment old: never show a repository that is gone.
        if (view.exact() || meta.repositoryExists(name)) {
          shown.add(name);
        } else {
          total--;
        }
      } else {
        more = true;
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>(shown.size());
    for (RepositoryName name : shown) {
      rows.add(summaries.get(name).row());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("repositories", rows);
    out.put("next", more && !shown.isEmpty() ? shown.get(shown.size() - 1).value() : null);
    out.put("total", total);
    out.put("totalExact", view.exact());
    return out;
  }

  private static int size(String n) {
    return size(n, DEFAULT_PAGE, MAX_PAGE);
  }

  /** The page size {@code n} asks for: {@code fallback} when absent, at most {@code max}. */
  static int size(String n, int fallback, int max) {
    if (n == null || n.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(n);
      if (value < 0) {
        throw badRequest("n must be a non-negative integer", n);
      }
      return Math.min(value, max);
    } catch (NumberFormatException e) {
      throw badRequest("n must be a non-negative integer", n);
    }
  }

  static RegistryException badRequest(String message, String detail) {
    return new RegistryException(
            ErrorCode.UNSUPPORTED, message, detail == null ? null : abbreviate(detail))
        .withStatus(400);
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
