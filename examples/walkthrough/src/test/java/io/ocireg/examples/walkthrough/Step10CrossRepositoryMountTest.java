package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step10CrossRepositoryMountTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void mountsABlobTheSourceHoldsAndUploadsIntoTheSessionWhenItDoesNot() throws Exception {
    Step10CrossRepositoryMount.Result result =
        Step10CrossRepositoryMount.run(registry.registry().baseUri());

    assertThat(result.mountStatus()).isEqualTo(201);
    assertThat(result.mountLocation().getPath())
        .isEqualTo("/v2/walkthrough/step10-app/blobs/" + result.sharedDigest());
    assertThat(result.mountDigest()).contains(result.sharedDigest());
    assertThat(result.mountedHeadStatus()).isEqualTo(200);
    assertThat(registry.registry().journal().wasMounted(result.sharedDigest())).isTrue();

    assertThat(result.fallbackStatus()).isEqualTo(202);
    assertThat(result.fallbackLocation().getPath())
        .startsWith("/v2/walkthrough/step10-app/blobs/uploads/");
    assertThat(result.fallbackPutStatus()).isEqualTo(201);
    assertThat(result.fallbackHeadStatus()).isEqualTo(200);
    assertThat(registry.registry().journal().wasMounted(result.missingDigest())).isFalse();
    assertThat(registry.registry().blobExists("walkthrough/step10-base", result.missingDigest()))
        .isFalse();
  }
}
