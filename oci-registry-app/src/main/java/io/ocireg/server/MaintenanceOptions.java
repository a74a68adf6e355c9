package io.ocireg.server;

import io.ocireg.core.GcOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Garbage collection, upload cleanup and the admin endpoints of a server.
 *
 * @param gcInterval how often the server collects garbage; empty (the default) never on its own.
 *     Idle upload sessions are removed at start and regularly whatever this is
 * @param gc what a scheduled collection (and the defaults of {@code POST /admin/gc}) removes
 * @param adminEndpoints whether {@code POST /admin/gc} and {@code POST /admin/scrub} are served
 *     (off by default). With access control on, only callers granted {@code admin} on {@code **}
 *     may run them; without access control (no htpasswd, users or tokens) any client that reaches
 *     the port can
 */
public record MaintenanceOptions(
    Optional<Duration> gcInterval, GcOptions gc, boolean adminEndpoints) {

  public MaintenanceOptions {
    Objects.requireNonNull(gcInterval, "gcInterval");
    Objects.requireNonNull(gc, "gc");
    if (gcInterval.isPresent() && (gcInterval.get().isNegative() || gcInterval.get().isZero())) {
      throw new IllegalArgumentException("gcInterval must be positive");
    }
  }

  /** No schedule, {@link GcOptions#defaults()}, no admin endpoints. */
  public static MaintenanceOptions defaults() {
    return new MaintenanceOptions(Optional.empty(), GcOptions.defaults(), false);
  }

  public MaintenanceOptions withGcInterval(Optional<Duration> interval) {
    return new MaintenanceOptions(interval, gc, adminEndpoints);
  }

  public MaintenanceOptions withGc(GcOptions gc) {
    return new MaintenanceOptions(gcInterval, gc, adminEndpoints);
  }

  public MaintenanceOptions withAdminEndpoints(boolean on) {
    return new MaintenanceOptions(gcInterval, gc, on);
  }
}
