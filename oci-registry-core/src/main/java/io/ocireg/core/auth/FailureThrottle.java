package io.ocireg.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed authentications per key (a client address, a user name) in a sliding window; a key
 * with {@code maxFailures} failures inside the window is blocked until the oldest of them leaves
 * it. Memory is bounded: at most {@code maxKeys} keys are tracked, the least recently failed ones
 * are forgotten first, and each key keeps at most {@code maxFailures} instants.
 */
public final class FailureThrottle {
  private final int maxFailures;
  private final Duration window;
  private final int maxKeys;
  private final Clock clock;
  private final LinkedHashMap<String, ArrayDeque<Instant>> failures;

  /** A throttle allowing {@code maxFailures} failures per key per {@code window}. */
  public FailureThrottle(int maxFailures, Duration window, int maxKeys, Clock clock) {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be positive: " + maxFailures);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be positive: " + maxKeys);
    }
    this.maxFailures = maxFailures;
    this.window = window;
    this.maxKeys = maxKeys;
    this.clock = clock;
    this.failures =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Instant>> eldest) {
            return size() > FailureThrottle.this.maxKeys;
          }
        };
  }

  /** 10 failures a minute per key, 100 000 keys, the system clock. */
  public static FailureThrottle defaults() {
    return new FailureThrottle(10, Duration.ofMinutes(1), 100_000, Clock.systemUTC());
  }

  /** A throttle that never blocks. */
  public static FailureThrottle off() {
    return new FailureThrottle(Integer.MAX_VALUE, Duration.ofSeconds(1), 1, Clock.systemUTC());
  }

  /** How long {@code key} stays blocked; empty when it is not blocked. */
  public synchronized Optional<Duration> blocked(String key) {
    ArrayDeque<Instant> times = failures.get(key);
    if (times == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    expire(times, now);
    if (times.isEmpty()) {
      failures.remove(key);
      return Optional.empty();
    }
    if (times.size() < maxFailures) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, times.peekFirst().plus(window));
    return Optional.of(left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left);
  }

  /** Records a failure of {@code key}. */
  public synchronized void failed(String key) {
    if (maxFailures == Integer.MAX_VALUE) {
      return;
    }
    Instant now = clock.instant();
    ArrayDeque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    expire(times, now);
    times.addLast(now);
    while (times.size() > maxFailures) {
      times.removeFirst();
    }
  }

  /** How many keys are tracked (for tests of the memory bound). */
  public synchronized int trackedKeys() {
    return failures.size();
  }

  private void expire(ArrayDeque<Instant> times, Instant now) {
    Instant oldest = now.minus(window);
    while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
      times.removeFirst();
    }
  }
}
