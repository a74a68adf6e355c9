package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MountTest {
  private static final RepositoryName THIRD = RepositoryName.parse("third");

  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  @Test
  void mountsABlobFromTheRepositoryThatHoldsIt() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("layer"));

    Optional<BlobInfo> mounted = registry.mount(REPO, blob.digest(), Optional.of(OTHER));

    assertThat(mounted).get().extracting(BlobInfo::digest).isEqualTo(blob.digest());
    assertThat(mounted.get().size()).isEqualTo(blob.size());
    assertThat(f.read(REPO, blob.digest())).isEqualTo(bytes("layer"));
  }

  @Test
  void doesNotMountFromARepositoryThatLacksTheBlob() {
    Descriptor blob = f.blob(THIRD, MediaType.OCTET_STREAM, bytes("layer"));

    assertThat(registry.mount(REPO, blob.digest(), Optional.of(OTHER))).isEmpty();
    assertError(() -> registry.blobInfo(REPO, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void doesNotMountFromARepositoryThatDeletedTheBlob() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("layer"));
    registry.deleteBlob(OTHER, blob.digest());

    assertThat(registry.mount(REPO, blob.digest(), Optional.of(OTHER))).isEmpty();
  }

  @Test
  void mountsWithoutFromFromAnywhereByDefault() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("layer"));

    assertThat(registry.mount(REPO, blob.digest(), Optional.empty())).isPresent();
    assertThat(registry.blobInfo(REPO, blob.digest()).size()).isEqualTo(blob.size());
  }

  @Test
  void doesNotMountWithoutFromWhenSwitchedOff() {
    Fixture strict = new Fixture(Fixture.options(1 << 20, 1000, 100, true, false));
    Descriptor blob = strict.blob(OTHER, MediaType.OCTET_STREAM, bytes("layer"));

    assertThat(strict.registry.mount(REPO, blob.digest(), Optional.empty())).isEmpty();
    assertThat(strict.registry.mount(REPO, blob.digest(), Optional.of(OTHER))).isPresent();
  }

  @Test
  void doesNotMountAnUnknownBlob() {
    Digest unknown = Digest.sha256(bytes("unknown"));

    assertThat(registry.mount(REPO, unknown, Optional.empty())).isEmpty();
    assertThat(registry.mount(REPO, unknown, Optional.of(OTHER))).isEmpty();
    assertError(() -> registry.blobInfo(REPO, unknown), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void mountingABlobTheRepositoryHoldsIsHarmless() {
    Descriptor blob = f.blob(REPO, MediaType.OCTET_STREAM, bytes("layer"));

    assertThat(registry.mount(REPO, blob.digest(), Optional.of(REPO))).isPresent();
    assertThat(registry.blobInfo(REPO, blob.digest()).size()).isEqualTo(blob.size());
  }

  @Test
  void aMountedBlobSatisfiesAManifest() {
    Descriptor config = f.config(OTHER);
    registry.mount(REPO, config.digest(), Optional.of(OTHER));

    f.push(REPO, "latest", MediaType.OCI_MANIFEST, Fixture.image(config));

    assertThat(registry.getManifest(REPO, io.ocireg.spec.Tag.parse("latest"))).isNotNull();
  }
}
