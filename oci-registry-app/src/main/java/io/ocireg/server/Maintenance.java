package io.ocireg.server;

import io.ocireg.core.GarbageCollectionException;
import io.ocireg.core.GarbageCollector;
import io.ocireg.core.Registry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server's scheduled garbage collection (which also removes idle upload sessions). */
final class Maintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  private final Optional<ScheduledExecutorService> scheduler;

  private Maintenance(Optional<ScheduledExecutorService> scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Removes upload sessions idle for longer than {@link GcOptions#uploadMaxAge()} now and then
   * regularly (abandoned pushes must not fill the disk even when collection is off), and collects
   * garbage every {@link MaintenanceOptions#gcInterval()}, if one is set.
   */
  static Maintenance start(Registry registry, MaintenanceOptions options) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ocireg-maintenance");
              t.setDaemon(true);
              return t;
            });
    Duration maxAge = options.gc().uploadMaxAge();
    // Check a few times per max age, at least every minute and at most every hour.
    long purgeEvery =
        Math.max(
            Duration.ofMinutes(1).toMillis(),
            Math.min(Duration.ofHours(1).toMillis(), maxAge.toMillis() / 4));
    s.scheduleWithFixedDelay(
        () -> purgeUploads(registry, maxAge), 0, purgeEvery, TimeUnit.MILLISECONDS);
    if (options.gcInterval().isPresent()) {
      Duration every = options.gcInterval().get();
      GarbageCollector gc = GarbageCollector.of(registry);
      s.scheduleWithFixedDelay(
          () -> {
            try {
              gc.collect(options.gc());
            } catch (GarbageCollectionException e) {
              LOG.warn("scheduled garbage collection did not run: {}", e.getMessage());
            } catch (RuntimeException e) {
              // The schedule must survive a failing run; the next one tries again.
              LOG.error("scheduled garbage collection failed", e);
            }
          },
          every.toMillis(),
          every.toMillis(),
          TimeUnit.MILLISECONDS);
      LOG.info("garbage collection every {}", every);
    }
    return new Maintenance(Optional.of(s));
  }

  private static void purgeUploads(Registry registry, Duration maxAge) {
    try {
      int removed = registry.purgeStaleUploads(maxAge);
      if (removed > 0) {
        LOG.info("removed {} upload sessions idle for more than {}", removed, maxAge);
      }
    } catch (RuntimeException e) {
      LOG.warn("removing idle upload sessions failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    scheduler.ifPresent(
        s -> {
          s.shutdownNow();
          try {
            // A run in progress stops at its next storage call at the latest; wait a little.
            s.awaitTermination(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }
}
