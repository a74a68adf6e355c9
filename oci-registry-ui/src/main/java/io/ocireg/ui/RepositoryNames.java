package io.ocireg.ui;

import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every repository name of the registry in lexical order: an in-memory snapshot of the storage's
 * listing, so that a page of the repository list (with its search and total count) costs no walk of
 * the storage.
 *
 * <p>The listing is the truth, and anything may change it: this engine's pushes and deletes, a
 * collection, another process on the same storage. So the snapshot is revalidated by listing again:
 * while a listing is cheap (at most {@link #syncLimit}) or short (fewer than {@link #SYNC_COUNT}
 * names), every use lists anew and is exact; once it is neither (thousands of repositories), a use
 * finds the snapshot as it is and, when it is older than {@link #maxAge} and than {@link
 * #LISTINGS_APART} listing times, starts one listing in the background that replaces it. A
 * repository pushed then shows up within that age plus one listing (a few seconds for 10 000
 * repositories); one that is gone is never shown, because the page checks every row it shows
 * against the storage; and a delete through the UI updates the snapshot at once ({@link #changed}).
 */
final class RepositoryNames {
  private static final Logger LOG = LoggerFactory.getLogger(RepositoryNames.class);
  private static final int BATCH = 10_000;

  /** The defaults: lists synchronously while that takes at most 50 ms; refreshes after 1 s. */
  static final Duration SYNC_LIMIT = Duration.ofMillis(50);

  static final Duration MAX_AGE = Duration.ofSeconds(1);

  /**
   * Below this many repositories every use lists synchronously whatever one listing took: one slow
   * listing (a cold JVM, a loaded machine) must not make a small registry's list inexact.
   */
  static final int SYNC_COUNT = 2000;

  /** A new listing starts at the earliest this many listing times after the last one started. */
  static final int LISTINGS_APART = 4;

  /** A listing: the names in order, when it started, and how long it took. */
  private record Snapshot(List<RepositoryName> names, long startedAt, long took) {}

  /** What a use gets: the names, and whether they are the storage's listing as of now. */
  record View(List<RepositoryName> names, boolean exact) {}

  private final MetadataStore meta;
  private final long syncLimit;
  private final long maxAge;
  private final int listingsApart;
  private final int syncCount;
  private final LongSupplier nanoTime;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final Object lock = new Object();
  private final Object firstListing = new Object();
  private volatile Snapshot snapshot;
  private volatile boolean stopped;
  // Changes recorded by changed(), by when; guarded by lock.
  private final java.util.Map<RepositoryName, Long> recent = new java.util.HashMap<>();

  RepositoryNames(MetadataStore meta) {
    this(meta, SYNC_LIMIT, MAX_AGE, LISTINGS_APART, SYNC_COUNT, System::nanoTime);
  }

  RepositoryNames(
      MetadataStore meta,
      Duration syncLimit,
      Duration maxAge,
      int listingsApart,
      LongSupplier nanoTime) {
    this(meta, syncLimit, maxAge, listingsApart, 0, nanoTime);
  }

  RepositoryNames(
      MetadataStore meta,
      Duration syncLimit,
      Duration maxAge,
      int listingsApart,
      int syncCount,
      LongSupplier nanoTime) {
    this.meta = meta;
    this.syncCount = syncCount;
    this.syncLimit = syncLimit.toNanos();
    this.maxAge = maxAge.toNanos();
    this.listingsApart = listingsApart;
    this.nanoTime = nanoTime;
  }

  /**
   * Starts the first listing in the background, so that the first page of a large registry need not
   * wait for it (a page asked for meanwhile waits for this listing rather than making its own).
   */
  void warmUp() {
    if (snapshot == null && refreshing.compareAndSet(false, true)) {
      start(this::first);
    }
  }

  /** The names to show now. */
  View current() {
    Snapshot s = snapshot;
    if (s == null) {
      return new View(first().names(), true);
    }
    if (s.took() <= syncLimit || s.names().size() < syncCount) {
      return new View(list().names(), true);
    }
    // Listing again at most every few listing times keeps the background work to a fraction of
    // one core however large the registry is.
    if (nanoTime.getAsLong() - s.startedAt() > Math.max(maxAge, listingsApart * s.took())) {
      refreshInBackground();
    }
    return new View(s.names(), false);
  }

  /**
   * Records that {@code repository} may have appeared or disappeared (the engine changed it): the
   * snapshot follows the storage for it at once.
   */
  void changed(RepositoryName repository) {
    synchronized (lock) {
      // A listing under way may have passed this name already: it re-applies the change.
      recent.put(repository, nanoTime.getAsLong());
      apply(repository);
    }
  }

  /** Makes the snapshot agree with the storage about {@code repository}; under the lock. */
  private void apply(RepositoryName repository) {
    {
      Snapshot s = snapshot;
      if (s == null) {
        return;
      }
      boolean exists = meta.repositoryExists(repository);
      int at = Collections.binarySearch(s.names(), repository);
      if (exists == at >= 0) {
        return;
      }
      List<RepositoryName> names = new ArrayList<>(s.names());
      if (exists) {
        names.add(-at - 1, repository);
      } else {
        names.remove(at);
      }
      snapshot = new Snapshot(Collections.unmodifiableList(names), s.startedAt(), s.took());
    }
  }

  /** Notes that the servlet is taken out of service: a listing under way may fail quietly. */
  void stop() {
    stopped = true;
  }

  /** Whether a background listing is under way. */
  boolean refreshing() {
    return refreshing.get();
  }

  private void refreshInBackground() {
    if (refreshing.compareAndSet(false, true)) {
      start(this::list);
    }
  }

  /** Runs {@code listing} on a thread of its own, then clears {@link #refreshing}. */
  private void start(Runnable listing) {
    Thread t =
        new Thread(
            () -> {
              try {
                listing.run();
              } catch (RuntimeException e) {
                if (stopped) {
                  // The host stopped the servlet and may have closed the storage under us.
                  LOG.debug("listing the repositories stopped: {}", e.toString());
                } else {
                  LOG.warn("listing the repositories failed: {}", e.toString());
                }
              } finally {
                refreshing.set(false);
              }
            },
            "ocireg-ui-repositories");
    t.setDaemon(true);
    t.start();
  }

  /** The first snapshot: one listing, however many ask for it at once. */
  private Snapshot first() {
    synchronized (firstListing) {
      Snapshot s = snapshot;
      return s != null ? s : list();
    }
  }

  /** Lists every repository and makes that the snapshot (unless a newer listing already is). */
  private Snapshot list() {
    long start = nanoTime.getAsLong();
    List<RepositoryName> out = new ArrayList<>();
    Optional<RepositoryName> after = Optional.empty();
    while (true) {
      Page<RepositoryName> page = meta.listRepositories(after, BATCH);
      out.addAll(page.items());
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1));
    }
    Snapshot fresh =
        new Snapshot(Collections.unmodifiableList(out), start, nanoTime.getAsLong() - start);
    synchronized (lock) {
      if (snapshot == null || snapshot.startedAt() <= start) {
        snapshot = fresh;
        for (var it = recent.entrySet().iterator(); it.hasNext(); ) {
          var change = it.next();
          if (change.getValue() - start >= 0) {
            apply(change.getKey());
          } else {
            it.remove(); // this listing saw it
          }
        }
      }
      return snapshot;
    }
  }
}
