package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each switch and limit of the engine, given as a flag of the standalone server, changes what
 * clients see over HTTP: the flag reaches the engine.
 */
class EngineSettingsHttpTest {
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private final HttpClient http = HttpClient.newHttpClient();

  /** A server started by {@link Main} with these flags, on loopback over memory. */
  private static OciRegistryServer start(String... flags) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--storage", "memory"));
    args.addAll(Arrays.asList(flags));
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new Main(Map.of(), quiet, quiet).launch(args.toArray(String[]::new)).orElseThrow();
  }

  private static String sha256(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(OciRegistryServer s, String method, String path, byte[] body)
      throws Exception {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return send(HttpRequest.newBuilder(s.baseUri().resolve(path)).method(method, publisher));
  }

  /** Uploads {@code blob} by POST then PUT, which every setting allows; the PUT's answer. */
  private HttpResponse<String> pushBlob(OciRegistryServer s, String repo, byte[] blob)
      throws Exception {
    HttpResponse<String> post = send(s, "POST", "/v2/" + repo + "/blobs/uploads/", null);
    assertThat(post.statusCode()).as(post.body()).isEqualTo(202);
    URI location = s.baseUri().resolve(post.headers().firstValue("Location").orElseThrow());
    String put = location + (location.getQuery() == null ? "?" : "&") + "digest=" + sha256(blob);
    return send(
        HttpRequest.newBuilder(URI.create(put))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
  }

  private static String descriptor(String mediaType, byte[] blob) throws Exception {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + sha256(blob)
        + "\",\"size\":"
        + blob.length
        + "}";
  }

  /** Pushes a config and {@code layers}, and returns an OCI image manifest of them. */
  private String image(OciRegistryServer s, String repo, String... layers) throws Exception {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(pushBlob(s, repo, config).statusCode()).isEqualTo(201);
    List<String> descriptors = new ArrayList<>();
    for (String layer : layers) {
      byte[] b = layer.getBytes(StandardCharsets.UTF_8);
      assertThat(pushBlob(s, repo, b).statusCode()).isEqualTo(201);
      descriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", b));
    }
    return "{\"schemaVersion\":2,\"mediaType\":\""
        + OCI_MANIFEST
        + "\",\"config\":"
        + descriptor("application/vnd.oci.image.config.v1+json", config)
        + ",\"layers\":["
        + String.join(",", descriptors)
        + "]}";
  }

  private HttpResponse<String> putManifest(
      OciRegistryServer s, String repo, String reference, String mediaType, String json)
      throws Exception {
    return send(
        HttpRequest.newBuilder(s.baseUri().resolve("/v2/" + repo + "/manifests/" + reference))
            .header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  @Test
  void noDeletesAnswersDeletesWith405AndTellsTheWebUi() throws Exception {
    try (OciRegistryServer s = start("--no-deletes")) {
      String manifest = image(s, "app", "layer");
      assertThat(putManifest(s, "app", "v1", OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
      String digest = sha256(manifest.getBytes(StandardCharsets.UTF_8));

      HttpResponse<String> delete = send(s, "DELETE", "/v2/app/manifests/" + digest, null);
      assertThat(delete.statusCode()).isEqualTo(405);
      assertThat(delete.body()).contains("\"code\":\"UNSUPPORTED\"");
      HttpResponse<String> deleteBlob =
          send(s, "DELETE", "/v2/app/blobs/" + sha256("layer".getBytes()), null);
      assertThat(deleteBlob.statusCode()).isEqualTo(405);
      assertThat(send(s, "GET", "/v2/app/manifests/" + digest, null).statusCode()).isEqualTo(200);
      // The web UI reads the switch from the engine and offers no delete.
      assertThat(send(s, "GET", "/api/session", null).body()).contains("\"deletesEnabled\":false");
    }
  }

  @Test
  void immutableTagsRefuseRepointingATag() throws Exception {
    try (OciRegistryServer s = start("--immutable-tags", "true")) {
      String first = image(s, "app", "one");
      String second = image(s, "app", "two");
      assertThat(putManifest(s, "app", "v1", OCI_MANIFEST, first).statusCode()).isEqualTo(201);

      HttpResponse<String> repoint = putManifest(s, "app", "v1", OCI_MANIFEST, second);
      assertThat(repoint.statusCode()).isEqualTo(400);
      assertThat(repoint.body()).contains("\"code\":\"MANIFEST_INVALID\"");
      // The same digest again is not a change.
      assertThat(putManifest(s, "app", "v1", OCI_MANIFEST, first).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void maxBlobSizeRefusesALargerBlobWithSizeInvalid() throws Exception {
    try (OciRegistryServer s = start("--max-blob-size", "1KiB")) {
      assertThat(pushBlob(s, "app", new byte[1024]).statusCode()).isEqualTo(201);
      HttpResponse<String> tooBig = pushBlob(s, "app", new byte[1025]);
      assertThat(tooBig.statusCode()).isEqualTo(413);
      assertThat(tooBig.body()).contains("\"code\":\"SIZE_INVALID\"");
    }
  }

  @Test
  void maxManifestBytesTakesAUnitAndRefusesALargerManifest() throws Exception {
    try (OciRegistryServer s = start("--max-manifest-bytes", "1KiB")) {
      String manifest = image(s, "app", "layer");
      String padded =
          manifest.substring(0, manifest.length() - 1)
              + ",\"annotations\":{\"pad\":\""
              + "x".repeat(1024)
              + "\"}}";
      assertThat(putManifest(s, "app", "small", OCI_MANIFEST, manifest).statusCode())
          .isEqualTo(201);
      assertThat(putManifest(s, "app", "large", OCI_MANIFEST, padded).statusCode()).isEqualTo(413);
    }
  }

  @Test
  void maxOpenUploadsRefusesOneMoreSessionWith429() throws Exception {
    try (OciRegistryServer s = start("--max-open-uploads", "1")) {
      assertThat(send(s, "POST", "/v2/app/blobs/uploads/", null).statusCode()).isEqualTo(202);
      HttpResponse<String> second = send(s, "POST", "/v2/app/blobs/uploads/", null);
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.body()).contains("\"code\":\"TOOMANYREQUESTS\"");
    }
  }

  @Test
  void maxManifestReferencesRefusesAManifestListingMore() throws Exception {
    try (OciRegistryServer s = start("--max-manifest-references", "2")) {
      String two = image(s, "app", "a");
      String three = image(s, "app", "a", "b");
      assertThat(putManifest(s, "app", "two", OCI_MANIFEST, two).statusCode()).isEqualTo(201);
      HttpResponse<String> refused = putManifest(s, "app", "three", OCI_MANIFEST, three);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("\"code\":\"MANIFEST_INVALID\"");
    }
  }

  @Test
  void noReferrersAnswersTheReferrersApiWith404() throws Exception {
    String digest = sha256("anything".getBytes(StandardCharsets.UTF_8));
    try (OciRegistryServer s = start()) {
      assertThat(send(s, "GET", "/v2/app/referrers/" + digest, null).statusCode()).isEqualTo(200);
    }
    try (OciRegistryServer s = start("--no-referrers")) {
      assertThat(send(s, "GET", "/v2/app/referrers/" + digest, null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void noSinglePostUploadOpensASessionInstead() throws Exception {
    byte[] blob = "single".getBytes(StandardCharsets.UTF_8);
    try (OciRegistryServer s = start("--no-single-post-upload")) {
      HttpResponse<String> post =
          send(s, "POST", "/v2/app/blobs/uploads/?digest=" + sha256(blob), blob);
      assertThat(post.statusCode()).isEqualTo(202);
      assertThat(post.headers().firstValue("Location")).isPresent();
    }
  }

  @Test
  void noMountWithoutFromOpensASessionInstead() throws Exception {
    byte[] blob = "shared".getBytes(StandardCharsets.UTF_8);
    try (OciRegistryServer s = start("--mount-without-from", "false")) {
      assertThat(pushBlob(s, "one", blob).statusCode()).isEqualTo(201);
      String mount = "/v2/two/blobs/uploads/?mount=" + sha256(blob);
      assertThat(send(s, "POST", mount, null).statusCode()).isEqualTo(202);
      assertThat(send(s, "POST", mount + "&from=one", null).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void noDockerMediaTypesRefusesADockerManifest() throws Exception {
    try (OciRegistryServer s = start("--no-docker-media-types")) {
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      byte[] layer = "docker".getBytes(StandardCharsets.UTF_8);
      assertThat(pushBlob(s, "app", config).statusCode()).isEqualTo(201);
      assertThat(pushBlob(s, "app", layer).statusCode()).isEqualTo(201);
      String docker = "application/vnd.docker.distribution.manifest.v2+json";
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\""
              + docker
              + "\",\"config\":"
              + descriptor("application/vnd.docker.container.image.v1+json", config)
              + ",\"layers\":["
              + descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer)
              + "]}";
      HttpResponse<String> refused = putManifest(s, "app", "v1", docker, manifest);
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("\"code\":\"MANIFEST_INVALID\"");
    }
  }

  @Test
  void pageSizesBoundTagAndCatalogPages() throws Exception {
    try (OciRegistryServer s = start("--max-page-size", "2", "--default-page-size", "1")) {
      String manifest = image(s, "app", "layer");
      for (String tag : List.of("a", "b", "c")) {
        assertThat(putManifest(s, "app", tag, OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
      }
      assertThat(putManifest(s, "other", "a", OCI_MANIFEST, image(s, "other", "x")).statusCode())
          .isEqualTo(201);

      HttpResponse<String> tags = send(s, "GET", "/v2/app/tags/list?n=10", null);
      assertThat(tags.body()).contains("\"a\",\"b\"").doesNotContain("\"c\"");
      assertThat(tags.headers().firstValue("Link")).isPresent();
      HttpResponse<String> catalog = send(s, "GET", "/v2/_catalog", null);
      assertThat(catalog.body()).contains("\"app\"").doesNotContain("\"other\"");
    }
  }
}
