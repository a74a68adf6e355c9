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

  /** Starts collecting every {@link MaintenanceOptions#gcInterval()}, if one is set. */
  static Maintenance start(Registry registry, MaintenanceOptions options) {
    if (options.gcInterval().isEmpty()) {
      return new Maintenance(Optional.empty());
    }
    Duration every = options.gcInterval().get();
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ocireg-gc");
              t.setDaemon(true);
              return t;
            });
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
    return new Maintenance(Optional.of(s));
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
