package io.ocireg.storage;

import java.util.List;

/**
 * One page of a sorted listing. {@code hasMore} says whether items follow the last one; the next
 * page is asked for with the last item as {@code after}.
 *
 * <p>Every listing of the SPI takes a {@code limit} of at least 0 (a negative one is an {@link
 * IllegalArgumentException}) and returns at most that many items; {@code hasMore} is exact: true
 * only when at least one more item follows. A limit of 0 returns no items, and {@code hasMore} says
 * whether there are any. An {@code after} value need not be stored itself.
 */
public record Page<T>(List<T> items, boolean hasMore) {
  public Page {
    items = List.copyOf(items);
  }

  public static <T> Page<T> empty() {
    return new Page<>(List.of(), false);
  }
}
