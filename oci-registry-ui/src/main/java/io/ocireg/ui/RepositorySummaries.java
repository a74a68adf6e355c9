package io.ocireg.ui;

import io.ocireg.spec.RepositoryName;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows of the repository list, remembered: a {@link RepositorySummary} costs as much as its
 * repository has tags (a listing of every tag), so each is computed once and kept until this engine
 * changes the repository ({@link #invalidate}, from the engine's change notifications and the UI's
 * deletes) or it is older than {@link #MAX_AGE} (changes by other processes on the same storage).
 * An old summary that took long to compute ({@link #SLOW} or more) is served as it is while a fresh
 * one is computed in the background; any other is recomputed before it is served. One computation
 * per repository runs at a time, however many requests want it.
 */
final class RepositorySummaries {
  private static final Logger LOG = LoggerFactory.getLogger(RepositorySummaries.class);

  static final Duration MAX_AGE = Duration.ofSeconds(30);
  static final Duration SLOW = Duration.ofMillis(100);

  /** Most summaries remembered (a hundred bytes or so each). */
  static final int REMEMBERED = 20_000;

  /**
   * A summary (null once invalidated), when its computation started and how long it took, and the
   * stamp of the invalidation it follows.
   */
  private record Entry(RepositorySummary summary, long computedAt, long took, long stamp) {}

  private final Function<RepositoryName, RepositorySummary> compute;
  private final long maxAge;
  private final long slow;
  private final LongSupplier nanoTime;
  private final AtomicLong stamps = new AtomicLong();
  private final Map<RepositoryName, CompletableFuture<RepositorySummary>> running =
      new ConcurrentHashMap<>();
  private final java.util.Set<RepositoryName> queued = ConcurrentHashMap.newKeySet();
  private final ExecutorService background =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "ocireg-ui-summaries");
            t.setDaemon(true);
            return t;
          });
  // Guarded by itself.
  private final Map<RepositoryName, Entry> entries =
      new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<RepositoryName, Entry> eldest) {
          return size() > REMEMBERED;
        }
      };

  RepositorySummaries(Function<RepositoryName, RepositorySummary> compute) {
    this(compute, MAX_AGE, SLOW, System::nanoTime);
  }

  RepositorySummaries(
      Function<RepositoryName, RepositorySummary> compute,
      Duration maxAge,
      Duration slow,
      LongSupplier nanoTime) {
    this.compute = compute;
    this.maxAge = maxAge.toNanos();
    this.slow = slow.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The summary of {@code repository} to show now. */
  RepositorySummary get(RepositoryName repository) {
    Entry e;
    synchronized (entries) {
      e = entries.get(repository);
    }
    if (e != null && e.summary() != null) {
      if (nanoTime.getAsLong() - e.computedAt() < maxAge) {
        return e.summary();
      }
      if (e.took() >= slow) {
        // Old and costly: the page does not wait for it.
        if (queued.add(repository)) {
          background.execute(() -> quietly(repository));
        }
        return e.summary();
      }
    }
    return computeOnce(repository);
  }

  /** Forgets what is known of {@code repository}, which this engine has just changed. */
  void invalidate(RepositoryName repository) {
    long stamp = stamps.incrementAndGet();
    synchronized (entries) {
      Entry e = entries.get(repository);
      if (e != null || !running.isEmpty()) {
        // A tombstone, so that a computation under way does not store what it read before.
        entries.put(repository, new Entry(null, 0, e == null ? 0 : e.took(), stamp));
      }
    }
  }

  /** Stops the background computations. */
  void stop() {
    background.shutdownNow();
  }

  private void quietly(RepositoryName repository) {
    try {
      computeOnce(repository);
    } catch (RuntimeException e) {
      LOG.debug("summarizing {} failed: {}", repository, e.toString());
    } finally {
      queued.remove(repository);
    }
  }

  /** Computes the summary, or joins the computation of it already under way. */
  private RepositorySummary computeOnce(RepositoryName repository) {
    CompletableFuture<RepositorySummary> mine = new CompletableFuture<>();
    CompletableFuture<RepositorySummary> theirs = running.putIfAbsent(repository, mine);
    if (theirs != null) {
      try {
        return theirs.join();
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      long stamp;
      synchronized (entries) {
        Entry e = entries.get(repository);
        stamp = e == null ? 0 : e.stamp();
      }
      long start = nanoTime.getAsLong();
      RepositorySummary summary = compute.apply(repository);
      long took = nanoTime.getAsLong() - start;
      synchronized (entries) {
        Entry now = entries.get(repository);
        if ((now == null ? 0 : now.stamp()) == stamp) {
          entries.put(repository, new Entry(summary, start, took, stamp));
        }
        // else: changed while being read; this answer may be a moment old, the next one is not.
      }
      mine.complete(summary);
      return summary;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      running.remove(repository, mine);
    }
  }
}
