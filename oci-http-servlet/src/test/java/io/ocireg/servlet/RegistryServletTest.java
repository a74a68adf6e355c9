package io.ocireg.servlet;

import static io.ocireg.servlet.HttpTestBase.assertError;
import static io.ocireg.servlet.HttpTestBase.assertErrorBody;
import static io.ocireg.servlet.HttpTestBase.header;
import static io.ocireg.servlet.HttpTestBase.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.RegistryOptions;
import io.ocireg.spec.Catalog;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing, method handling and mounting; the backend plays no part, so memory serves. */
class RegistryServletTest {
  private static final byte[] BLOB = "routing blob".getBytes(StandardCharsets.UTF_8);
  private static final Digest DIGEST = Digest.sha256(BLOB);

  private RegistryServer server;

  @BeforeEach
  void start() {
    server = RegistryServer.startLax(new InMemoryStorage());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/foo",
        "/v2/lib/app",
        "/v2/lib/app/things/x",
        "/v2/lib/app/tags/other",
        "/v2/lib/app/manifests/latest/extra/",
        "/v2/blobs/" + "sha256:0000000000000000000000000000000000000000000000000000000000000000"
      })
  void answersUnknownRouteWith404Unsupported(String path) {
    assertError(server.get(path), 404, "UNSUPPORTED");
  }

  @Test
  void answersWrongMethodWith405AndAllow() {
    HttpResponse<byte[]> r = server.delete("/v2/lib/app/tags/list");
    assertError(r, 405, "UNSUPPORTED");
    assertThat(header(r, "Allow")).isEqualTo("GET, HEAD, OPTIONS");
    HttpResponse<byte[]> patch = server.send("PATCH", "/v2/lib/app/manifests/v1", BLOB);
    assertError(patch, 405, "UNSUPPORTED");
  }

  @Test
  void errorBodiesNeverEchoAHugeInput() {
    String name = "a".repeat(2_440);
    String digest = "foo:" + "b".repeat(2_440);
    for (String path :
        new String[] {
          "/v2/" + name + "/tags/list",
          "/v2/lib/app/blobs/" + digest,
          "/v2/lib/app/manifests/" + digest,
          "/v2/lib/app/manifests/" + "c".repeat(2_440),
          "/v2/lib/app/blobs/uploads/" + "d".repeat(2_440),
          "/v2/lib/app/tags/list?n=" + "9x".repeat(1_220),
        }) {
      HttpResponse<byte[]> r = server.get(path);
      assertThat(r.statusCode()).as(path.substring(0, 40)).isBetween(400, 404);
      assertThat(r.body().length).as(path.substring(0, 40)).isLessThan(400);
    }
  }

  @Test
  void answersOptionsWithAllow() {
    HttpResponse<byte[]> r = server.send("OPTIONS", "/v2/lib/app/manifests/v1", null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(header(r, "Allow")).isEqualTo("GET, HEAD, PUT, DELETE, OPTIONS");
  }

  @Test
  void refusesInvalidRepositoryNameWith400() {
    assertError(server.get("/v2/Upper/Case/tags/list"), 400, "NAME_INVALID");
    assertError(server.get("/v2/a--/manifests/v1"), 400, "NAME_INVALID");
    HttpResponse<byte[]> head = server.head("/v2/x__y__/blobs/" + DIGEST);
    assertThat(head.statusCode()).isEqualTo(400);
    assertThat(head.body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/a/%2e%2e/b/tags/list",
        "/v2/a/%2E%2E/b/tags/list",
        "/v2/a/%2e/b/tags/list",
        "/v2/a%2fb/tags/list",
        "/v2/a%2Fb/tags/list",
        "/v2/a/b/blobs/uploads/..%2f..%2fx",
        "/v2/a/b/blobs/uploads/%2e%2e",
        "/v2/a/b/manifests/%2e%2e",
        "/v2/a//b/tags/list"
      })
  void refusesEncodedTraversalAndSeparatorsWithNameInvalid(String target) {
    RegistryServer.RawResponse r = server.raw("GET", target);
    assertThat(r.status()).as("%s -> %s", target, r.head()).isEqualTo(400);
    assertErrorBody(headerOf(r, "Content-Type"), r.body(), "NAME_INVALID");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/a/../b/tags/list",
        "/v2/a/./b/tags/list",
        "/v2/lib/app/blobs/uploads/../../../other/blobs/uploads/x",
        // Above the root: the host itself refuses this one before the servlet sees it.
        "/v2/%2e%2e/%2e%2e/etc/tags/list"
      })
  void refusesDotSegments(String target) {
    RegistryServer.RawResponse r = server.raw("GET", target);
    assertThat(r.status()).as("%s -> %s", target, r.head()).isEqualTo(400);
    String type = headerOf(r, "Content-Type");
    if (type != null && type.startsWith("application/json")) {
      assertErrorBody(type, r.body(), "NAME_INVALID");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/a/%2e%2e/b/tags/list",
        "/v2/a%2fb/tags/list",
        "/v2/a/../b/tags/list",
        "/v2/a//b/tags/list",
        "/v2/a/b/manifests/%2e%2e"
      })
  void hostileRawPathsAreRefusedUnderTheHostsDefaultsToo(String target) {
    try (RegistryServer strict = RegistryServer.start(new InMemoryStorage())) {
      RegistryServer.RawResponse r = strict.raw("GET", target);
      assertThat(r.status()).as("%s -> %s", target, r.head()).isEqualTo(400);
    }
  }

  private static String headerOf(RegistryServer.RawResponse r, String name) {
    for (String line : r.head().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  @Test
  void servesRepositoriesWhoseNamesHoldEndpointKeywords() {
    String[] names = {"a/blobs/b", "blobs/uploads", "tags/list", "x/manifests/referrers/v2"};
    for (String name : names) {
      HttpResponse<byte[]> started = server.send("POST", "/v2/" + name + "/blobs/uploads/", null);
      assertThat(started.statusCode()).as(name).isEqualTo(202);
      String location = header(started, "Location");
      assertThat(location).startsWith("/v2/" + name + "/blobs/uploads/");
      HttpResponse<byte[]> put =
          server.send(
              "PUT",
              server.resolve(location + "?digest=" + DIGEST),
              HttpRequest.BodyPublishers.ofByteArray(BLOB));
      assertThat(put.statusCode()).as(name).isEqualTo(201);
      assertThat(header(put, "Location")).isEqualTo("/v2/" + name + "/blobs/" + DIGEST);
      assertThat(server.get("/v2/" + name + "/blobs/" + DIGEST).body()).isEqualTo(BLOB);
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      Digest c = server.pushBlob(name, config);
      byte[] manifest =
          TestManifest.image(TestManifest.descriptor(TestManifest.OCI_CONFIG, c, 2)).bytes();
      server.pushManifest(name, "tags", TestManifest.OCI_MANIFEST, manifest);
      HttpResponse<byte[]> tags = server.get("/v2/" + name + "/tags/list");
      assertThat(tags.statusCode()).isEqualTo(200);
      assertThat(text(tags)).isEqualTo("{\"name\":\"" + name + "\",\"tags\":[\"tags\"]}");
    }
    Catalog catalog = Catalog.parse(server.get("/v2/_catalog").body());
    assertThat(catalog.repositories())
        .extracting(RepositoryName::value)
        .containsExactlyInAnyOrder(names);
  }

  @Test
  void putsTheApiVersionOnEveryResponse() {
    for (HttpResponse<byte[]> r :
        java.util.List.of(
            server.get("/v2/"),
            server.get("/v2/nothing/tags/list"),
            server.head("/v2/nothing/manifests/x"),
            server.get("/v2/unknown"),
            server.send("POST", "/v2/x/blobs/uploads/", null),
            server.send("OPTIONS", "/v2/", null))) {
      assertThat(header(r, "Docker-Distribution-API-Version"))
          .as(r.request().method() + " " + r.uri())
          .isEqualTo("registry/2.0");
    }
  }

  @Test
  void answersHeadErrorsWithoutBody() {
    HttpResponse<byte[]> r = server.head("/v2/lib/app/blobs/" + DIGEST);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Content-Type")).startsWith("application/json");
  }

  @ParameterizedTest(name = "context {0}, mapping {1}")
  @CsvSource({
    "/,     /v2/*",
    "/ctx,  /v2/*",
    "/,     /*",
    "/ctx,  /*",
    "/ctx,  /registry/*",
    "/ctx,  /reg/v2/*",
    "/,     /",
    "/ctx,  /"
  })
  void worksUnderAnyContextPathAndMapping(String contextPath, String mapping) {
    try (RegistryServer mounted =
        RegistryServer.start(
            new InMemoryStorage(), RegistryOptions.defaults(), contextPath, mapping, false)) {
      String prefix = mounted.prefix();
      HttpResponse<byte[]> version = mounted.get("/v2/");
      assertThat(version.statusCode()).isEqualTo(200);
      assertThat(text(version)).isEqualTo("{}");

      HttpResponse<byte[]> started = mounted.send("POST", "/v2/lib/app/blobs/uploads/", null);
      assertThat(started.statusCode()).isEqualTo(202);
      String location = header(started, "Location");
      assertThat(location).startsWith(prefix + "/v2/lib/app/blobs/uploads/");
      HttpResponse<byte[]> put =
          mounted.send(
              "PUT",
              mounted.resolve(location + "?digest=" + DIGEST),
              HttpRequest.BodyPublishers.ofByteArray(BLOB));
      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(header(put, "Location")).isEqualTo(prefix + "/v2/lib/app/blobs/" + DIGEST);
      HttpResponse<byte[]> blob =
          mounted.send(
              "GET", mounted.resolve(header(put, "Location")), HttpRequest.BodyPublishers.noBody());
      assertThat(blob.body()).isEqualTo(BLOB);

      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      Digest c = mounted.pushBlob("lib/app", config);
      byte[] manifest =
          TestManifest.image(TestManifest.descriptor(TestManifest.OCI_CONFIG, c, 2)).bytes();
      mounted.pushManifest("lib/app", "a", TestManifest.OCI_MANIFEST, manifest);
      mounted.pushManifest("lib/app", "b", TestManifest.OCI_MANIFEST, manifest);
      HttpResponse<byte[]> tags = mounted.get("/v2/lib/app/tags/list?n=1");
      assertThat(header(tags, "Link"))
          .isEqualTo("<" + prefix + "/v2/lib/app/tags/list?n=1&last=a>; rel=\"next\"");
    }
  }
}
