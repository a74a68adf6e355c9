package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step05PushManifestTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void pushesTheImageByTagAndAnswersWithItsDigestAndLocation() throws Exception {
    Step05PushManifest.Result result = Step05PushManifest.run(registry.registry().baseUri());

    assertThat(result.manifestStatus()).isEqualTo(201);
    assertThat(result.contentDigest()).contains(result.manifestDigest());
    assertThat(result.location().getPath())
        .isEqualTo("/v2/walkthrough/step05/manifests/" + result.manifestDigest());
    assertThat(result.tagStatus()).isEqualTo(200);
    assertThat(result.tagDigest()).contains(result.manifestDigest());

    // What the registry stored, read from the engine: the bytes as pushed, naming both blobs.
    var stored = registry.registry().manifest("walkthrough/step05", "v1").orElseThrow();
    assertThat(stored.digest()).isEqualTo(result.manifestDigest());
    assertThat(Digests.sha256(stored.content())).isEqualTo(result.manifestDigest());
    assertThat(stored.mediaType()).isEqualTo(MediaTypes.IMAGE_MANIFEST);
    assertThat(stored.json()).contains(result.configDigest(), result.layerDigest());
    assertThat(registry.registry().blobExists("walkthrough/step05", result.configDigest()))
        .isTrue();
    assertThat(registry.registry().blobExists("walkthrough/step05", result.layerDigest())).isTrue();
    assertThat(registry.registry().tags("walkthrough/step05")).containsExactly("v1");
  }
}
