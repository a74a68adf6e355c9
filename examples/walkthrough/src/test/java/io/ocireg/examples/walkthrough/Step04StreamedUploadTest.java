package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import io.ocireg.server.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step04StreamedUploadTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void streamsABlobOfUnknownLengthAndClosesWithTheDigestComputedOnTheWay() throws Exception {
    Step04StreamedUpload.Result result = Step04StreamedUpload.run(registry.registry().baseUri());

    assertThat(result.sessionStatus()).isEqualTo(202);
    assertThat(result.patchStatus()).isEqualTo(202);
    assertThat(result.patchRange()).contains("0-" + (Step04StreamedUpload.SIZE - 1));
    assertThat(result.closeStatus()).isEqualTo(201);
    assertThat(result.closeDigest()).contains(result.digest());
    assertThat(result.pulledSize()).isEqualTo(Step04StreamedUpload.SIZE);
    assertThat(result.pulledDigest()).isEqualTo(result.digest());
    assertThat(registry.registry().blobExists("walkthrough/step04", result.digest())).isTrue();
  }

  @Test
  void sendsTheBytesInOnePatchWithoutContentRangeOrContentLength() throws Exception {
    Step04StreamedUpload.Result result = Step04StreamedUpload.run(registry.registry().baseUri());

    RecordedRequest patch =
        registry.registry().journal().requests("PATCH", "/v2/walkthrough/step04/.*").get(0);
    assertThat(patch.header("Content-Range")).isEmpty();
    // No length up front: the body went with chunked transfer encoding.
    assertThat(patch.header("Content-Length")).isEmpty();
    assertThat(patch.requestBytes()).isEqualTo(Step04StreamedUpload.SIZE);
    assertThat(registry.registry().journal().upload(result.digest()))
        .hasValueSatisfying(
            u -> assertThat(u.chunkSizes()).containsExactly(Step04StreamedUpload.SIZE));
  }

  @Test
  void generatedStreamYieldsExactlyTheRequestedBytes() throws Exception {
    try (var in = new Step04StreamedUpload.GeneratedStream(100_001)) {
      assertThat(in.readAllBytes()).hasSize(100_001);
    }
  }
}
