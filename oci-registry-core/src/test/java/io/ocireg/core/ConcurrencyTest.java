package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.Tag;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import io.ocireg.storage.memory.InMemoryStorage;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Races between writers of one repository never leave a tag that points at nothing. */
class ConcurrencyTest {

  @Test
  void deleteByDigestRacingAPushNeverLeavesADanglingTag() throws Exception {
    // Widen the race window: a storage whose tag write is slow (Mockito only delays, the real
    // in-memory store does the work).
    InMemoryStorage real = new InMemoryStorage();
    Storage storage = mock(Storage.class, delegatesTo(real));
    MetadataStore meta = mock(MetadataStore.class, delegatesTo(real.metadata()));
    doReturn(meta).when(storage).metadata();
    doAnswer(
            inv -> {
              Thread.sleep(3);
              real.metadata().putTag(inv.getArgument(0), inv.getArgument(1));
              return null;
            })
        .when(meta)
        .putTag(any(), any());
    Fixture f = new Fixture(storage, RegistryOptions.defaults());
    Fixture.Json image = Fixture.image(f.config(REPO), f.layer(REPO, "shared layer for the race"));
    Descriptor first = f.push(REPO, "seed", MediaType.OCI_MANIFEST, image);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < 300; i++) {
        CyclicBarrier start = new CyclicBarrier(2);
        String tag = "t" + i;
        Future<?> push =
            pool.submit(
                () -> {
                  start.await();
                  f.registry.putManifest(
                      REPO, Tag.parse(tag), MediaType.OCI_MANIFEST, image.bytes());
                  return null;
                });
        Future<?> delete =
            pool.submit(
                () -> {
                  start.await();
                  // Arrive while the push is between its manifest write and its tag write.
                  Thread.sleep(1);
                  try {
                    f.registry.deleteManifest(REPO, first.digest());
                  } catch (RegistryException alreadyGone) {
                    // the other side has not stored it again yet
                  }
                  return null;
                });
        push.get();
        delete.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (TagRecord t : real.metadata().listTags(REPO, Optional.empty(), 10_000).items()) {
      assertThat(real.metadata().getManifest(REPO, t.digest()))
          .as("manifest of tag %s", t.tag())
          .isPresent();
    }
  }
}
