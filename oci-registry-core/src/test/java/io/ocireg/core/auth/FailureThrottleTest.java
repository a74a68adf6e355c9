package io.ocireg.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final FailureThrottle throttle =
      new FailureThrottle(3, Duration.ofMinutes(1), 100, clock);

  @Test
  void blocksAKeyAfterTooManyFailuresInTheWindow() {
    throttle.failed("k");
    throttle.failed("k");
    assertThat(throttle.blocked("k")).isEmpty();

    throttle.failed("k");

    assertThat(throttle.blocked("k")).contains(Duration.ofMinutes(1));
    assertThat(throttle.blocked("other")).isEmpty();
  }

  @Test
  void unblocksWhenTheOldestFailureLeavesTheWindow() {
    throttle.failed("k");
    clock.now = clock.now.plusSeconds(30);
    throttle.failed("k");
    throttle.failed("k");
    assertThat(throttle.blocked("k")).contains(Duration.ofSeconds(30));

    clock.now = clock.now.plusSeconds(30);

    assertThat(throttle.blocked("k")).isEmpty();
  }

  @Test
  void keepsAtMostTheConfiguredNumberOfKeys() {
    for (int i = 0; i < 1000; i++) {
      throttle.failed("k" + i);
    }

    assertThat(throttle.trackedKeys()).isEqualTo(100);
  }

  @Test
  void offNeverBlocks() {
    FailureThrottle off = FailureThrottle.off();
    for (int i = 0; i < 100; i++) {
      off.failed("k");
    }
    assertThat(off.blocked("k")).isEmpty();
  }
}
