package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import io.ocireg.storage.memory.InMemoryStorage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Races between writers of one repository or one upload session end in a state one of the orders
 * would have produced: no tag pointing at nothing, no half-counted session.
 */
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

  /** Runs {@code a} and {@code b} at once, {@code rounds} times; each may throw. */
  private static void race(int rounds, RoundTask a, RoundTask b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < rounds; i++) {
        CyclicBarrier start = new CyclicBarrier(2);
        int round = i;
        Future<?> first =
            pool.submit(
                () -> {
                  start.await();
                  a.run(round);
                  return null;
                });
        Future<?> second =
            pool.submit(
                () -> {
                  start.await();
                  b.run(round);
                  return null;
                });
        first.get();
        second.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private interface RoundTask {
    void run(int round) throws Exception;
  }

  @Test
  void twoPushesOfOneTagEndWithTheTagOnOneOfThemAndBothStored() throws Exception {
    Fixture f = new Fixture();
    Fixture.Json one = Fixture.image(f.config(REPO), f.layer(REPO, "first layer"));
    Fixture.Json two = Fixture.image(f.config(REPO), f.layer(REPO, "second layer"));
    Digest d1 = Digest.sha256(one.bytes());
    Digest d2 = Digest.sha256(two.bytes());

    race(
        200,
        round ->
            f.registry.putManifest(
                REPO, Tag.parse("race" + round), MediaType.OCI_MANIFEST, one.bytes()),
        round ->
            f.registry.putManifest(
                REPO, Tag.parse("race" + round), MediaType.OCI_MANIFEST, two.bytes()));

    assertThat(f.registry.getManifest(REPO, d1).content()).isEqualTo(one.bytes());
    assertThat(f.registry.getManifest(REPO, d2).content()).isEqualTo(two.bytes());
    for (int i = 0; i < 200; i++) {
      assertThat(f.registry.getManifest(REPO, Tag.parse("race" + i)).digest()).isIn(d1, d2);
    }
  }

  @Test
  void aChunkRacingACancelOfItsSessionEndsConsistently() throws Exception {
    Fixture f = new Fixture();
    byte[] chunk = Fixture.pattern(200_000);
    String[] ids = new String[300];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = f.registry.startUpload(REPO).id();
    }
    List<Throwable> appendFailures = new CopyOnWriteArrayList<>();
    List<Throwable> cancelFailures = new CopyOnWriteArrayList<>();

    race(
        ids.length,
        round -> {
          try {
            f.registry.appendChunk(
                REPO, ids[round], Optional.empty(), Fixture.in(chunk), chunk.length);
          } catch (RegistryException e) {
            appendFailures.add(e);
          }
        },
        round -> {
          try {
            f.registry.cancelUpload(REPO, ids[round]);
          } catch (RegistryException e) {
            cancelFailures.add(e);
          }
        });

    // Either order is fine; what loses sees the session gone, nothing else.
    assertThat(appendFailures)
        .allSatisfy(
            e ->
                assertThat(((RegistryException) e).code())
                    .isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN));
    assertThat(cancelFailures).isEmpty();
    for (String id : ids) {
      Fixture.assertError(
          () -> f.registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    }
    assertThat(f.openSessions()).isEmpty();
    assertThat(f.registry.openUploads()).isZero();
    assertThat(f.storage.blobs().list(Optional.empty(), 10).items()).isEmpty();
  }

  @Test
  void twoCommitsOfOneDigestFromTwoSessionsBothSucceed() throws Exception {
    Fixture f = new Fixture();
    List<BlobInfo> committed = new CopyOnWriteArrayList<>();
    int rounds = 200;
    byte[][] contents = new byte[rounds][];
    String[][] sessions = new String[rounds][2];
    for (int i = 0; i < rounds; i++) {
      contents[i] = Fixture.bytes("content of round " + i);
      for (int s = 0; s < 2; s++) {
        sessions[i][s] = f.registry.startUpload(REPO).id();
        f.registry.appendChunk(REPO, sessions[i][s], Optional.empty(), Fixture.in(contents[i]), -1);
      }
    }

    race(
        rounds,
        round ->
            committed.add(
                f.registry.completeUpload(
                    REPO,
                    sessions[round][0],
                    Digest.sha256(contents[round]),
                    Optional.empty(),
                    null,
                    0)),
        round ->
            committed.add(
                f.registry.completeUpload(
                    REPO,
                    sessions[round][1],
                    Digest.sha256(contents[round]),
                    Optional.empty(),
                    null,
                    0)));

    assertThat(committed).hasSize(2 * rounds);
    for (int i = 0; i < rounds; i++) {
      Digest d = Digest.sha256(contents[i]);
      assertThat(f.read(REPO, d)).isEqualTo(contents[i]);
    }
    assertThat(f.openSessions()).isEmpty();
    assertThat(f.registry.openUploads()).isZero();
  }
}
