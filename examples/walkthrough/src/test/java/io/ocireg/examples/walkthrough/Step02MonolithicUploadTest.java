package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step02MonolithicUploadTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void pushesByPostThenPutAndBySinglePostThenPullsTheSameBytes() throws Exception {
    Step02MonolithicUpload.Result result =
        Step02MonolithicUpload.run(registry.registry().baseUri());

    assertThat(result.sessionStatus()).isEqualTo(202);
    assertThat(result.putStatus()).isEqualTo(201);
    assertThat(result.putDigest()).contains(result.firstDigest());
    assertThat(result.singlePostStatus()).isEqualTo(201);
    assertThat(result.blobLocation().getPath())
        .isEqualTo("/v2/walkthrough/step02/blobs/" + result.singlePostDigest());
    assertThat(result.headStatus()).isEqualTo(200);
    assertThat(result.headLength()).isEqualTo("a blob pushed by a single POST\n".length());
    assertThat(result.getStatus()).isEqualTo(200);
    assertThat(result.pulledDigest()).isEqualTo(result.singlePostDigest());
    // Both blobs are in the repository, as the engine sees it (not through the HTTP under test).
    assertThat(registry.registry().blobExists("walkthrough/step02", result.firstDigest())).isTrue();
    assertThat(registry.registry().blobExists("walkthrough/step02", result.singlePostDigest()))
        .isTrue();
  }

  /** A registry that does not take a blob in one request answers 202 and expects a PUT. */
  @Nested
  class WhenSinglePostIsRefused {
    @RegisterExtension
    OciRegistryExtension refusing = OciRegistryExtension.builder().singlePostUpload(false).build();

    @Test
    void fallsBackToPut() throws Exception {
      Step02MonolithicUpload.Result result =
          Step02MonolithicUpload.run(refusing.registry().baseUri());

      assertThat(result.singlePostStatus()).isEqualTo(202);
      assertThat(result.blobLocation().getPath())
          .isEqualTo("/v2/walkthrough/step02/blobs/" + result.singlePostDigest());
      assertThat(result.pulledDigest()).isEqualTo(result.singlePostDigest());
    }
  }
}
