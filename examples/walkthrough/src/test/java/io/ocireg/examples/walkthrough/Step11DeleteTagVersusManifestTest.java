package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step11DeleteTagVersusManifestTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void deletingATagKeepsTheManifestAndDeletingTheManifestTakesItsTags() throws Exception {
    Step11DeleteTagVersusManifest.Result result =
        Step11DeleteTagVersusManifest.run(registry.registry().baseUri());

    assertThat(result.deleteTagStatus()).isEqualTo(202);
    assertThat(result.deletedTagStatus()).isEqualTo(404);
    assertThat(result.otherTagStatus()).isEqualTo(200);
    assertThat(result.byDigestStatus()).isEqualTo(200);
    assertThat(result.deleteManifestStatus()).isEqualTo(202);
    assertThat(result.goneByDigestStatus()).isEqualTo(404);
    assertThat(result.goneOtherTagStatus()).isEqualTo(404);
    assertThat(result.deleteBlobStatus()).isEqualTo(202);
    assertThat(result.goneBlobStatus()).isEqualTo(404);

    assertThat(registry.registry().tags("walkthrough/step11")).isEmpty();
    assertThat(registry.registry().manifest("walkthrough/step11", result.manifestDigest()))
        .isEmpty();
    assertThat(registry.registry().blobExists("walkthrough/step11", result.layerDigest()))
        .isFalse();
  }

  /** A registry may refuse deletes; it then answers 405, and nothing goes. */
  @Nested
  class WhenDeletesAreDisabled {
    @RegisterExtension
    OciRegistryExtension refusing = OciRegistryExtension.builder().deletes(false).build();

    @Test
    void everyDeleteIsRefusedWith405() throws Exception {
      Step11DeleteTagVersusManifest.Result result =
          Step11DeleteTagVersusManifest.run(refusing.registry().baseUri());

      assertThat(result.deleteManifestStatus()).isEqualTo(405);
      assertThat(result.goneByDigestStatus()).isEqualTo(200);
      assertThat(result.deleteBlobStatus()).isEqualTo(405);
      assertThat(result.goneBlobStatus()).isEqualTo(200);
    }
  }
}
