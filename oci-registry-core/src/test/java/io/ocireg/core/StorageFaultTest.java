package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.image;
import static io.ocireg.core.Fixture.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import io.ocireg.storage.memory.InMemoryStorage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Storage that fails: the engine passes storage faults through unchanged (they are not the client's
 * fault, so no 4xx), and leaves nothing that a retry cannot complete. Mockito only wraps the real
 * in-memory storage to inject the faults.
 */
class StorageFaultTest {
  private final InMemoryStorage real = new InMemoryStorage();
  private final Storage storage = mock(Storage.class, delegatesTo(real));
  private final MetadataStore meta = mock(MetadataStore.class, delegatesTo(real.metadata()));
  private final BlobStore blobs = mock(BlobStore.class, delegatesTo(real.blobs()));
  private final UploadStore uploads = mock(UploadStore.class, delegatesTo(real.uploads()));
  private final Fixture f;
  private final Registry registry;
  private final StorageException diskFull = new StorageException("disk full");

  StorageFaultTest() {
    doReturn(meta).when(storage).metadata();
    doReturn(blobs).when(storage).blobs();
    doReturn(uploads).when(storage).uploads();
    f = new Fixture(storage, RegistryOptions.defaults());
    registry = f.registry;
  }

  /** Sessions whose appends fail, or whose commits do. */
  private void failingSessions(boolean append, boolean commit) {
    doAnswer(inv -> faulty(real.uploads().create(inv.getArgument(0)), append, commit))
        .when(uploads)
        .create(any());
    doAnswer(inv -> real.uploads().find(inv.getArgument(0)).map(u -> faulty(u, append, commit)))
        .when(uploads)
        .find(any());
  }

  private BlobUpload faulty(BlobUpload upload, boolean append, boolean commit) {
    BlobUpload m = mock(BlobUpload.class, delegatesTo(upload));
    if (append) {
      doThrow(diskFull).when(m).append(anyLong(), any());
    }
    if (commit) {
      doThrow(diskFull).when(m).commit(any());
    }
    return m;
  }

  @Test
  void aFailingAppendIsAStorageErrorAndLeavesTheSessionOpen() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, Optional.empty(), in(bytes("0123456789")), 10);
    failingSessions(true, false);

    assertThatThrownBy(() -> registry.appendChunk(REPO, id, Optional.empty(), in(bytes("abc")), 3))
        .isSameAs(diskFull);
    assertThatThrownBy(
            () ->
                registry.completeUpload(
                    REPO,
                    id,
                    Digest.sha256(bytes("0123456789abc")),
                    Optional.empty(),
                    in(bytes("abc")),
                    3))
        .isSameAs(diskFull);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
    assertThat(f.openSessions()).containsExactly(id);
  }

  @Test
  void aFailingCommitIsAStorageErrorAndEndsTheSession() {
    failingSessions(false, true);
    String id = registry.startUpload(REPO).id();
    Digest digest = Digest.sha256(bytes("content"));

    assertThatThrownBy(
            () ->
                registry.completeUpload(
                    REPO, id, digest, Optional.empty(), in(bytes("content")), 7))
        .isSameAs(diskFull);
    assertThatThrownBy(() -> registry.uploadWhole(REPO, digest, in(bytes("content")), 7))
        .isSameAs(diskFull);

    assertThat(f.openSessions()).isEmpty();
    assertThat(real.blobs().stat(digest)).isEmpty();
  }

  @Test
  void aBlobWhoseLinkFailedIsLinkedByARetry() {
    Digest digest = Digest.sha256(bytes("content"));
    doThrow(diskFull).when(meta).linkBlob(any(), any());
    doThrow(diskFull).when(meta).linkBlob(any(), any(), any());

    assertThatThrownBy(() -> registry.uploadWhole(REPO, digest, in(bytes("content")), 7))
        .isSameAs(diskFull);
    assertThat(real.metadata().isBlobLinked(REPO, digest)).isFalse();

    doAnswer(
            inv -> {
              real.metadata().linkBlob(inv.getArgument(0), inv.getArgument(1));
              return null;
            })
        .when(meta)
        .linkBlob(any(), any());
    doAnswer(
            inv -> {
              real.metadata().linkBlob(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2));
              return null;
            })
        .when(meta)
        .linkBlob(any(), any(), any());
    registry.uploadWhole(REPO, digest, in(bytes("content")), 7);

    assertThat(registry.blobInfo(REPO, digest).size()).isEqualTo(7);
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void aFailingBlobLookupIsNotReportedAsAMissingBlob() {
    Descriptor config = f.config(REPO);
    doThrow(diskFull).when(blobs).stat(any());

    assertThatThrownBy(
            () ->
                registry.putManifest(
                    REPO, Tag.parse("latest"), MediaType.OCI_MANIFEST, image(config).bytes()))
        .isSameAs(diskFull)
        .isNotInstanceOf(RegistryException.class);
  }

  @Test
  void aReferrerWhoseEntryFailedIsRecordedByARepush() {
    Descriptor subject = f.pushImage(REPO, "latest", "subject");
    byte[] body = image(f.config(REPO)).subject(subject).bytes();
    Digest digest = Digest.sha256(body);
    doThrow(diskFull).when(meta).putReferrer(any(), any(), any());

    assertThatThrownBy(() -> registry.putManifest(REPO, digest, MediaType.OCI_MANIFEST, body))
        .isSameAs(diskFull);

    doAnswer(
            inv -> {
              real.metadata()
                  .putReferrer(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2));
              return null;
            })
        .when(meta)
        .putReferrer(any(), any(), any());
    registry.putManifest(REPO, digest, MediaType.OCI_MANIFEST, body);

    assertThat(
            registry
                .referrers(
                    REPO, subject.digest(), Optional.empty(), Optional.empty(), Optional.empty())
                .index()
                .manifests())
        .extracting(Descriptor::digest)
        .containsExactly(digest);
  }

  @Test
  void aFailingTagWriteFailsThePush() {
    doThrow(diskFull).when(meta).putTag(any(), any());

    assertThatThrownBy(() -> f.pushImage(REPO, "latest", "x")).isSameAs(diskFull);
    assertThat(real.metadata().getTag(REPO, Tag.parse("latest"))).isEmpty();
  }
}
