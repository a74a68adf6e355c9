package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.index;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Tag;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeleteTest {
  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  private static final Tag LATEST = Tag.parse("latest");

  // ---- manifests -------------------------------------------------------------------------

  @Test
  void deletingATagKeepsTheManifestAndItsOtherTags() {
    Descriptor image = f.pushImage(REPO, "latest", "x");
    registry.putManifest(
        REPO, Tag.parse("v1"), image.mediaType(), registry.getManifest(REPO, LATEST).content());

    registry.deleteManifest(REPO, LATEST);

    assertError(() -> registry.getManifest(REPO, LATEST), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertThat(registry.getManifest(REPO, Tag.parse("v1")).digest()).isEqualTo(image.digest());
    assertThat(registry.getManifest(REPO, image.digest()).digest()).isEqualTo(image.digest());
  }

  @Test
  void deletingByDigestRemovesTheManifestAndEveryTagPointingAtIt() {
    Descriptor image = f.pushImage(REPO, "latest", "x");
    registry.putManifest(
        REPO, Tag.parse("v1"), image.mediaType(), registry.getManifest(REPO, LATEST).content());
    Descriptor other = f.pushImage(REPO, "other", "y");

    registry.deleteManifest(REPO, image.digest());

    assertError(() -> registry.getManifest(REPO, image.digest()), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertError(() -> registry.getManifest(REPO, LATEST), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertError(() -> registry.getManifest(REPO, Tag.parse("v1")), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertThat(registry.getManifest(REPO, Tag.parse("other")).digest()).isEqualTo(other.digest());
    assertThat(registry.listTags(REPO, Optional.empty(), Optional.empty()).list().tags())
        .containsExactly(Tag.parse("other"));
  }

  @Test
  void deletingSomethingThatIsNotThereIs404() {
    Descriptor image = f.pushImage(REPO, "latest", "x");

    assertError(
        () -> registry.deleteManifest(REPO, Tag.parse("nope")), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertError(
        () -> registry.deleteManifest(REPO, Digest.sha256(bytes("nope"))),
        ErrorCode.MANIFEST_UNKNOWN,
        404);
    assertError(
        () -> registry.deleteManifest(OTHER, image.digest()), ErrorCode.MANIFEST_UNKNOWN, 404);
    registry.deleteManifest(REPO, image.digest());
    assertError(
        () -> registry.deleteManifest(REPO, image.digest()), ErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void aManifestThatAnIndexListsMayBeDeleted() {
    Descriptor child = f.pushImage(REPO, "amd64", "amd64");
    f.push(REPO, "latest", MediaType.OCI_INDEX, index(child));

    registry.deleteManifest(REPO, child.digest());

    assertThat(registry.getManifest(REPO, LATEST).mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertError(() -> registry.getManifest(REPO, child.digest()), ErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void deletingAManifestLeavesItsBlobs() {
    Descriptor config = f.config(REPO);
    Descriptor image = f.push(REPO, "latest", MediaType.OCI_MANIFEST, Fixture.image(config));

    registry.deleteManifest(REPO, image.digest());

    assertThat(registry.blobInfo(REPO, config.digest()).size()).isEqualTo(config.size());
  }

  // ---- blobs -----------------------------------------------------------------------------

  @Test
  void deletingABlobUnlinksItFromThatRepositoryOnly() {
    Descriptor blob = f.blob(REPO, MediaType.OCTET_STREAM, bytes("shared"));
    f.blob(OTHER, MediaType.OCTET_STREAM, bytes("shared"));

    registry.deleteBlob(REPO, blob.digest());

    assertError(() -> registry.blobInfo(REPO, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
    assertError(
        () -> registry.openBlob(REPO, blob.digest(), Optional.empty()),
        ErrorCode.BLOB_UNKNOWN,
        404);
    assertThat(registry.blobInfo(OTHER, blob.digest()).size()).isEqualTo(blob.size());
    assertThat(f.storage.blobs().stat(blob.digest())).isPresent();
  }

  @Test
  void deletingABlobThatIsNotThereIs404() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("elsewhere"));

    assertError(() -> registry.deleteBlob(REPO, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
    registry.deleteBlob(OTHER, blob.digest());
    assertError(() -> registry.deleteBlob(OTHER, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void aBlobCanBePushedAgainAfterItsDeletion() {
    Descriptor blob = f.blob(REPO, MediaType.OCTET_STREAM, bytes("again"));
    registry.deleteBlob(REPO, blob.digest());

    f.blob(REPO, MediaType.OCTET_STREAM, bytes("again"));

    assertThat(registry.blobInfo(REPO, blob.digest()).size()).isEqualTo(blob.size());
  }

  // ---- conditional deletes and change notifications ------------------------------------

  @Test
  void aConditionalDeleteRefusesWhenTheTagsPointingAtTheManifestAreNotTheExpectedOnes() {
    Descriptor image = f.pushImage(REPO, "latest", "x");
    registry.putManifest(
        REPO, Tag.parse("v1"), image.mediaType(), registry.getManifest(REPO, LATEST).content());

    Optional<java.util.List<io.ocireg.storage.TagRecord>> refused =
        registry.deleteManifestIf(REPO, image.digest(), tags -> tags.size() == 1);

    assertThat(refused).isEmpty();
    assertThat(registry.getManifest(REPO, image.digest()).digest()).isEqualTo(image.digest());
    assertThat(registry.tagsPointingAt(REPO, image.digest())).hasSize(2);

    Optional<java.util.List<io.ocireg.storage.TagRecord>> deleted =
        registry.deleteManifestIf(REPO, image.digest(), tags -> tags.size() == 2);

    assertThat(deleted.orElseThrow())
        .extracting(t -> t.tag().value())
        .containsExactlyInAnyOrder("latest", "v1");
    assertError(() -> registry.getManifest(REPO, image.digest()), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertError(
        () -> registry.deleteManifestIf(REPO, image.digest(), tags -> true),
        ErrorCode.MANIFEST_UNKNOWN,
        404);
  }

  @Test
  void changeListenersHearOfPushesAndOfTagAndManifestDeletes() {
    java.util.List<io.ocireg.spec.RepositoryName> heard =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable stop = registry.onRepositoryChanged(heard::add);
    Descriptor image = f.pushImage(REPO, "latest", "x");
    int afterPush = heard.size();
    registry.putManifest(
        REPO, Tag.parse("v1"), image.mediaType(), registry.getManifest(REPO, LATEST).content());
    heard.clear();

    registry.deleteManifest(REPO, LATEST);
    assertThat(heard).containsExactly(REPO);
    registry.deleteManifest(REPO, image.digest());
    assertThat(heard).containsExactly(REPO, REPO);
    stop.run();
    f.pushImage(OTHER, "latest", "y");

    assertThat(afterPush).isPositive();
    assertThat(heard).containsExactly(REPO, REPO);
  }
}
