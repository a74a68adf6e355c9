package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class ManifestProperties {

  @Provide
  Arbitrary<ImageManifest> imageManifests() {
    return SpecArbitraries.imageManifests();
  }

  @Provide
  Arbitrary<ImageIndex> imageIndexes() {
    return SpecArbitraries.imageIndexes();
  }

  @Property(tries = 300)
  void imageManifestSurvivesJsonRoundTrip(@ForAll("imageManifests") ImageManifest m) {
    byte[] json = m.toJson();
    assertThat(Manifest.parse(json, m.mediaType())).isEqualTo(m);
    // Without a Content-Type the mediaType field decides.
    assertThat(Manifest.parse(json, null)).isEqualTo(m);
    Statistics.label("layers").collect(m.layers().size());
  }

  @Property(tries = 300)
  void imageIndexSurvivesJsonRoundTrip(@ForAll("imageIndexes") ImageIndex index) {
    byte[] json = index.toJson();
    assertThat(Manifest.parse(json, index.mediaType())).isEqualTo(index);
    assertThat(Manifest.parse(json, null)).isEqualTo(index);
    Statistics.label("manifests").collect(index.manifests().size());
  }

  @Property(tries = 200)
  void parsingIsStableUnderReserialisation(@ForAll("imageManifests") ImageManifest m) {
    byte[] once = m.toJson();
    byte[] twice = Manifest.parse(once, m.mediaType()).toJson();
    assertThat(new String(twice, StandardCharsets.UTF_8))
        .isEqualTo(new String(once, StandardCharsets.UTF_8));
  }

  /** The Content-Type of the other kind never reads a document as that kind. */
  @Property(tries = 200)
  void contentTypeOfTheOtherKindIsRejected(
      @ForAll("imageManifests") ImageManifest m, @ForAll("imageIndexes") ImageIndex index) {
    assertInvalid(() -> Manifest.parse(m.toJson(), index.mediaType()));
    assertInvalid(() -> Manifest.parse(index.toJson(), m.mediaType()));
  }

  @Property(tries = 200)
  void referencesAreConfigThenLayersOrTheChildren(
      @ForAll("imageManifests") ImageManifest m, @ForAll("imageIndexes") ImageIndex index) {
    assertThat(m.references()).first().isEqualTo(m.config());
    assertThat(m.references().subList(1, m.references().size())).isEqualTo(m.layers());
    assertThat(index.references()).isEqualTo(index.manifests());
    assertThat(m.effectiveArtifactType())
        .isEqualTo(m.artifactType().or(() -> java.util.Optional.of(m.config().mediaType())));
    assertThat(index.effectiveArtifactType()).isEqualTo(index.artifactType());
  }

  private static void assertInvalid(Runnable r) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
  }
}
