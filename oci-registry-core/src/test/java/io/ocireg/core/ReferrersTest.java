package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.image;
import static io.ocireg.core.Fixture.index;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferrersTest {
  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  private static final MediaType SBOM = MediaType.of("application/vnd.example.sbom.v1");
  private static final MediaType SIGNATURE = MediaType.of("application/vnd.example.signature.v1");

  private Descriptor subject;

  private Descriptor subject() {
    if (subject == null) {
      subject = f.pushImage(REPO, "latest", "the subject");
    }
    return subject;
  }

  private Descriptor emptyConfig(MediaType type) {
    return f.blob(REPO, type, bytes("{}"));
  }

  /** Pushes an artifact manifest referring to the subject, by digest. */
  private Descriptor pushArtifact(MediaType artifactType, String note) {
    Fixture.Json json =
        image(emptyConfig(MediaType.OCI_EMPTY))
            .artifactType(artifactType.value())
            .subject(subject())
            .annotations(Map.of("note", note));
    return f.pushByDigest(REPO, MediaType.OCI_MANIFEST, json);
  }

  private ReferrersPage all() {
    return registry.referrers(
        REPO, subject().digest(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void aManifestWithASubjectBecomesAReferrer() {
    Fixture.Json json =
        image(emptyConfig(MediaType.OCI_EMPTY))
            .artifactType(SBOM.value())
            .subject(subject())
            .annotations(Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z"));
    byte[] body = json.bytes();

    PushedManifest pushed =
        registry.putManifest(REPO, Digest.sha256(body), MediaType.OCI_MANIFEST, body);

    assertThat(pushed.subject()).contains(subject().digest());
    ReferrersPage page = all();
    assertThat(page.filtered()).isFalse();
    assertThat(page.hasMore()).isFalse();
    assertThat(page.index().mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(page.index().manifests()).hasSize(1);
    Descriptor d = page.index().manifests().get(0);
    assertThat(d.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(d.digest()).isEqualTo(Digest.sha256(body));
    assertThat(d.size()).isEqualTo(body.length);
    assertThat(d.artifactType()).contains(SBOM);
    assertThat(d.annotations())
        .containsExactly(Map.entry("org.opencontainers.image.created", "2024-01-01T00:00:00Z"));
  }

  @Test
  void anImageManifestWithoutArtifactTypeIsListedWithItsConfigMediaType() {
    MediaType configType = MediaType.of("application/vnd.example.config.v1+json");
    f.pushByDigest(REPO, MediaType.OCI_MANIFEST, image(emptyConfig(configType)).subject(subject()));

    assertThat(all().index().manifests().get(0).artifactType()).contains(configType);
  }

  @Test
  void anIndexWithASubjectIsListedWithItsArtifactTypeOrWithoutOne() {
    Descriptor child = f.pushImage(REPO, "child", "child layer");
    Descriptor typed =
        f.pushByDigest(
            REPO,
            MediaType.OCI_INDEX,
            index(child).artifactType(SIGNATURE.value()).subject(subject()));
    Descriptor untyped =
        f.pushByDigest(
            REPO,
            MediaType.OCI_INDEX,
            index(child).subject(subject()).annotations(Map.of("k", "v")));

    List<Descriptor> listed = all().index().manifests();

    assertThat(listed).hasSize(2);
    Descriptor a = listed.stream().filter(d -> d.digest().equals(typed.digest())).findFirst().get();
    Descriptor b =
        listed.stream().filter(d -> d.digest().equals(untyped.digest())).findFirst().get();
    assertThat(a.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(a.artifactType()).contains(SIGNATURE);
    assertThat(b.artifactType()).isEmpty();
    assertThat(b.annotations()).containsExactly(Map.entry("k", "v"));
  }

  @Test
  void rePushingAReferrerIsIdempotent() {
    Fixture.Json json =
        image(emptyConfig(MediaType.OCI_EMPTY)).artifactType(SBOM.value()).subject(subject());

    f.pushByDigest(REPO, MediaType.OCI_MANIFEST, json);
    f.pushByDigest(REPO, MediaType.OCI_MANIFEST, json);
    f.push(REPO, "sbom", MediaType.OCI_MANIFEST, json);

    assertThat(all().index().manifests()).hasSize(1);
  }

  @Test
  void deletingTheReferrerByDigestRemovesItsEntry() {
    Descriptor sbom = pushArtifact(SBOM, "1");
    Descriptor sig = pushArtifact(SIGNATURE, "2");

    registry.deleteManifest(REPO, sbom.digest());

    assertThat(all().index().manifests())
        .extracting(Descriptor::digest)
        .containsExactly(sig.digest());
  }

  @Test
  void deletingOnlyATagOfTheReferrerKeepsItsEntry() {
    Fixture.Json json =
        image(emptyConfig(MediaType.OCI_EMPTY)).artifactType(SBOM.value()).subject(subject());
    f.push(REPO, "sbom", MediaType.OCI_MANIFEST, json);

    registry.deleteManifest(REPO, Tag.parse("sbom"));

    assertThat(all().index().manifests()).hasSize(1);
  }

  @Test
  void referrersOutliveTheirSubject() {
    pushArtifact(SBOM, "1");

    registry.deleteManifest(REPO, subject().digest());

    assertThat(all().index().manifests()).hasSize(1);
  }

  @Test
  void referrersAreScopedToTheirRepository() {
    pushArtifact(SBOM, "1");

    ReferrersPage other =
        registry.referrers(
            OTHER, subject().digest(), Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(other.index().manifests()).isEmpty();
  }

  @Test
  void anUnknownSubjectOrRepositoryHasNoReferrersRatherThanA404() {
    Digest unknown = Digest.sha256(bytes("unknown"));

    ReferrersPage page =
        registry.referrers(
            Fixture.REPO, unknown, Optional.empty(), Optional.empty(), Optional.empty());
    ReferrersPage noRepo =
        registry.referrers(
            io.ocireg.spec.RepositoryName.parse("never/pushed"),
            unknown,
            Optional.of(SBOM),
            Optional.empty(),
            Optional.empty());

    assertThat(page.index().manifests()).isEmpty();
    assertThat(page.hasMore()).isFalse();
    assertThat(noRepo.index().manifests()).isEmpty();
    assertThat(noRepo.filtered()).isTrue();
  }

  @Test
  void filtersByArtifactType() {
    Descriptor sbom1 = pushArtifact(SBOM, "1");
    pushArtifact(SIGNATURE, "2");
    Descriptor sbom2 = pushArtifact(SBOM, "3");

    ReferrersPage page =
        registry.referrers(
            REPO, subject().digest(), Optional.of(SBOM), Optional.empty(), Optional.empty());

    assertThat(page.filtered()).isTrue();
    assertThat(page.index().manifests())
        .extracting(Descriptor::digest)
        .containsExactlyInAnyOrder(sbom1.digest(), sbom2.digest());
    assertThat(
            registry
                .referrers(
                    REPO,
                    subject().digest(),
                    Optional.of(MediaType.of("application/vnd.none")),
                    Optional.empty(),
                    Optional.empty())
                .index()
                .manifests())
        .isEmpty();
  }

  @Test
  void theFilterComparesMediaTypesCaseInsensitively() {
    pushArtifact(SBOM, "1");

    ReferrersPage page =
        registry.referrers(
            REPO,
            subject().digest(),
            Optional.of(MediaType.of("Application/VND.Example.SBOM.v1")),
            Optional.empty(),
            Optional.empty());

    assertThat(page.index().manifests()).hasSize(1);
  }

  @Test
  void pagesThroughReferrersOrderedByDigest() {
    for (int i = 0; i < 5; i++) {
      pushArtifact(SBOM, "n" + i);
    }
    List<Digest> sorted = all().index().manifests().stream().map(Descriptor::digest).toList();
    assertThat(sorted).hasSize(5);
    assertThat(sorted.stream().map(Digest::toString).sorted().toList())
        .isEqualTo(sorted.stream().map(Digest::toString).toList());

    ReferrersPage first =
        registry.referrers(
            REPO, subject().digest(), Optional.empty(), Optional.of(2), Optional.empty());
    ReferrersPage second =
        registry.referrers(
            REPO, subject().digest(), Optional.empty(), Optional.of(2), Optional.of(sorted.get(1)));
    ReferrersPage third =
        registry.referrers(
            REPO, subject().digest(), Optional.empty(), Optional.of(3), Optional.of(sorted.get(3)));

    assertThat(first.index().manifests())
        .extracting(Descriptor::digest)
        .isEqualTo(sorted.subList(0, 2));
    assertThat(first.hasMore()).isTrue();
    assertThat(second.index().manifests())
        .extracting(Descriptor::digest)
        .isEqualTo(sorted.subList(2, 4));
    assertThat(second.hasMore()).isTrue();
    assertThat(third.index().manifests())
        .extracting(Descriptor::digest)
        .containsExactly(sorted.get(4));
    assertThat(third.hasMore()).isFalse();
  }

  @Test
  void aPageEndingOnTheLastMatchHasNoMore() {
    Descriptor a = pushArtifact(SBOM, "a");
    Descriptor b = pushArtifact(SBOM, "b");
    pushArtifact(SIGNATURE, "c");
    pushArtifact(SIGNATURE, "d");

    ReferrersPage page =
        registry.referrers(
            REPO, subject().digest(), Optional.of(SBOM), Optional.of(2), Optional.empty());

    assertThat(page.index().manifests())
        .extracting(Descriptor::digest)
        .containsExactlyInAnyOrder(a.digest(), b.digest());
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void nZeroIsAnEmptyPageWithoutMore() {
    pushArtifact(SBOM, "1");

    ReferrersPage page =
        registry.referrers(
            REPO, subject().digest(), Optional.empty(), Optional.of(0), Optional.empty());

    assertThat(page.index().manifests()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void nIsClampedToTheMaximumPageSize() {
    Fixture small = new Fixture(Fixture.pages(2, 2));
    Descriptor s = small.pushImage(REPO, "latest", "subject");
    Descriptor config = small.blob(REPO, MediaType.OCI_EMPTY, bytes("{}"));
    for (int i = 0; i < 3; i++) {
      small.pushByDigest(
          REPO,
          MediaType.OCI_MANIFEST,
          image(config).subject(s).annotations(Map.of("i", String.valueOf(i))));
    }

    ReferrersPage page =
        small.registry.referrers(
            REPO, s.digest(), Optional.empty(), Optional.of(50), Optional.empty());
    ReferrersPage noN =
        small.registry.referrers(
            REPO, s.digest(), Optional.empty(), Optional.empty(), Optional.empty());

    assertThat(page.index().manifests()).hasSize(2);
    assertThat(page.hasMore()).isTrue();
    assertThat(noN.index().manifests()).hasSize(2);
    assertThat(noN.hasMore()).isTrue();
  }

  @Test
  void aNegativeNIsRefused() {
    assertError(
        () ->
            registry.referrers(
                REPO, subject().digest(), Optional.empty(), Optional.of(-1), Optional.empty()),
        ErrorCode.UNSUPPORTED,
        400);
  }
}
