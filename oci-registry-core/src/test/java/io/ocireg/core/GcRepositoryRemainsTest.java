package io.ocireg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A collection stopped after it emptied a repository and before it pruned it leaves remains that no
 * listing names; the next collection that removes empty repositories asks the storage for them.
 */
class GcRepositoryRemainsTest {
  private static final RepositoryName GONE = RepositoryName.parse("crash/gone");
  private static final GcOptions OPTIONS =
      GcOptions.defaults().withGracePeriod(Duration.ZERO).withRemoveEmptyRepositories(true);

  private final InMemoryStorage real = new InMemoryStorage();
  private final MetadataStore meta = mock(MetadataStore.class, delegatesTo(real.metadata()));
  private final GarbageCollector gc;

  GcRepositoryRemainsTest() {
    Storage storage = mock(Storage.class, delegatesTo(real));
    when(storage.metadata()).thenReturn(meta);
    when(meta.pruneRepositoryRemains()).thenReturn(List.of(GONE));
    gc = GarbageCollector.of(Registry.create(storage));
  }

  @Test
  void removesTheRemainsOfRepositoriesAnInterruptedRunEmptied() {
    GcReport report = gc.collect(OPTIONS);

    verify(meta).pruneRepositoryRemains();
    assertThat(report.repositoriesSwept()).isEqualTo(1);
    assertThat(report.swept()).contains("repository " + GONE);
  }

  @Test
  void leavesRemainsAloneInADryRunOrWhenEmptyRepositoriesAreKept() {
    gc.collect(OPTIONS.withDryRun(true));
    gc.collect(OPTIONS.withRemoveEmptyRepositories(false));

    verify(meta, never()).pruneRepositoryRemains();
  }
}
