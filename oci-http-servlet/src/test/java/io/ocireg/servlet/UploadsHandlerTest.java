package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.RegistryOptions;
import io.ocireg.spec.Digest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class UploadsHandlerTest extends HttpTestBase {
  private static final byte[] BLOB = "hello, registry blob".getBytes(StandardCharsets.US_ASCII);
  private static final Digest DIGEST = Digest.sha256(BLOB);

  private HttpResponse<byte[]> startSession(String repository) {
    HttpResponse<byte[]> r = server.send("POST", "/v2/" + repository + "/blobs/uploads/", null);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
    return r;
  }

  private static String location(HttpResponse<byte[]> r) {
    return header(r, "Location");
  }

  /** Sends to a {@code Location} exactly as the server gave it, plus a query. */
  private HttpResponse<byte[]> atLocation(
      String method, String location, String query, byte[] body, String... headers) {
    URI uri =
        server.resolve(
            location + (query == null ? "" : (location.contains("?") ? "&" : "?") + query));
    HttpRequest.BodyPublisher p =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return server.send(method, uri, p, headers);
  }

  private byte[] slice(int from, int to) {
    return Arrays.copyOfRange(BLOB, from, to);
  }

  private void assertBlobServed(String repository, Digest digest, byte[] content) {
    HttpResponse<byte[]> r = server.get("/v2/" + repository + "/blobs/" + digest);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
  }

  // ---- POST ------------------------------------------------------------------------------

  @Test
  void opensSessionWithLocationRangeAndUploadUuid() {
    HttpResponse<byte[]> r = startSession("lib/app");
    String id = header(r, "Docker-Upload-UUID");
    assertThat(id).isNotBlank();
    assertThat(location(r)).isEqualTo("/v2/lib/app/blobs/uploads/" + id);
    assertThat(header(r, "Range")).isEqualTo("0-0");
    assertThat(header(r, "Content-Length")).isEqualTo("0");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void opensDistinctSessions() {
    String a = header(startSession("lib/app"), "Docker-Upload-UUID");
    String b = header(startSession("lib/app"), "Docker-Upload-UUID");
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void opensSessionWithoutTrailingSlash() {
    HttpResponse<byte[]> r = server.send("POST", "/v2/lib/app/blobs/uploads", null);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(location(r)).startsWith("/v2/lib/app/blobs/uploads/");
  }

  @Test
  void pushesBlobInSinglePost() {
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + DIGEST, BLOB);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(location(r)).isEqualTo("/v2/lib/app/blobs/" + DIGEST);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(DIGEST.toString());
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void pushesChunkedBodyInSinglePost() {
    HttpResponse<byte[]> r =
        server.sendChunked("POST", "/v2/lib/app/blobs/uploads/?digest=" + DIGEST, BLOB);
    assertThat(r.statusCode()).isEqualTo(201);
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void refusesSinglePostWithWrongDigest() {
    Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + wrong, BLOB);
    assertError(r, 400, "DIGEST_INVALID");
    assertError(server.get("/v2/lib/app/blobs/" + wrong), 404, "BLOB_UNKNOWN");
  }

  @Test
  void refusesSinglePostWithMalformedDigest() {
    assertError(
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=sha256:nothex", BLOB),
        400,
        "DIGEST_INVALID");
  }

  @Test
  void refusesUploadToInvalidRepositoryName() {
    assertError(server.send("POST", "/v2/Lib/App/blobs/uploads/", null), 400, "NAME_INVALID");
  }

  @Test
  void pushesTheEmptyBlobBothWays() {
    Digest empty = Digest.sha256(new byte[0]);
    HttpResponse<byte[]> single =
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + empty, new byte[0]);
    assertThat(single.statusCode()).as(text(single)).isEqualTo(201);
    String loc = location(startSession("lib/other"));
    HttpResponse<byte[]> closed = atLocation("PUT", loc, "digest=" + empty, null);
    assertThat(closed.statusCode()).as(text(closed)).isEqualTo(201);
    for (String repository : new String[] {"lib/app", "lib/other"}) {
      HttpResponse<byte[]> r = server.get("/v2/" + repository + "/blobs/" + empty);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertThat(header(r, "Content-Length")).isEqualTo("0");
    }
  }

  @Test
  void pushesBlobUnderSha512() {
    Digest sha512 = Digest.of(Digest.SHA512, BLOB);
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + sha512, BLOB);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(sha512.toString());
    assertBlobServed("lib/app", sha512, BLOB);
  }

  @Test
  void refusesDigestOfAnUnsupportedAlgorithm() {
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=md5:0123abcd", BLOB);
    assertError(r, 400, "DIGEST_INVALID");
  }

  // ---- POST then PUT -----------------------------------------------------------------------

  @Test
  void pushesBlobMonolithicallyWithPostThenPut() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> r =
        atLocation(
            "PUT", loc, "digest=" + DIGEST, BLOB, "Content-Type", "application/octet-stream");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(location(r)).isEqualTo("/v2/lib/app/blobs/" + DIGEST);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(DIGEST.toString());
    assertThat(header(r, "Content-Length")).isEqualTo("0");
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void endsSessionOnceClosed() {
    String loc = location(startSession("lib/app"));
    assertThat(atLocation("PUT", loc, "digest=" + DIGEST, BLOB).statusCode()).isEqualTo(201);
    assertError(atLocation("GET", loc, null, null), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void refusesPutWithWrongDigestAndStoresNothing() {
    Digest wrong = Digest.sha256("not the content".getBytes(StandardCharsets.UTF_8));
    String loc = location(startSession("lib/app"));
    assertError(atLocation("PUT", loc, "digest=" + wrong, BLOB), 400, "DIGEST_INVALID");
    assertError(server.get("/v2/lib/app/blobs/" + wrong), 404, "BLOB_UNKNOWN");
    assertError(server.get("/v2/lib/app/blobs/" + DIGEST), 404, "BLOB_UNKNOWN");
  }

  @Test
  void refusesPutWithoutDigestParameter() {
    String loc = location(startSession("lib/app"));
    assertError(atLocation("PUT", loc, null, BLOB), 400, "DIGEST_INVALID");
  }

  @Test
  void refusesPutWithMalformedDigestParameter() {
    String loc = location(startSession("lib/app"));
    assertError(atLocation("PUT", loc, "digest=sha256:1234", BLOB), 400, "DIGEST_INVALID");
  }

  // ---- chunks ------------------------------------------------------------------------------

  @Test
  void pushesBlobInOrderedChunks() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> first =
        atLocation(
            "PATCH",
            loc,
            null,
            slice(0, 8),
            "Content-Range",
            "0-7",
            "Content-Type",
            "application/octet-stream");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(header(first, "Range")).isEqualTo("0-7");
    assertThat(header(first, "Docker-Upload-UUID")).isNotBlank();
    assertThat(header(first, "Content-Length")).isEqualTo("0");
    HttpResponse<byte[]> second =
        atLocation("PATCH", location(first), null, slice(8, 15), "Content-Range", "8-14");
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(header(second, "Range")).isEqualTo("0-14");
    HttpResponse<byte[]> done =
        atLocation(
            "PUT",
            location(second),
            "digest=" + DIGEST,
            slice(15, BLOB.length),
            "Content-Range",
            "15-" + (BLOB.length - 1));
    assertThat(done.statusCode()).as(text(done)).isEqualTo(201);
    assertThat(location(done)).isEqualTo("/v2/lib/app/blobs/" + DIGEST);
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void closesChunkedUploadWithEmptyPut() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> r =
        atLocation("PATCH", loc, null, BLOB, "Content-Range", "0-" + (BLOB.length - 1));
    assertThat(r.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> done = atLocation("PUT", location(r), "digest=" + DIGEST, null);
    assertThat(done.statusCode()).isEqualTo(201);
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void refusesOutOfOrderChunkWith416() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> r = atLocation("PATCH", loc, null, slice(5, 10), "Content-Range", "5-9");
    assertThat(r.statusCode()).isEqualTo(416);
    assertErrorBody(header(r, "Content-Type"), text(r), "BLOB_UPLOAD_INVALID");
    HttpResponse<byte[]> status = atLocation("GET", loc, null, null);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-0");
  }

  @Test
  void refusesRepeatedChunkWith416AndKeepsTheSession() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> first =
        atLocation("PATCH", loc, null, slice(0, 8), "Content-Range", "0-7");
    assertThat(first.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> again =
        atLocation("PATCH", location(first), null, slice(0, 8), "Content-Range", "0-7");
    assertThat(again.statusCode()).isEqualTo(416);
    HttpResponse<byte[]> status = atLocation("GET", location(first), null, null);
    assertThat(header(status, "Range")).isEqualTo("0-7");
    HttpResponse<byte[]> rest =
        atLocation(
            "PUT",
            location(first),
            "digest=" + DIGEST,
            slice(8, BLOB.length),
            "Content-Range",
            "8-" + (BLOB.length - 1));
    assertThat(rest.statusCode()).isEqualTo(201);
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void refusesChunkWhoseLengthContradictsItsRange() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> r = atLocation("PATCH", loc, null, slice(0, 8), "Content-Range", "0-3");
    assertError(r, 400, "SIZE_INVALID");
    assertThat(atLocation("GET", loc, null, null).headers().firstValue("Range")).hasValue("0-0");
  }

  @Test
  void refusesBodyWithBrokenChunkFramingAndKeepsTheSession() {
    String loc = location(startSession("lib/app"));
    RegistryServer.RawResponse r =
        server.rawWithBody(
            "PATCH", loc, "5\r\nhello\r\nzz\r\nxx\r\n0\r\n\r\n", "Transfer-Encoding: chunked");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.head()).containsIgnoringCase("Content-Type: application/json");
    assertErrorBody("application/json", r.body(), "BLOB_UPLOAD_INVALID");
    HttpResponse<byte[]> status = atLocation("GET", loc, null, null);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-0");
  }

  @Test
  void pushesBlobWithStreamedPatch() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> r =
        server.send(
            "PATCH",
            server.resolve(loc),
            HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(BLOB)),
            "Content-Type",
            "application/octet-stream");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(header(r, "Range")).isEqualTo("0-" + (BLOB.length - 1));
    assertThat(atLocation("PUT", location(r), "digest=" + DIGEST, null).statusCode())
        .isEqualTo(201);
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  @Test
  void appendsSeveralStreamedPatches() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> a = atLocation("PATCH", loc, null, slice(0, 4));
    assertThat(header(a, "Range")).isEqualTo("0-3");
    HttpResponse<byte[]> b = atLocation("PATCH", location(a), null, slice(4, BLOB.length));
    assertThat(header(b, "Range")).isEqualTo("0-" + (BLOB.length - 1));
    assertThat(atLocation("PUT", location(b), "digest=" + DIGEST, null).statusCode())
        .isEqualTo(201);
    assertBlobServed("lib/app", DIGEST, BLOB);
  }

  // ---- status and cancel ---------------------------------------------------------------------

  @Test
  void reportsSessionStatusWith204RangeAndLocation() {
    HttpResponse<byte[]> started = startSession("lib/app");
    String loc = location(started);
    atLocation("PATCH", loc, null, slice(0, 6), "Content-Range", "0-5");
    HttpResponse<byte[]> r = atLocation("GET", loc, null, null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "Range")).isEqualTo("0-5");
    assertThat(location(r)).isEqualTo(loc);
    assertThat(header(r, "Docker-Upload-UUID")).isEqualTo(header(started, "Docker-Upload-UUID"));
    assertThat(r.body()).isEmpty();
  }

  @Test
  void cancelsSessionWith204ThenForgetsIt() {
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> r = atLocation("DELETE", loc, null, null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertError(atLocation("GET", loc, null, null), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("PATCH", loc, null, BLOB), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("DELETE", loc, null, null), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void answersUnknownSessionWith404() {
    String loc = "/v2/lib/app/blobs/uploads/no-such-session";
    assertError(atLocation("GET", loc, null, null), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("PATCH", loc, null, BLOB), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("PUT", loc, "digest=" + DIGEST, BLOB), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("DELETE", loc, null, null), 404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void refusesSessionOfAnotherRepository() {
    String id = header(startSession("lib/app"), "Docker-Upload-UUID");
    String foreign = "/v2/other/blobs/uploads/" + id;
    assertError(atLocation("PATCH", foreign, null, BLOB), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("PUT", foreign, "digest=" + DIGEST, BLOB), 404, "BLOB_UPLOAD_UNKNOWN");
    assertError(atLocation("GET", foreign, null, null), 404, "BLOB_UPLOAD_UNKNOWN");
    // The session is still usable where it was opened.
    HttpResponse<byte[]> own =
        atLocation("PUT", "/v2/lib/app/blobs/uploads/" + id, "digest=" + DIGEST, BLOB);
    assertThat(own.statusCode()).isEqualTo(201);
  }

  // ---- mount -------------------------------------------------------------------------------

  @Test
  void mountsBlobFromAnotherRepository() {
    server.pushBlob("source", BLOB);
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/target/blobs/uploads/?mount=" + DIGEST + "&from=source", null);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(location(r)).isEqualTo("/v2/target/blobs/" + DIGEST);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(DIGEST.toString());
    assertBlobServed("target", DIGEST, BLOB);
  }

  @Test
  void opensSessionWhenTheSourceLacksTheBlob() {
    server.pushBlob("elsewhere", BLOB);
    server.pushBlob("source", "other".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/target/blobs/uploads/?mount=" + DIGEST + "&from=source", null);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(location(r)).startsWith("/v2/target/blobs/uploads/");
    assertThat(header(r, "Range")).isEqualTo("0-0");
    assertError(server.get("/v2/target/blobs/" + DIGEST), 404, "BLOB_UNKNOWN");
  }

  @Test
  void mountsWithoutFromWhenTheRegistryHoldsTheBlob() {
    server.pushBlob("source", BLOB);
    HttpResponse<byte[]> r = server.send("POST", "/v2/target/blobs/uploads/?mount=" + DIGEST, null);
    assertThat(r.statusCode()).isEqualTo(201);
    assertBlobServed("target", DIGEST, BLOB);
  }

  @Test
  void opensSessionForMountWithoutFromWhenThatIsDisabled() {
    RegistryOptions d = RegistryOptions.defaults();
    RegistryOptions options =
        new RegistryOptions(
            d.maxManifestBytes(),
            d.maxPageSize(),
            d.defaultPageSize(),
            d.acceptDockerMediaTypes(),
            false);
    server.close();
    server = RegistryServer.start(backend.open(dir.resolve("strict")), options);
    server.pushBlob("source", BLOB);
    HttpResponse<byte[]> r = server.send("POST", "/v2/target/blobs/uploads/?mount=" + DIGEST, null);
    assertThat(r.statusCode()).isEqualTo(202);
    assertError(server.get("/v2/target/blobs/" + DIGEST), 404, "BLOB_UNKNOWN");
  }

  @Test
  void opensSessionForMountOfUnknownBlob() {
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/target/blobs/uploads/?mount=" + DIGEST + "&from=source", null);
    assertThat(r.statusCode()).isEqualTo(202);
  }

  @Test
  void refusesMountWithMalformedDigestAndIgnoresAMalformedSource() {
    assertError(
        server.send("POST", "/v2/target/blobs/uploads/?mount=nope&from=source", null),
        400,
        "DIGEST_INVALID");
    HttpResponse<byte[]> r =
        server.send("POST", "/v2/target/blobs/uploads/?mount=" + DIGEST + "&from=Bad..Name", null);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(header(r, "Location")).contains("/v2/target/blobs/uploads/");
  }

  // ---- limits ----------------------------------------------------------------------------

  private void restartWith(RegistryOptions options) {
    server.close();
    server = RegistryServer.start(backend.open(dir.resolve("limited")), options);
  }

  @Test
  void refusesASessionBeyondTheOpenLimitWith429() {
    restartWith(RegistryOptions.defaults().withMaxOpenUploads(1));
    String open = location(startSession("lib/app"));

    assertError(server.send("POST", "/v2/lib/app/blobs/uploads/", null), 429, "TOOMANYREQUESTS");
    assertError(
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + DIGEST, BLOB),
        429,
        "TOOMANYREQUESTS");

    assertThat(atLocation("DELETE", open, null, null).statusCode()).isEqualTo(204);
    startSession("lib/app");
  }

  @Test
  void refusesABlobOverTheSizeLimitWith413AndKeepsTheSession() {
    restartWith(RegistryOptions.defaults().withMaxBlobBytes(BLOB.length - 1));

    assertError(
        server.send("POST", "/v2/lib/app/blobs/uploads/?digest=" + DIGEST, BLOB),
        413,
        "SIZE_INVALID");
    String loc = location(startSession("lib/app"));
    assertThat(atLocation("PATCH", loc, null, slice(0, 5)).statusCode()).isEqualTo(202);
    assertError(atLocation("PATCH", loc, null, slice(5, BLOB.length)), 413, "SIZE_INVALID");
    assertError(
        atLocation(
            "PATCH", loc, null, slice(5, BLOB.length), "Content-Range", "5-" + (BLOB.length - 1)),
        413,
        "SIZE_INVALID");

    HttpResponse<byte[]> status = atLocation("GET", loc, null, null);
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(header(status, "Range")).isEqualTo("0-4");
  }

  // ---- methods ---------------------------------------------------------------------------

  @Test
  void refusesWrongMethodsWith405AndAllow() {
    HttpResponse<byte[]> r = server.get("/v2/lib/app/blobs/uploads/");
    assertError(r, 405, "UNSUPPORTED");
    assertThat(header(r, "Allow")).isEqualTo("POST, OPTIONS");
    String loc = location(startSession("lib/app"));
    HttpResponse<byte[]> post = atLocation("POST", loc, null, BLOB);
    assertError(post, 405, "UNSUPPORTED");
    assertThat(header(post, "Allow")).isEqualTo("GET, HEAD, PATCH, PUT, DELETE, OPTIONS");
  }
}
