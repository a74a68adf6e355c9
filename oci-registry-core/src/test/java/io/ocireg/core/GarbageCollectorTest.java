package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.image;
import static io.ocireg.core.Fixture.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.memory.InMemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static final GcOptions OPTIONS = GcOptions.defaults().withGracePeriod(GRACE);

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final InMemoryStorage storage = new InMemoryStorage(clock);
  private final Fixture f = new Fixture(storage, RegistryOptions.defaults(), clock);
  private final GarbageCollector gc = GarbageCollector.of(f.registry);

  private void age() {
    clock.advance(GRACE.plusSeconds(1));
  }

  private boolean stored(Descriptor d) {
    return storage.blobs().stat(d.digest()).isPresent();
  }

  private boolean manifestStored(RepositoryName r, Descriptor d) {
    return storage.metadata().getManifest(r, d.digest()).isPresent();
  }

  @Test
  void freesTheBlobsOfADeletedImageAndKeepsSharedOnes() {
    Descriptor config = f.config(REPO);
    Descriptor shared = f.layer(REPO, "shared");
    Descriptor onlyOld = f.layer(REPO, "only old");
    Descriptor old = f.push(REPO, "old", MediaType.OCI_MANIFEST, image(config, shared, onlyOld));
    Descriptor kept = f.push(REPO, "kept", MediaType.OCI_MANIFEST, image(config, shared));
    f.registry.deleteManifest(REPO, old.digest());
    age();

    GcReport report = gc.collect(OPTIONS);

    assertThat(stored(onlyOld)).isFalse();
    assertThat(storage.metadata().isBlobLinked(REPO, onlyOld.digest())).isFalse();
    assertThat(stored(shared)).isTrue();
    assertThat(stored(config)).isTrue();
    assertThat(f.read(REPO, shared.digest())).isEqualTo(Fixture.bytes("shared"));
    assertThat(f.registry.getManifest(REPO, Tag.parse("kept")).digest()).isEqualTo(kept.digest());
    assertThat(report.blobsSwept()).isEqualTo(1);
    assertThat(report.linksSwept()).isEqualTo(1);
    assertThat(report.bytesFreed()).isEqualTo(onlyOld.size());
    assertThat(report.manifestsMarked()).isEqualTo(1);
    assertThat(report.swept()).contains("blob " + onlyOld.digest());
  }

  @Test
  void keepsEverythingWrittenWithinTheGracePeriod() {
    Descriptor layer = f.layer(REPO, "fresh, unreferenced");
    Descriptor old = f.pushImage(REPO, "v1", "v1");
    f.registry.deleteManifest(REPO, old.digest());

    GcReport report = gc.collect(OPTIONS.withUntaggedToKeep(0));

    assertThat(stored(layer)).isTrue();
    assertThat(report.blobsSwept() + report.linksSwept() + report.manifestsSwept()).isZero();
    assertThat(report.keptRecent()).isPositive();
  }

  @Test
  void keepsUntaggedManifestsByDefault() {
    Descriptor untagged = f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO)));
    age();

    gc.collect(OPTIONS);

    assertThat(manifestStored(REPO, untagged)).isTrue();
  }

  @Test
  void keepsTheNewestUntaggedManifestsWhenAsked() {
    Descriptor oldest =
        f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO), f.layer(REPO, "1")));
    clock.advance(Duration.ofSeconds(1));
    Descriptor middle =
        f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO), f.layer(REPO, "2")));
    clock.advance(Duration.ofSeconds(1));
    Descriptor newest =
        f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO), f.layer(REPO, "3")));
    age();

    GcReport report = gc.collect(OPTIONS.withUntaggedToKeep(1));

    assertThat(manifestStored(REPO, newest)).isTrue();
    assertThat(manifestStored(REPO, middle)).isFalse();
    assertThat(manifestStored(REPO, oldest)).isFalse();
    assertThat(report.manifestsSwept()).isEqualTo(2);
    assertThat(storage.blobs().stat(Digest.sha256(Fixture.bytes("3")))).isPresent();
    assertThat(storage.blobs().stat(Digest.sha256(Fixture.bytes("1")))).isEmpty();
  }

  @Test
  void multiPlatformIndexKeepsItsChildrenAndTheirLayers() {
    Descriptor amd =
        f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO), f.layer(REPO, "amd")));
    Descriptor arm =
        f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO), f.layer(REPO, "arm")));
    f.push(REPO, "multi", MediaType.OCI_INDEX, index(amd, arm));
    age();

    GcReport report = gc.collect(OPTIONS.withUntaggedToKeep(0));

    assertThat(manifestStored(REPO, amd)).isTrue();
    assertThat(manifestStored(REPO, arm)).isTrue();
    assertThat(f.read(REPO, Digest.sha256(Fixture.bytes("arm")))).isEqualTo(Fixture.bytes("arm"));
    assertThat(report.manifestsSwept()).isZero();
    assertThat(report.blobsSwept()).isZero();
    assertThat(report.manifestsMarked()).isEqualTo(3);
  }

  @Test
  void deletedIndexTakesItsUntaggedChildrenAlongWhenUntaggedAreNotKept() {
    Descriptor amd =
        f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(f.config(REPO), f.layer(REPO, "amd")));
    Descriptor multi = f.push(REPO, "multi", MediaType.OCI_INDEX, index(amd));
    f.registry.deleteManifest(REPO, multi.digest());
    age();

    gc.collect(OPTIONS.withUntaggedToKeep(0));

    assertThat(manifestStored(REPO, amd)).isFalse();
    assertThat(storage.blobs().stat(Digest.sha256(Fixture.bytes("amd")))).isEmpty();
  }

  private Descriptor signatureOf(Descriptor subject) {
    return f.pushByDigest(
        REPO,
        MediaType.OCI_MANIFEST,
        image(f.config(REPO), f.layer(REPO, "signature of " + subject.digest()))
            .artifactType("application/vnd.example.signature")
            .subject(subject));
  }

  @Test
  void referrersOfALiveSubjectAreKeptEvenWhenUntaggedAreNot() {
    Descriptor subject = f.pushImage(REPO, "v1", "v1");
    Descriptor signature = signatureOf(subject);
    age();

    gc.collect(OPTIONS.withUntaggedToKeep(0).withDeleteOrphanReferrers(true));

    assertThat(manifestStored(REPO, signature)).isTrue();
    assertThat(
            f.registry
                .referrers(
                    REPO, subject.digest(), Optional.empty(), Optional.empty(), Optional.empty())
                .index()
                .manifests())
        .extracting(Descriptor::digest)
        .containsExactly(signature.digest());
  }

  @Test
  void referrersFollowTheirDeletedSubjectWhenAsked() {
    Descriptor subject = f.pushImage(REPO, "v1", "v1");
    Descriptor signature = signatureOf(subject);
    f.registry.deleteManifest(REPO, subject.digest());
    age();

    GcReport report = gc.collect(OPTIONS.withDeleteOrphanReferrers(true));

    assertThat(manifestStored(REPO, signature)).isFalse();
    assertThat(
            storage.metadata().listReferrers(REPO, subject.digest(), Optional.empty(), 10).items())
        .isEmpty();
    assertThat(
            storage.blobs().stat(Digest.sha256(Fixture.bytes("signature of " + subject.digest()))))
        .isEmpty();
    assertThat(report.referrersSwept()).isEqualTo(1);
  }

  @Test
  void referrersOfADeletedSubjectStayWhenNotAsked() {
    Descriptor subject = f.pushImage(REPO, "v1", "v1");
    Descriptor signature = signatureOf(subject);
    f.registry.deleteManifest(REPO, subject.digest());
    age();

    gc.collect(OPTIONS.withUntaggedToKeep(0).withDeleteOrphanReferrers(false));

    assertThat(manifestStored(REPO, signature)).isTrue();
    assertThat(f.read(REPO, Digest.sha256(Fixture.bytes("signature of " + subject.digest()))))
        .isNotEmpty();
  }

  @Test
  void aRepositoryWithoutTagsLeavesTheCatalogAndFreesItsStorage() {
    Descriptor v1 = f.pushImage(REPO, "v1", "v1");
    signatureOf(v1);
    Descriptor other = f.pushImage(Fixture.OTHER, "v1", "other");
    f.registry.deleteManifest(REPO, Tag.parse("v1"));
    age();

    GcReport report = gc.collect(OPTIONS.withRemoveEmptyRepositories(true));

    assertThat(f.registry.catalog(Optional.empty(), Optional.empty()).catalog().repositories())
        .containsExactly(Fixture.OTHER);
    assertThat(storage.metadata().listManifests(REPO, Optional.empty(), 10).items()).isEmpty();
    assertThat(storage.metadata().listBlobLinks(REPO, Optional.empty(), 10).items()).isEmpty();
    assertThat(storage.metadata().listReferrers(REPO, v1.digest(), Optional.empty(), 10).items())
        .isEmpty();
    assertThat(report.repositoriesSwept()).isEqualTo(1);
    assertThat(f.registry.getManifest(Fixture.OTHER, Tag.parse("v1")).digest())
        .isEqualTo(other.digest());
    // Only the other repository's config and layer remain.
    assertThat(storage.blobs().list(Optional.empty(), 10).items()).hasSize(2);
  }

  @Test
  void dryRunReportsWhatWouldGoAndRemovesNothing() {
    Descriptor layer = f.layer(REPO, "orphan");
    Descriptor old = f.pushImage(REPO, "v1", "v1");
    f.registry.deleteManifest(REPO, old.digest());
    age();

    GcReport dry = gc.collect(OPTIONS.withDryRun(true));
    GcReport real = gc.collect(OPTIONS);

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.blobsSwept()).isEqualTo(real.blobsSwept()).isEqualTo(3);
    assertThat(dry.bytesFreed()).isEqualTo(real.bytesFreed()).isPositive();
    assertThat(dry.swept()).containsExactlyInAnyOrderElementsOf(real.swept());
    assertThat(stored(layer)).isFalse();
  }

  @Test
  void dryRunLeavesStorageAsItWas() {
    Descriptor layer = f.layer(REPO, "orphan");
    age();

    GcReport dry = gc.collect(OPTIONS.withDryRun(true).withRemoveEmptyRepositories(true));

    assertThat(dry.swept()).contains("blob " + layer.digest(), "repository " + REPO);
    assertThat(stored(layer)).isTrue();
    assertThat(storage.metadata().isBlobLinked(REPO, layer.digest())).isTrue();
  }

  @Test
  void removesDanglingTagsAndStaleUploads() {
    f.registry.startUpload(REPO);
    Descriptor m = f.pushImage(REPO, "v1", "v1");
    // As a crash between the two deletes of a manifest delete would leave it.
    storage.metadata().deleteManifest(REPO, m.digest());
    clock.advance(Duration.ofDays(2));

    GcReport report = gc.collect(OPTIONS);

    assertThat(storage.metadata().getTag(REPO, Tag.parse("v1"))).isEmpty();
    assertThat(report.tagsSwept()).isEqualTo(1);
    assertThat(report.uploadsSwept()).isEqualTo(1);
  }

  @Test
  void aFailureWhileMarkingAbortsBeforeAnythingIsSwept() {
    Descriptor orphan = f.layer(REPO, "orphan");
    f.pushImage(Fixture.OTHER, "v1", "other");
    age();
    MetadataStore meta = mock(MetadataStore.class, delegatesTo(storage.metadata()));
    doThrow(new StorageException("disk error"))
        .when(meta)
        .listBlobLinks(eq(Fixture.OTHER), any(), org.mockito.ArgumentMatchers.anyInt());
    Storage faulty = mock(Storage.class, delegatesTo(storage));
    when(faulty.metadata()).thenReturn(meta);
    GarbageCollector failing =
        GarbageCollector.of(Registry.create(faulty, RegistryOptions.defaults(), clock));

    assertThatThrownBy(() -> failing.collect(OPTIONS))
        .isInstanceOf(GarbageCollectionException.class)
        .hasMessageContaining("disk error")
        .extracting(e -> ((GarbageCollectionException) e).reason())
        .isEqualTo(GarbageCollectionException.Reason.MARK_FAILED);
    assertThat(stored(orphan)).isTrue();
    assertThat(storage.metadata().isBlobLinked(REPO, orphan.digest())).isTrue();
  }

  @Test
  void aPushThatReusesAnOldBlobAfterMarkingKeepsIt() {
    Descriptor config = f.config(REPO);
    Descriptor layer = f.layer(REPO, "old, about to be reused");
    age();
    // Marking sees the blob unreferenced; the push lands before the sweep gets to it.
    MetadataStore meta = mock(MetadataStore.class, delegatesTo(storage.metadata()));
    Storage hooked = mock(Storage.class, delegatesTo(storage));
    when(hooked.metadata()).thenReturn(meta);
    Registry registry = Registry.create(hooked, RegistryOptions.defaults(), clock);
    Fixture pusher = new Fixture(hooked, RegistryOptions.defaults(), clock);
    when(meta.blobLinkedAt(REPO, layer.digest()))
        .thenAnswer(
            call -> {
              // Runs inside the sweep, right before its re-check: a concurrent push by another
              // engine over the same storage (as a second process would) reusing the layer.
              pusher.push(REPO, "late", MediaType.OCI_MANIFEST, image(config, layer));
              return storage.metadata().blobLinkedAt(REPO, layer.digest());
            });

    GarbageCollector.of(registry).collect(OPTIONS);

    assertThat(stored(layer)).isTrue();
    assertThat(pusher.read(REPO, layer.digest()))
        .isEqualTo(Fixture.bytes("old, about to be reused"));
  }

  @Test
  void aSecondRunWhileOneIsInProgressIsRefused() throws Exception {
    MetadataStore meta = mock(MetadataStore.class, delegatesTo(storage.metadata()));
    Storage hooked = mock(Storage.class, delegatesTo(storage));
    when(hooked.metadata()).thenReturn(meta);
    Registry registry = Registry.create(hooked, RegistryOptions.defaults(), clock);
    GarbageCollector collector = GarbageCollector.of(registry);
    f.pushImage(REPO, "v1", "v1");
    Throwable[] inner = new Throwable[1];
    org.mockito.Mockito.doAnswer(
            call -> {
              Thread t =
                  new Thread(
                      () -> {
                        try {
                          collector.collect(OPTIONS);
                        } catch (Throwable e) {
                          inner[0] = e;
                        }
                      });
              t.start();
              t.join();
              return storage.metadata().listRepositories(call.getArgument(0), call.getArgument(1));
            })
        .when(meta)
        .listRepositories(any(), org.mockito.ArgumentMatchers.anyInt());

    collector.collect(OPTIONS);

    assertThat(inner[0])
        .isInstanceOf(GarbageCollectionException.class)
        .extracting(e -> ((GarbageCollectionException) e).reason())
        .isEqualTo(GarbageCollectionException.Reason.ALREADY_RUNNING);
  }

  @Test
  void reportSerializesToJson() {
    GcReport report = gc.collect(OPTIONS);

    assertThat(report.toJson())
        .startsWith("{\"startedAt\":\"2025-01-01T00:00:00Z\"")
        .contains("\"swept\":{\"manifests\":0", "\"bytesFreed\":0", "\"items\":[]");
    assertThat(report.summary()).startsWith("garbage collection: marked 0 manifests");
    assertThat(report.swept()).isEmpty();
  }
}
