package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step06PullByTagAndDigestTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void pullsByTagAndByDigestAndEveryDigestChecksOut() throws Exception {
    Step06PullByTagAndDigest.Result result =
        Step06PullByTagAndDigest.run(registry.registry().baseUri());

    String digest =
        registry.registry().manifest("walkthrough/step06", "1.0").orElseThrow().digest();
    assertThat(result.headStatus()).isEqualTo(200);
    assertThat(result.headDigest()).contains(digest);
    assertThat(result.headLength())
        .isEqualTo(
            registry
                .registry()
                .manifest("walkthrough/step06", digest)
                .orElseThrow()
                .content()
                .length);
    assertThat(result.headBodyLength()).isZero();

    assertThat(result.tagStatus()).isEqualTo(200);
    assertThat(result.tagContentType()).contains(MediaTypes.IMAGE_MANIFEST);
    assertThat(result.tagDigestHeader()).contains(digest);
    assertThat(result.tagBodyDigest()).isEqualTo(digest);

    assertThat(result.requestedDigest()).isEqualTo(digest);
    assertThat(result.digestStatus()).isEqualTo(200);
    assertThat(result.digestBodyDigest()).isEqualTo(digest);

    assertThat(result.indexContentType()).contains(MediaTypes.IMAGE_INDEX);
    assertThat(result.platformDigest()).isEqualTo(digest);

    assertThat(result.layerStatus()).isEqualTo(200);
    assertThat(result.pulledLayerDigest()).isEqualTo(result.layerDigest());
    assertThat(registry.registry().blobExists("walkthrough/step06", result.layerDigest())).isTrue();
    assertThat(result.rangeStatus()).isEqualTo(206);
    assertThat(result.rangeLength()).isEqualTo(10);
  }

  @Test
  void tellsTheRegistryWhichManifestFormatsItAccepts() throws Exception {
    Step06PullByTagAndDigest.run(registry.registry().baseUri());

    assertThat(registry.registry().journal().requests("GET", "/v2/walkthrough/step06/manifests/.*"))
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r.header("Accept"))
                    .hasValueSatisfying(
                        a ->
                            assertThat(a)
                                .contains(MediaTypes.IMAGE_MANIFEST, MediaTypes.IMAGE_INDEX)));
  }
}
