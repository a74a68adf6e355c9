package io.ocireg.ui;

import io.ocireg.core.GcReport;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link UiServlet} offers besides browsing and deleting: a garbage collection that admins
 * may start from the page ({@code POST api/gc}).
 *
 * @param garbageCollection runs one collection and returns its report; empty when the host offers
 *     none (then {@code api/gc} is 404 and the page shows no button). It may throw {@link
 *     io.ocireg.core.GarbageCollectionException}, served as 409 when a collection is already
 *     running
 */
public record UiOptions(Optional<Supplier<GcReport>> garbageCollection) {
  public UiOptions {
    Objects.requireNonNull(garbageCollection, "garbageCollection");
  }

  /** Browsing and deleting only. */
  public static UiOptions defaults() {
    return new UiOptions(Optional.empty());
  }

  /** These options with {@code collect} as the collection admins may start. */
  public UiOptions withGarbageCollection(Supplier<GcReport> collect) {
    return new UiOptions(Optional.of(Objects.requireNonNull(collect, "collect")));
  }
}
