package io.ocireg.storage;

import java.util.List;

/**
 * One page of a sorted listing. {@code hasMore} says whether items follow the last one; the next
 * page is asked for with the last item as {@code after}.
 */
public record Page<T>(List<T> items, boolean hasMore) {
  public Page {
    items = List.copyOf(items);
  }

  public static <T> Page<T> empty() {
    return new Page<>(List.of(), false);
  }
}
