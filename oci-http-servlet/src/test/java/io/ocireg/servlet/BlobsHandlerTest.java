package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class BlobsHandlerTest extends HttpTestBase {
  private static final byte[] CONTENT = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

  private String blobPath(Digest digest) {
    return "/v2/lib/app/blobs/" + digest;
  }

  @Test
  void servesBlobWithDigestLengthTypeAndRangeHeaders() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(CONTENT);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(d.toString());
    assertThat(header(r, "Content-Length")).isEqualTo("20");
    assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");
    assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(header(r, "ETag")).isEqualTo("\"" + d + "\"");
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void blobsAreNeverSniffedOrRunAsAPage() {
    Digest d =
        server.pushBlob("lib/app", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
    for (HttpResponse<byte[]> r :
        java.util.List.of(server.get(blobPath(d)), server.head(blobPath(d)))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(header(r, "Content-Security-Policy")).isEqualTo("default-src 'none'; sandbox");
      assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");
    }
    HttpResponse<byte[]> missing = server.get(blobPath(Digest.sha256(new byte[] {1})));
    assertError(missing, 404, "BLOB_UNKNOWN");
    assertThat(header(missing, "X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void answersHeadWithTheSameHeadersAndNoBody() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.head(blobPath(d));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(d.toString());
    assertThat(header(r, "Content-Length")).isEqualTo("20");
    assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");
    assertThat(header(r, "ETag")).isEqualTo("\"" + d + "\"");
  }

  @Test
  void streamsABlobLargerThanTheCopyBuffer() {
    byte[] big = new byte[3 * BlobsHandler.BUFFER_SIZE + 17];
    new Random(42).nextBytes(big);
    Digest d = server.pushBlob("lib/app", big);
    HttpResponse<byte[]> r = server.get(blobPath(d));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Digest.sha256(r.body())).isEqualTo(d);
  }

  @Test
  void servesFirstToLastRangeWith206() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=2-5");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("2345");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 2-5/20");
    assertThat(header(r, "Content-Length")).isEqualTo("4");
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(d.toString());
  }

  @Test
  void servesOpenEndedRange() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=15-");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("fghij");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 15-19/20");
  }

  @Test
  void servesSuffixRange() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=-3");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("hij");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 17-19/20");
  }

  @Test
  void clipsRangeThatRunsPastTheEnd() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=18-1000");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("ij");
    assertThat(header(r, "Content-Range")).isEqualTo("bytes 18-19/20");
  }

  @Test
  void answersUnsatisfiableRangeWith416AndTheSize() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=20-30");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(header(r, "Content-Range")).isEqualTo("bytes */20");
    assertThat(header(r, "Docker-Content-Digest")).isNull();
    // The spec has no code for it; SIZE_INVALID, since the blob is there (not BLOB_UNKNOWN).
    assertErrorBody(header(r, "Content-Type"), text(r), "SIZE_INVALID");
  }

  @Test
  void answersAnyRangeOfTheEmptyBlobWith416() {
    Digest d = server.pushBlob("lib/app", new byte[0]);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=0-");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(header(r, "Content-Range")).isEqualTo("bytes */0");
    assertThat(server.get(blobPath(d)).statusCode()).isEqualTo(200);
  }

  @Test
  void servesWholeBlobForRangeFormsItDoesNotServe() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.get(blobPath(d), "Range", "bytes=0-1,4-5");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(CONTENT);
  }

  @Test
  void ignoresRangeOnHead() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.head(blobPath(d), "Range", "bytes=2-5");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Length")).isEqualTo("20");
  }

  @Test
  void answersUnknownBlobWith404BlobUnknown() {
    Digest d = Digest.sha256("never pushed".getBytes(StandardCharsets.UTF_8));
    assertError(server.get(blobPath(d)), 404, "BLOB_UNKNOWN");
    assertHeadError(server.head(blobPath(d)), 404);
  }

  @Test
  void doesNotServeABlobOfAnotherRepository() {
    Digest d = server.pushBlob("other", CONTENT);
    assertError(server.get(blobPath(d)), 404, "BLOB_UNKNOWN");
  }

  @Test
  void rejectsInvalidDigestWith400DigestInvalid() {
    assertError(server.get("/v2/lib/app/blobs/sha256:abc"), 400, "DIGEST_INVALID");
    assertError(server.get("/v2/lib/app/blobs/nodigest"), 400, "DIGEST_INVALID");
    assertError(server.delete("/v2/lib/app/blobs/sha256:XYZ"), 400, "DIGEST_INVALID");
  }

  @Test
  void deletesBlobWith202AndForgetsIt() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.delete(blobPath(d));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).isEmpty();
    assertError(server.get(blobPath(d)), 404, "BLOB_UNKNOWN");
    assertError(server.delete(blobPath(d)), 404, "BLOB_UNKNOWN");
  }

  @Test
  void deletingFromOneRepositoryLeavesOthersIntact() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    server.pushBlob("other", CONTENT);
    assertThat(server.delete(blobPath(d)).statusCode()).isEqualTo(202);
    HttpResponse<byte[]> r = server.get("/v2/other/blobs/" + d);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Arrays.equals(r.body(), CONTENT)).isTrue();
  }

  @Test
  void refusesPutOnABlobWith405() {
    Digest d = server.pushBlob("lib/app", CONTENT);
    HttpResponse<byte[]> r = server.send("PUT", blobPath(d), CONTENT);
    assertError(r, 405, "UNSUPPORTED");
    assertThat(header(r, "Allow")).isEqualTo("GET, HEAD, DELETE, OPTIONS");
  }
}
