package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.RepositoryName;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rows of the repository list are computed once, and again after a change or once too old. */
class RepositorySummariesTest {
  private static final RepositoryName REPO = RepositoryName.parse("library/app");

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger computed = new AtomicInteger();
  private volatile long cost; // what one computation takes on the fake clock
  private final RepositorySummaries summaries =
      new RepositorySummaries(
          name -> {
            now.addAndGet(cost);
            return new RepositorySummary(name, computed.incrementAndGet(), 0, Optional.empty());
          },
          Duration.ofSeconds(30),
          Duration.ofMillis(100),
          now::get);

  @AfterEach
  void stop() {
    summaries.stop();
  }

  @Test
  void aSummaryIsComputedOnceUntilTheRepositoryChanges() {
    assertThat(summaries.get(REPO).tags()).isEqualTo(1);
    assertThat(summaries.get(REPO).tags()).isEqualTo(1);
    assertThat(computed).hasValue(1);

    summaries.invalidate(REPO);

    assertThat(summaries.get(REPO).tags()).isEqualTo(2);
    assertThat(summaries.get(REPO).tags()).isEqualTo(2);
  }

  @Test
  void anOldCheapSummaryIsRecomputedBeforeItIsServed() {
    summaries.get(REPO);
    now.addAndGet(TimeUnit.SECONDS.toNanos(31));

    assertThat(summaries.get(REPO).tags()).isEqualTo(2);
  }

  @Test
  void anOldCostlySummaryIsServedWhileItIsRecomputedInTheBackground() throws InterruptedException {
    cost = TimeUnit.SECONDS.toNanos(2);
    summaries.get(REPO);
    now.addAndGet(TimeUnit.SECONDS.toNanos(31));

    assertThat(summaries.get(REPO).tags()).isEqualTo(1);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (summaries.get(REPO).tags() != 2) {
      assertThat(System.nanoTime()).as("never recomputed").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aComputationOverlappingAChangeIsNotRemembered() {
    RepositorySummaries racing =
        new RepositorySummaries(
            new java.util.function.Function<>() {
              @Override
              public RepositorySummary apply(RepositoryName name) {
                int n = computed.incrementAndGet();
                if (n == 1) {
                  holder[0].invalidate(name); // a push lands while this one reads
                }
                return new RepositorySummary(name, n, 0, Optional.empty());
              }
            },
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            now::get);
    holder[0] = racing;
    try {
      assertThat(racing.get(REPO).tags()).isEqualTo(1);
      assertThat(racing.get(REPO).tags()).isEqualTo(2);
      assertThat(racing.get(REPO).tags()).isEqualTo(2);
    } finally {
      racing.stop();
    }
  }

  private final RepositorySummaries[] holder = new RepositorySummaries[1];
}
