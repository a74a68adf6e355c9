package io.ocireg.storage.tck;

import static io.ocireg.storage.tck.Fixtures.fakeDigest;
import static io.ocireg.storage.tck.Fixtures.manifest;
import static io.ocireg.storage.tck.Fixtures.putBlob;
import static io.ocireg.storage.tck.Fixtures.referrer;
import static io.ocireg.storage.tck.Fixtures.repo;
import static io.ocireg.storage.tck.Fixtures.sha256;
import static io.ocireg.storage.tck.Fixtures.tagRecord;
import static io.ocireg.storage.tck.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What garbage collection needs from a backend: blob touches, link times, and pruning of
 * repositories left empty.
 */
public interface CollectionContract extends StorageFixture {

  private MetadataStore meta() {
    return storage().metadata();
  }

  private static Instant later() {
    return Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
  }

  // ---- blob touches -----------------------------------------------------------------------

  @Test
  default void touchMovesABlobsTimeForward() {
    Digest d = putBlob(storage(), utf8("touched")).digest();
    Instant at = later();

    assertThat(storage().blobs().touch(d, at)).isTrue();

    assertThat(storage().blobs().stat(d).orElseThrow().storedAt()).isEqualTo(at);
  }

  @Test
  default void touchNeverMovesABlobsTimeBack() {
    Digest d = putBlob(storage(), utf8("touched")).digest();
    Instant stored = storage().blobs().stat(d).orElseThrow().storedAt();

    assertThat(storage().blobs().touch(d, Fixtures.T1)).isTrue();

    assertThat(storage().blobs().stat(d).orElseThrow().storedAt()).isEqualTo(stored);
  }

  @Test
  default void touchOfAMissingBlobSaysSoAndStoresNothing() {
    Digest d = sha256(utf8("never stored"));

    assertThat(storage().blobs().touch(d, later())).isFalse();

    assertThat(storage().blobs().stat(d)).isEmpty();
  }

  @Test
  default void touchedTimeSurvivesARestart() {
    Digest d = putBlob(storage(), utf8("touched")).digest();
    Instant at = later();
    storage().blobs().touch(d, at);

    assertThat(restarted().blobs().stat(d).orElseThrow().storedAt()).isEqualTo(at);
  }

  // ---- link times -------------------------------------------------------------------------

  @Test
  default void linkTimeIsAtLeastTheTimeGiven() {
    Instant before = Instant.now().minusSeconds(2);
    meta().linkBlob(repo("a"), fakeDigest(1), Fixtures.T1);

    assertThat(meta().blobLinkedAt(repo("a"), fakeDigest(1)).orElseThrow())
        .isAfterOrEqualTo(Fixtures.T1);
    assertThat(meta().isBlobLinked(repo("a"), fakeDigest(1))).isTrue();
    assertThat(meta().blobLinkedAt(repo("a"), fakeDigest(1)).orElseThrow())
        .isAfterOrEqualTo(before.isBefore(Fixtures.T1) ? before : Fixtures.T1);
  }

  @Test
  default void relinkingRenewsTheLinkTime() {
    meta().linkBlob(repo("a"), fakeDigest(1));
    Instant at = later();

    meta().linkBlob(repo("a"), fakeDigest(1), at);

    assertThat(meta().blobLinkedAt(repo("a"), fakeDigest(1))).contains(at);
  }

  @Test
  default void linkTimeIsEmptyWithoutALink() {
    meta().linkBlob(repo("a"), fakeDigest(1), later());
    meta().unlinkBlob(repo("a"), fakeDigest(1));

    assertThat(meta().blobLinkedAt(repo("a"), fakeDigest(1))).isEmpty();
    assertThat(meta().blobLinkedAt(repo("b"), fakeDigest(1))).isEmpty();
  }

  @Test
  default void linkTimeSurvivesARestart() {
    Instant at = later();
    meta().linkBlob(repo("a"), fakeDigest(1), at);

    assertThat(restarted().metadata().blobLinkedAt(repo("a"), fakeDigest(1))).contains(at);
  }

  // ---- pruning ----------------------------------------------------------------------------

  @Test
  default void pruneRefusesARepositoryThatHoldsAnything() {
    ManifestRecord m = manifest("{\"m\":1}", Fixtures.T1);
    meta().putManifest(repo("with/manifest"), m);
    meta().putTag(repo("with/tag"), tagRecord("v1", m.digest()));
    meta().linkBlob(repo("with/link"), fakeDigest(1));

    for (String name : new String[] {"with/manifest", "with/tag", "with/link"}) {
      assertThat(meta().pruneRepository(repo(name))).as(name).isFalse();
      assertThat(meta().repositoryExists(repo(name))).as(name).isTrue();
    }
    assertThat(meta().getManifest(repo("with/manifest"), m.digest())).isPresent();
  }

  @Test
  default void pruneFreesTheReferrerEntriesOfAnEmptyRepository() {
    RepositoryName a = repo("a");
    meta().linkBlob(a, fakeDigest(1));
    meta().putReferrer(a, fakeDigest(2), referrer(3, "application/x-sbom"));
    meta().unlinkBlob(a, fakeDigest(1));

    assertThat(meta().pruneRepository(a)).isTrue();

    assertThat(meta().listReferrers(a, fakeDigest(2), Optional.empty(), 10).items()).isEmpty();
    assertThat(meta().repositoryExists(a)).isFalse();
    assertThat(meta().listRepositories(Optional.empty(), 10).items()).doesNotContain(a);
  }

  @Test
  default void pruneLeavesNestedRepositoriesAlone() {
    meta().linkBlob(repo("a"), fakeDigest(1));
    meta().linkBlob(repo("a/b"), fakeDigest(2));
    meta().unlinkBlob(repo("a"), fakeDigest(1));

    assertThat(meta().pruneRepository(repo("a"))).isTrue();

    assertThat(meta().isBlobLinked(repo("a/b"), fakeDigest(2))).isTrue();
    Page<RepositoryName> all = meta().listRepositories(Optional.empty(), 10);
    assertThat(all.items()).containsExactly(repo("a/b"));
  }

  @Test
  default void aPrunedRepositoryCanBeWrittenAgain() {
    meta().linkBlob(repo("a"), fakeDigest(1));
    meta().unlinkBlob(repo("a"), fakeDigest(1));
    meta().pruneRepository(repo("a"));
    ManifestRecord m = manifest("{\"m\":2}", Fixtures.T2);

    meta().putManifest(repo("a"), m);
    meta().linkBlob(repo("a"), fakeDigest(1), later());

    assertThat(meta().getManifest(repo("a"), m.digest())).contains(m);
    assertThat(meta().isBlobLinked(repo("a"), fakeDigest(1))).isTrue();
    assertThat(meta().repositoryExists(repo("a"))).isTrue();
  }

  @Test
  default void pruningARepositoryThatNeverExistedIsHarmless() {
    assertThat(meta().pruneRepository(repo("never/there"))).isTrue();
    assertThat(meta().listRepositories(Optional.empty(), 10).items()).isEmpty();
  }
}
