package io.ocireg.storage.tck;

import static io.ocireg.storage.tck.Fixtures.T1;
import static io.ocireg.storage.tck.Fixtures.fakeDigest;
import static io.ocireg.storage.tck.Fixtures.generatedBytes;
import static io.ocireg.storage.tck.Fixtures.manifest;
import static io.ocireg.storage.tck.Fixtures.putBlob;
import static io.ocireg.storage.tck.Fixtures.readAll;
import static io.ocireg.storage.tck.Fixtures.referrer;
import static io.ocireg.storage.tck.Fixtures.repo;
import static io.ocireg.storage.tck.Fixtures.sha256;
import static io.ocireg.storage.tck.Fixtures.sha512;
import static io.ocireg.storage.tck.Fixtures.tag;
import static io.ocireg.storage.tck.Fixtures.tagRecord;
import static io.ocireg.storage.tck.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a persistent backend keeps across a restart; skipped for backends that do not persist (see
 * {@link StorageFixture#restart()}).
 */
public interface RestartContract extends StorageFixture {

  @Test
  default void committedBlobsSurviveARestart() {
    byte[] small = utf8("small");
    byte[] larger = generatedBytes(3, 0, 300_000);
    putBlob(storage(), small);
    putBlob(storage(), larger);
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(small));
    upload.commit(sha512(small));

    Storage after = restarted();

    assertThat(after.blobs().stat(sha256(larger)).orElseThrow().size()).isEqualTo(larger.length);
    assertThat(readAll(after.blobs().open(sha256(small), 0, -1))).isEqualTo(small);
    assertThat(readAll(after.blobs().open(sha256(larger), 1000, 5000)))
        .isEqualTo(generatedBytes(3, 1000, 5000));
    assertThat(readAll(after.blobs().open(sha512(small), 0, -1))).isEqualTo(small);
    assertThat(after.blobs().list(Optional.empty(), 10).items()).hasSize(3);
  }

  @Test
  default void metadataSurvivesARestart() {
    MetadataStore meta = storage().metadata();
    ManifestRecord m = manifest("{\"schemaVersion\":2}", T1);
    meta.putManifest(repo("org/app"), m);
    meta.putTag(repo("org/app"), tagRecord("v1", m.digest()));
    meta.linkBlob(repo("org/app"), fakeDigest(1));
    meta.linkBlob(repo("other"), fakeDigest(2));
    meta.putReferrer(repo("org/app"), m.digest(), referrer(7, "application/vnd.example"));

    MetadataStore after = restarted().metadata();

    assertThat(after.getManifest(repo("org/app"), m.digest())).contains(m);
    assertThat(after.getTag(repo("org/app"), tag("v1")))
        .contains(new TagRecord(tag("v1"), m.digest(), T1));
    assertThat(after.isBlobLinked(repo("org/app"), fakeDigest(1))).isTrue();
    assertThat(after.listReferrers(repo("org/app"), m.digest(), Optional.empty(), 10).items())
        .containsExactly(referrer(7, "application/vnd.example"));
    assertThat(after.listRepositories(Optional.empty(), 10).items())
        .containsExactly(repo("org/app"), repo("other"));
    assertThat(after.repositoryExists(repo("other"))).isTrue();
  }

  @Test
  default void deletionsSurviveARestart() {
    MetadataStore meta = storage().metadata();
    ManifestRecord m = manifest("{\"schemaVersion\":2}", T1);
    Digest blob = putBlob(storage(), utf8("gone")).digest();
    meta.putManifest(repo("a"), m);
    meta.putTag(repo("a"), tagRecord("v1", m.digest()));
    meta.linkBlob(repo("a"), blob);
    meta.putReferrer(repo("a"), m.digest(), referrer(1, "application/x"));
    storage().blobs().delete(blob);
    meta.deleteManifest(repo("a"), m.digest());
    meta.deleteTag(repo("a"), tag("v1"));
    meta.unlinkBlob(repo("a"), blob);
    meta.deleteReferrer(repo("a"), m.digest(), fakeDigest(1));

    Storage after = restarted();

    assertThat(after.blobs().stat(blob)).isEmpty();
    assertThat(after.metadata().getManifest(repo("a"), m.digest())).isEmpty();
    assertThat(after.metadata().getTag(repo("a"), tag("v1"))).isEmpty();
    assertThat(after.metadata().isBlobLinked(repo("a"), blob)).isFalse();
    assertThat(after.metadata().listReferrers(repo("a"), m.digest(), Optional.empty(), 10).items())
        .isEmpty();
    assertThat(after.metadata().repositoryExists(repo("a"))).isFalse();
  }

  @Test
  default void openUploadSessionResumesAfterARestart() {
    BlobUpload upload = storage().uploads().create(repo("org/app"));
    upload.append(0, new ByteArrayInputStream(utf8("before restart, ")));
    Instant startedAt = upload.startedAt();

    Storage after = restarted();

    BlobUpload resumed = after.uploads().find(upload.id()).orElseThrow();
    assertThat(resumed.size()).isEqualTo(16);
    assertThat(resumed.repository()).isEqualTo(repo("org/app"));
    assertThat(resumed.startedAt()).isBetween(startedAt.minusSeconds(1), startedAt.plusSeconds(1));
    assertThat(
            after
                .uploads()
                .listStale(Instant.now().plusSeconds(3600), Optional.empty(), 10)
                .items())
        .containsExactly(upload.id());
    resumed.append(16, new ByteArrayInputStream(utf8("after restart")));
    Digest digest = sha256(utf8("before restart, after restart"));
    assertThat(resumed.commit(digest).size()).isEqualTo(29);
    assertThat(readAll(after.blobs().open(digest, 0, -1)))
        .isEqualTo(utf8("before restart, after restart"));
  }

  @Test
  default void endedUploadSessionsStayEndedAfterARestart() {
    BlobUpload committed = storage().uploads().create(repo("a"));
    committed.append(0, new ByteArrayInputStream(utf8("c")));
    committed.commit(sha256(utf8("c")));
    BlobUpload cancelled = storage().uploads().create(repo("a"));
    cancelled.append(0, new ByteArrayInputStream(utf8("x")));
    cancelled.cancel();

    Storage after = restarted();

    assertThat(after.uploads().find(committed.id())).isEmpty();
    assertThat(after.uploads().find(cancelled.id())).isEmpty();
    assertThat(
            after
                .uploads()
                .listStale(Instant.now().plusSeconds(3600), Optional.empty(), 10)
                .items())
        .isEmpty();
    assertThatCode(after::checkUsable).doesNotThrowAnyException();
  }
}
