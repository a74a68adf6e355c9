package io.ocireg.storage.memory;

import io.ocireg.storage.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;

/** Cuts one page out of a map sorted by the items' wire form. */
final class Pages {
  private Pages() {}

  static <V> Page<V> page(NavigableMap<String, V> sorted, Optional<String> after, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit " + limit);
    }
    NavigableMap<String, V> tail = after.isPresent() ? sorted.tailMap(after.get(), false) : sorted;
    List<V> items = new ArrayList<>(Math.min(limit, tail.size()));
    for (V v : tail.values()) {
      if (items.size() == limit) {
        return new Page<>(items, true);
      }
      items.add(v);
    }
    return new Page<>(items, false);
  }
}
