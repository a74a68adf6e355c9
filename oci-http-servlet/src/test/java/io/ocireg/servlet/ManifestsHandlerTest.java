package io.ocireg.servlet;

import static io.ocireg.servlet.TestManifest.descriptor;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.RegistryOptions;
import io.ocireg.spec.Digest;
import io.ocireg.spec.TagList;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class ManifestsHandlerTest extends HttpTestBase {

  private HttpResponse<byte[]> put(String repository, String reference, String type, byte[] body) {
    return type == null
        ? server.send("PUT", "/v2/" + repository + "/manifests/" + reference, body)
        : server.send(
            "PUT", "/v2/" + repository + "/manifests/" + reference, body, "Content-Type", type);
  }

  private static Digest sha(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  // ---- PUT -----------------------------------------------------------------------------------

  @Test
  void storesManifestByTagWith201LocationAndDigest() {
    byte[] body = image("lib/app", "a").bytes();
    HttpResponse<byte[]> r = put("lib/app", "v1", TestManifest.OCI_MANIFEST, body);
    Digest digest = Digest.sha256(body);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    assertThat(header(r, "Location")).isEqualTo("/v2/lib/app/manifests/" + digest);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(digest.toString());
    assertThat(header(r, "OCI-Subject")).isNull();
    assertThat(r.body()).isEmpty();
  }

  @Test
  void storesManifestByDigest() {
    byte[] body = image("lib/app", "a").bytes();
    Digest digest = Digest.sha256(body);
    HttpResponse<byte[]> r = put("lib/app", digest.toString(), TestManifest.OCI_MANIFEST, body);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(digest.toString());
    assertThat(server.get("/v2/lib/app/manifests/" + digest).body()).isEqualTo(body);
  }

  @Test
  void refusesManifestWhoseDigestDoesNotMatchTheReference() {
    byte[] body = image("lib/app", "a").bytes();
    HttpResponse<byte[]> r =
        put("lib/app", sha("something else").toString(), TestManifest.OCI_MANIFEST, body);
    assertError(r, 400, "DIGEST_INVALID");
  }

  @Test
  void refusesManifestReferencingAMissingBlob() {
    Digest missing = sha("never pushed");
    byte[] body =
        image("lib/app", "a").layer(descriptor(TestManifest.OCI_LAYER, missing, 12)).bytes();
    assertError(
        put("lib/app", "v1", TestManifest.OCI_MANIFEST, body), 404, "MANIFEST_BLOB_UNKNOWN");
    assertError(server.get("/v2/lib/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void refusesManifestReferencingABlobOfAnotherRepository() {
    byte[] body = image("other", "a").bytes();
    assertError(
        put("lib/app", "v1", TestManifest.OCI_MANIFEST, body), 404, "MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void refusesDescriptorWhoseSizeDoesNotMatchTheBlob() {
    byte[] layer = "sized layer".getBytes(StandardCharsets.UTF_8);
    Digest l = server.pushBlob("lib/app", layer);
    byte[] body =
        image("lib/app", "a")
            .layer(descriptor(TestManifest.OCI_LAYER, l, layer.length + 1))
            .bytes();
    assertError(put("lib/app", "v1", TestManifest.OCI_MANIFEST, body), 400, "MANIFEST_INVALID");
  }

  @Test
  void refusesInvalidJson() {
    byte[] body = "{\"schemaVersion\":2,".getBytes(StandardCharsets.UTF_8);
    assertError(put("lib/app", "v1", TestManifest.OCI_MANIFEST, body), 400, "MANIFEST_INVALID");
  }

  @Test
  void refusesMediaTypeFieldThatContradictsContentType() {
    byte[] body = image("lib/app", "a").bytes();
    assertError(put("lib/app", "v1", TestManifest.OCI_INDEX, body), 400, "MANIFEST_INVALID");
  }

  @Test
  void acceptsContentTypeWithParameters() {
    byte[] body = image("lib/app", "a").bytes();
    HttpResponse<byte[]> r =
        put("lib/app", "v1", TestManifest.OCI_MANIFEST + "; charset=utf-8", body);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(server.get("/v2/lib/app/manifests/v1"), "Content-Type"))
        .isEqualTo(TestManifest.OCI_MANIFEST);
  }

  @Test
  void takesTheMediaTypeFieldWhenContentTypeIsAbsent() {
    byte[] body = image("lib/app", "a").bytes();
    HttpResponse<byte[]> r = put("lib/app", "v1", null, body);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    assertThat(header(server.get("/v2/lib/app/manifests/v1"), "Content-Type"))
        .isEqualTo(TestManifest.OCI_MANIFEST);
  }

  @Test
  void refusesMalformedContentType() {
    byte[] body = image("lib/app", "a").bytes();
    assertError(put("lib/app", "v1", "not a media type", body), 400, "MANIFEST_INVALID");
  }

  @Test
  void refusesManifestLargerThanTheLimitWith413() {
    RegistryOptions d = RegistryOptions.defaults();
    server.close();
    server =
        RegistryServer.start(
            backend.open(dir.resolve("small")),
            new RegistryOptions(
                200, d.maxPageSize(), d.defaultPageSize(), d.acceptDockerMediaTypes(), true));
    byte[] body = image("lib/app", "a").annotation("padding", "x".repeat(300)).bytes();
    assertError(put("lib/app", "v1", TestManifest.OCI_MANIFEST, body), 413, "MANIFEST_INVALID");
    HttpResponse<byte[]> chunked =
        server.sendChunked(
            "PUT", "/v2/lib/app/manifests/v1", body, "Content-Type", TestManifest.OCI_MANIFEST);
    assertError(chunked, 413, "MANIFEST_INVALID");
    assertError(server.get("/v2/lib/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void acceptsManifestSentWithChunkedTransfer() {
    byte[] body = image("lib/app", "a").bytes();
    HttpResponse<byte[]> r =
        server.sendChunked(
            "PUT", "/v2/lib/app/manifests/v1", body, "Content-Type", TestManifest.OCI_MANIFEST);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(server.get("/v2/lib/app/manifests/v1").body()).isEqualTo(body);
  }

  @Test
  void refusesInvalidTagWith400ManifestInvalid() {
    byte[] body = image("lib/app", "a").bytes();
    assertError(put("lib/app", "-bad", TestManifest.OCI_MANIFEST, body), 400, "MANIFEST_INVALID");
    assertError(
        put("lib/app", "x".repeat(129), TestManifest.OCI_MANIFEST, body), 400, "MANIFEST_INVALID");
  }

  // ---- GET / HEAD -----------------------------------------------------------------------------

  @Test
  void servesExactBytesByTagAndByDigest() {
    // Unusual spacing and key order: the registry must not re-serialize.
    Digest config = server.pushBlob("lib/app", "{}".getBytes(StandardCharsets.UTF_8));
    String json =
        "{ \"schemaVersion\" : 2,\n  \"layers\": [],\n  \"config\": "
            + descriptor(TestManifest.OCI_CONFIG, config, 2)
            + ",\n  \"mediaType\": \""
            + TestManifest.OCI_MANIFEST
            + "\" }\n";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    Digest digest = server.pushManifest("lib/app", "v1", TestManifest.OCI_MANIFEST, body);
    for (String ref : new String[] {"v1", digest.toString()}) {
      HttpResponse<byte[]> r = server.get("/v2/lib/app/manifests/" + ref);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(body);
      assertThat(header(r, "Content-Type")).isEqualTo(TestManifest.OCI_MANIFEST);
      assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(body.length));
      assertThat(header(r, "Docker-Content-Digest")).isEqualTo(digest.toString());
      assertThat(header(r, "ETag")).isEqualTo("\"" + digest + "\"");
    }
  }

  @Test
  void answersHeadWithHeadersOnly() {
    Pushed p = pushImage("lib/app", "v1", "a");
    HttpResponse<byte[]> r = server.head("/v2/lib/app/manifests/v1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Content-Type")).isEqualTo(TestManifest.OCI_MANIFEST);
    assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(p.bytes().length));
    assertThat(header(r, "Docker-Content-Digest")).isEqualTo(p.digest().toString());
  }

  @Test
  void answersUnknownManifestWith404() {
    assertError(server.get("/v2/lib/app/manifests/latest"), 404, "MANIFEST_UNKNOWN");
    assertError(server.get("/v2/lib/app/manifests/" + sha("nothing")), 404, "MANIFEST_UNKNOWN");
    assertHeadError(server.head("/v2/lib/app/manifests/latest"), 404);
  }

  @Test
  void answersReadsOfSyntacticallyInvalidReferencesWith404() {
    for (String ref : new String[] {".INVALID_MANIFEST_NAME", "sha256:short", "a:b:c"}) {
      assertError(server.get("/v2/lib/app/manifests/" + ref), 404, "MANIFEST_UNKNOWN");
      assertHeadError(server.head("/v2/lib/app/manifests/" + ref), 404);
      assertError(server.delete("/v2/lib/app/manifests/" + ref), 404, "MANIFEST_UNKNOWN");
    }
  }

  @Test
  void refusesPushUnderAMalformedDigestWith400() {
    byte[] body = image("lib/app", "a").bytes();
    assertError(
        put("lib/app", "sha256:short", TestManifest.OCI_MANIFEST, body), 400, "DIGEST_INVALID");
  }

  @Test
  void doesNotServeAManifestOfAnotherRepository() {
    Pushed p = pushImage("other", "v1", "a");
    assertError(server.get("/v2/lib/app/manifests/" + p.digest()), 404, "MANIFEST_UNKNOWN");
  }

  // ---- Docker and index -------------------------------------------------------------------

  @Test
  void acceptsDockerSchema2ManifestAndManifestList() {
    byte[] config = "{\"docker\":true}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "docker layer".getBytes(StandardCharsets.UTF_8);
    Digest c = server.pushBlob("lib/app", config);
    Digest l = server.pushBlob("lib/app", layer);
    byte[] manifest =
        TestManifest.image(descriptor(TestManifest.DOCKER_CONFIG, c, config.length))
            .mediaType(TestManifest.DOCKER_MANIFEST)
            .layer(descriptor(TestManifest.DOCKER_LAYER, l, layer.length))
            .bytes();
    Digest m = server.pushManifest("lib/app", "docker", TestManifest.DOCKER_MANIFEST, manifest);
    byte[] list =
        TestManifest.index()
            .mediaType(TestManifest.DOCKER_LIST)
            .manifest(descriptor(TestManifest.DOCKER_MANIFEST, m, manifest.length))
            .bytes();
    server.pushManifest("lib/app", "list", TestManifest.DOCKER_LIST, list);
    HttpResponse<byte[]> r = server.get("/v2/lib/app/manifests/list");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo(TestManifest.DOCKER_LIST);
    assertThat(r.body()).isEqualTo(list);
    assertThat(header(server.get("/v2/lib/app/manifests/docker"), "Content-Type"))
        .isEqualTo(TestManifest.DOCKER_MANIFEST);
  }

  @Test
  void storesIndexOfPresentManifests() {
    Pushed child = pushImage("lib/app", "child", "a");
    byte[] index =
        TestManifest.index()
            .manifest(descriptor(TestManifest.OCI_MANIFEST, child.digest(), child.bytes().length))
            .bytes();
    HttpResponse<byte[]> r = put("lib/app", "multi", TestManifest.OCI_INDEX, index);
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(header(server.get("/v2/lib/app/manifests/multi"), "Content-Type"))
        .isEqualTo(TestManifest.OCI_INDEX);
  }

  @Test
  void refusesIndexWhoseChildIsMissing() {
    byte[] index =
        TestManifest.index()
            .manifest(descriptor(TestManifest.OCI_MANIFEST, sha("absent child"), 100))
            .bytes();
    assertError(
        put("lib/app", "multi", TestManifest.OCI_INDEX, index), 404, "MANIFEST_BLOB_UNKNOWN");
  }

  // ---- subject ---------------------------------------------------------------------------

  @Test
  void acceptsSubjectThatDoesNotExistAndSaysSoWithOciSubject() {
    Digest subject = sha("a manifest pushed later");
    byte[] body =
        image("lib/app", "sig")
            .subject(descriptor(TestManifest.OCI_MANIFEST, subject, 123))
            .bytes();
    HttpResponse<byte[]> r =
        put("lib/app", Digest.sha256(body).toString(), TestManifest.OCI_MANIFEST, body);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    assertThat(header(r, "OCI-Subject")).isEqualTo(subject.toString());
  }

  // ---- DELETE ----------------------------------------------------------------------------

  @Test
  void deletesByDigestWith202AndDropsEveryTagPointingAtIt() {
    Pushed p = pushImage("lib/app", "v1", "a");
    server.pushManifest("lib/app", "latest", TestManifest.OCI_MANIFEST, p.bytes());
    pushImage("lib/app", "other", "b");
    HttpResponse<byte[]> r = server.delete("/v2/lib/app/manifests/" + p.digest());
    assertThat(r.statusCode()).isEqualTo(202);
    assertError(server.get("/v2/lib/app/manifests/" + p.digest()), 404, "MANIFEST_UNKNOWN");
    assertError(server.get("/v2/lib/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertError(server.get("/v2/lib/app/manifests/latest"), 404, "MANIFEST_UNKNOWN");
    TagList tags = TagList.parse(server.get("/v2/lib/app/tags/list").body());
    assertThat(tags.tags()).extracting(t -> t.value()).containsExactly("other");
  }

  @Test
  void deletesByTagOnlyTheTag() {
    Pushed p = pushImage("lib/app", "v1", "a");
    server.pushManifest("lib/app", "latest", TestManifest.OCI_MANIFEST, p.bytes());
    assertThat(server.delete("/v2/lib/app/manifests/v1").statusCode()).isEqualTo(202);
    assertError(server.get("/v2/lib/app/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    assertThat(server.get("/v2/lib/app/manifests/latest").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> byDigest = server.get("/v2/lib/app/manifests/" + p.digest());
    assertThat(byDigest.statusCode()).isEqualTo(200);
    assertThat(Arrays.equals(byDigest.body(), p.bytes())).isTrue();
    TagList tags = TagList.parse(server.get("/v2/lib/app/tags/list").body());
    assertThat(tags.tags()).extracting(t -> t.value()).containsExactly("latest");
  }

  @Test
  void answersDeleteOfUnknownManifestWith404() {
    assertError(server.delete("/v2/lib/app/manifests/nope"), 404, "MANIFEST_UNKNOWN");
    assertError(server.delete("/v2/lib/app/manifests/" + sha("nope")), 404, "MANIFEST_UNKNOWN");
  }

  @Test
  void refusesPostOnAManifestWith405() {
    HttpResponse<byte[]> r = server.send("POST", "/v2/lib/app/manifests/v1", new byte[0]);
    assertError(r, 405, "UNSUPPORTED");
    assertThat(header(r, "Allow")).isEqualTo("GET, HEAD, PUT, DELETE, OPTIONS");
  }
}
