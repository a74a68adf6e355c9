package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.image;
import static io.ocireg.core.Fixture.in;
import static io.ocireg.core.Fixture.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.Tag;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.memory.InMemoryStorage;
import org.junit.jupiter.api.Test;

/**
 * What a manifest push costs the storage, the cap on descriptors, and manifest requests by the raw
 * reference of a request path.
 */
class ManifestLimitsTest {
  private final InMemoryStorage real = new InMemoryStorage();
  private final Storage storage = mock(Storage.class, delegatesTo(real));
  // Mockito only counts the calls; the real in-memory store does the work.
  private final MetadataStore meta = mock(MetadataStore.class, delegatesTo(real.metadata()));

  private Fixture fixture(RegistryOptions options) {
    doReturn(meta).when(storage).metadata();
    return new Fixture(storage, options);
  }

  @Test
  void anIndexPushReadsEachChildManifestOnce() {
    Fixture f = fixture(RegistryOptions.defaults());
    Descriptor amd64 = f.pushImage(REPO, "amd64", "amd64 layer");
    Descriptor arm64 = f.pushImage(REPO, "arm64", "arm64 layer");
    clearInvocations(meta);

    // The same child twice (two platforms may share an image): still one read.
    f.push(REPO, "multi", MediaType.OCI_INDEX, index(amd64, arm64, amd64));

    verify(meta, times(1)).getManifest(REPO, amd64.digest());
    verify(meta, times(1)).getManifest(REPO, arm64.digest());
    long expected =
        amd64.size()
            + arm64.size()
            + amd64.size()
            + 2 * real.metadata().getManifest(REPO, amd64.digest()).orElseThrow().contentSize()
            + real.metadata().getManifest(REPO, arm64.digest()).orElseThrow().contentSize();
    Digest multi = f.registry.getManifest(REPO, Tag.parse("multi")).digest();
    assertThat(real.metadata().getManifest(REPO, multi).orElseThrow().contentSize())
        .isEqualTo(expected);
  }

  @Test
  void refusesAManifestWithMoreDescriptorsThanTheLimitBeforeAnyLookup() {
    Fixture f = fixture(RegistryOptions.defaults().withMaxManifestReferences(3));
    Descriptor config = f.config(REPO);
    Descriptor l1 = f.layer(REPO, "1");
    Descriptor l2 = f.layer(REPO, "2");
    Descriptor l3 = f.layer(REPO, "3");
    clearInvocations(meta);

    RegistryException e =
        assertError(
            () -> f.push(REPO, "big", MediaType.OCI_MANIFEST, image(config, l1, l2, l3)),
            ErrorCode.MANIFEST_INVALID,
            400);

    assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains("4 descriptors"));
    verify(meta, never()).isBlobLinked(any(), any());
    f.push(REPO, "fits", MediaType.OCI_MANIFEST, image(config, l1, l2));
  }

  @Test
  void theDefaultLimitAllowsTenThousandDescriptors() {
    assertThat(RegistryOptions.defaults().maxManifestReferences()).isEqualTo(10_000);
  }

  // ---- raw references --------------------------------------------------------------------

  @Test
  void readsAndDeletesByARawReference() {
    Fixture f = new Fixture();
    Descriptor pushed = f.pushImage(REPO, "v1", "layer");

    assertThat(f.registry.getManifest(REPO, "v1").digest()).isEqualTo(pushed.digest());
    assertThat(f.registry.getManifest(REPO, pushed.digest().toString()).digest())
        .isEqualTo(pushed.digest());
    f.registry.deleteManifest(REPO, "v1");
    assertError(() -> f.registry.getManifest(REPO, "v1"), ErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void anInvalidReferenceNamesNoManifest() {
    Fixture f = new Fixture();
    for (String raw : new String[] {"bad tag", "-lead", "sha256:nope", "x".repeat(200), ""}) {
      assertError(() -> f.registry.getManifest(REPO, raw), ErrorCode.MANIFEST_UNKNOWN, 404);
      assertError(() -> f.registry.deleteManifest(REPO, raw), ErrorCode.MANIFEST_UNKNOWN, 404);
    }
  }

  @Test
  void pushingUnderAnInvalidReferenceIs400() {
    Fixture f = new Fixture();
    byte[] body = image(f.config(REPO), f.layer(REPO, "l")).bytes();

    assertError(
        () -> f.registry.putManifest(REPO, "bad tag", MediaType.OCI_MANIFEST, in(body), -1),
        ErrorCode.MANIFEST_INVALID,
        400);
    assertError(
        () -> f.registry.putManifest(REPO, "sha256:nope", MediaType.OCI_MANIFEST, in(body), -1),
        ErrorCode.DIGEST_INVALID,
        400);
    PushedManifest pushed =
        f.registry.putManifest(REPO, "good", MediaType.OCI_MANIFEST, in(body), body.length);
    assertThat(pushed.digest()).isEqualTo(Digest.sha256(body));
  }

  // ---- messages --------------------------------------------------------------------------

  @Test
  void errorsShowOnlyTheStartOfAHugeInput() {
    Fixture f = new Fixture();
    Digest huge = Digest.parse("foo:" + "a".repeat(5_000));

    RegistryException blob =
        assertError(() -> f.registry.blobInfo(REPO, huge), ErrorCode.BLOB_UNKNOWN, 404);
    RegistryException manifest =
        assertError(() -> f.registry.getManifest(REPO, huge), ErrorCode.MANIFEST_UNKNOWN, 404);
    RegistryException invalid =
        assertError(
            () -> f.registry.getManifest(REPO, "!" + "b".repeat(5_000)),
            ErrorCode.MANIFEST_UNKNOWN,
            404);
    RegistryException upload =
        assertError(
            () -> f.registry.uploadStatus(REPO, "c".repeat(5_000)),
            ErrorCode.BLOB_UPLOAD_UNKNOWN,
            404);
    RegistryException unsupported =
        assertError(
            () ->
                f.registry.uploadWhole(
                    REPO, Digest.parse("x".repeat(5_000) + ":abc"), in(bytes("a")), 1),
            ErrorCode.DIGEST_INVALID,
            400);

    for (RegistryException e :
        new RegistryException[] {blob, manifest, invalid, upload, unsupported}) {
      assertThat(e.getMessage().length() + e.detail().orElse("").length())
          .as(e.getMessage())
          .isLessThan(300);
    }
  }
}
