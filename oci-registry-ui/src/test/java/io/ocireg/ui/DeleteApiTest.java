package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST api/delete}: through the engine, visible to registry clients on {@code /v2/}, and
 * refused unless it comes from the page itself.
 */
class DeleteApiTest {
  private UiServer server;
  private TestImages.Pushed image;

  @BeforeEach
  void start() {
    server = UiServer.start(new InMemoryStorage());
    TestImages images = new TestImages(server.registry());
    image = images.image("library/alpine", "3.19", "linux", "amd64");
    images.image("library/alpine", "latest", "linux", "amd64");
    images.image("library/alpine", "edge", "linux", "arm64");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String tagsOnV2() {
    HttpResponse<String> r = server.get("/v2/library/alpine/tags/list");
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  @Test
  void deletingATagRemovesOnlyThatTagForRegistryClientsToo() {
    HttpResponse<String> r =
        server.postFromPage(
            "/api/delete", "{\"repository\":\"library/alpine\",\"tag\":\"latest\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = UiServer.json(r);
    assertThat(body.path("deleted").path("repository").asText()).isEqualTo("library/alpine");
    assertThat(body.path("deleted").path("tag").asText()).isEqualTo("latest");
    assertThat(body.path("tagsRemoved").toString()).isEqualTo("[\"latest\"]");
    assertThat(tagsOnV2()).doesNotContain("\"latest\"").contains("\"3.19\"", "\"edge\"");
    assertThat(server.get("/v2/library/alpine/manifests/3.19").statusCode()).isEqualTo(200);
  }

  @Test
  void deletingByDigestRemovesTheManifestAndEveryTagPointingAtIt() {
    HttpResponse<String> r =
        server.postFromPage(
            "/delete", "{\"repository\":\"library/alpine\",\"digest\":\"" + image.digest() + "\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = UiServer.json(r);
    assertThat(body.path("deleted").path("digest").asText()).isEqualTo(image.digest().toString());
    assertThat(body.path("tagsRemoved").toString()).isEqualTo("[\"3.19\",\"latest\"]");
    assertThat(tagsOnV2()).isEqualTo("{\"name\":\"library/alpine\",\"tags\":[\"edge\"]}");
    assertThat(server.get("/v2/library/alpine/manifests/" + image.digest()).statusCode())
        .isEqualTo(404);
    JsonNode page = UiServer.json(server.get("/api/tags/library/alpine"));
    assertThat(page.path("tags")).hasSize(1);
  }

  @Test
  void theRepositoryListFollowsADelete() {
    TestImages images = new TestImages(server.registry());
    TestImages.Pushed only = images.image("gone/soon", "1.0", "linux", "amd64");
    assertThat(server.get("/api/repos").body()).contains("gone/soon");

    server.postFromPage(
        "/api/delete", "{\"repository\":\"gone/soon\",\"digest\":\"" + only.digest() + "\"}");

    JsonNode row = UiServer.json(server.get("/api/repos?q=gone")).path("repositories").get(0);
    // The blobs stay linked until a collection: the repository is still there, without tags.
    assertThat(row.path("tags").asInt()).isZero();
    assertThat(row.path("size").asLong()).isZero();
  }

  @Test
  void unknownTagsAndDigestsAreSpecErrors() {
    BrowseApiTest.assertError(
        server.postFromPage("/api/delete", "{\"repository\":\"library/alpine\",\"tag\":\"nope\"}"),
        404,
        "MANIFEST_UNKNOWN");
    BrowseApiTest.assertError(
        server.postFromPage(
            "/api/delete",
            "{\"repository\":\"library/alpine\",\"digest\":\"sha256:" + "a".repeat(64) + "\"}"),
        404,
        "MANIFEST_UNKNOWN");
    BrowseApiTest.assertError(
        server.postFromPage("/api/delete", "{\"repository\":\"Bad Name\",\"tag\":\"x\"}"),
        400,
        "NAME_INVALID");
    BrowseApiTest.assertError(
        server.postFromPage(
            "/api/delete", "{\"repository\":\"library/alpine\",\"digest\":\"sha256:nothex\"}"),
        400,
        "DIGEST_INVALID");
  }

  @Test
  void malformedRequestsAreRefusedAndDeleteNothing() {
    for (String body :
        new String[] {
          "",
          "not json",
          "[]",
          "{\"repository\":\"library/alpine\"}",
          "{\"repository\":\"library/alpine\",\"tag\":\"3.19\",\"digest\":\""
              + image.digest()
              + "\"}",
          "{\"repository\":7,\"tag\":\"3.19\"}",
          "{\"repository\":\"library/alpine\",\"tag\":\"" + "x".repeat(20_000) + "\"}"
        }) {
      HttpResponse<String> r = server.postFromPage("/api/delete", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
    }
    assertThat(tagsOnV2()).contains("\"3.19\"", "\"latest\"", "\"edge\"");
  }

  @Test
  void deletesAreUnsupportedWhenTheRegistryDisablesThem() {
    try (UiServer locked =
        UiServer.start(
            new InMemoryStorage(),
            RegistryOptions.defaults().withDeletesEnabled(false),
            Clock.systemUTC(),
            AccessControl.open(),
            UiOptions.defaults(),
            "/")) {
      new TestImages(locked.registry()).image("library/alpine", "1.0", "linux", "amd64");
      assertThat(UiServer.json(locked.get("/api/session")).path("deletesEnabled").asBoolean())
          .isFalse();
      assertThat(
              UiServer.json(locked.get("/api/tags/library/alpine")).path("canDelete").asBoolean())
          .isFalse();
      BrowseApiTest.assertError(
          locked.postFromPage("/api/delete", "{\"repository\":\"library/alpine\",\"tag\":\"1.0\"}"),
          405,
          "UNSUPPORTED");
      assertThat(locked.get("/v2/library/alpine/tags/list").body()).contains("\"1.0\"");
    }
  }

  // ---- cross-site requests ------------------------------------------------------------------

  private static final String DELETE_LATEST =
      "{\"repository\":\"library/alpine\",\"tag\":\"latest\"}";

  private void assertRefusedAndNothingDeleted(HttpResponse<String> r) {
    BrowseApiTest.assertError(r, 403, "DENIED");
    assertThat(tagsOnV2()).contains("\"latest\"");
  }

  @Test
  void aPostWithoutTheMarkerHeaderIsRefused() {
    assertRefusedAndNothingDeleted(
        server.send("POST", "/api/delete", DELETE_LATEST, "Content-Type", "application/json"));
  }

  @Test
  void aPostThatAFormCouldSendIsRefused() {
    for (String type :
        new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
      assertRefusedAndNothingDeleted(
          server.send(
              "POST",
              "/api/delete",
              DELETE_LATEST,
              "Content-Type",
              type,
              "X-Requested-By",
              "ocireg"));
    }
    assertRefusedAndNothingDeleted(
        server.send("POST", "/api/delete", DELETE_LATEST, "X-Requested-By", "ocireg"));
  }

  @Test
  void aPostFromAnotherOriginIsRefused() {
    assertRefusedAndNothingDeleted(
        server.postFromPage("/api/delete", DELETE_LATEST, "Origin", "https://evil.example"));
    assertRefusedAndNothingDeleted(
        server.postFromPage("/api/delete", DELETE_LATEST, "Origin", "null"));
    assertRefusedAndNothingDeleted(
        server.postFromPage(
            "/api/delete",
            DELETE_LATEST,
            "Origin",
            "http://" + server.authority() + ".evil.example"));
  }

  @Test
  void aPostThatTheBrowserMarksCrossSiteIsRefused() {
    for (String site : new String[] {"cross-site", "same-site"}) {
      assertRefusedAndNothingDeleted(
          server.postFromPage("/api/delete", DELETE_LATEST, "Sec-Fetch-Site", site));
    }
  }

  @Test
  void aPostFromThePageItselfIsAccepted() {
    HttpResponse<String> r =
        server.postFromPage(
            "/api/delete",
            DELETE_LATEST,
            "Origin",
            "http://" + server.authority(),
            "Sec-Fetch-Site",
            "same-origin");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(tagsOnV2()).doesNotContain("\"latest\"");
  }

  @Test
  void theGarbageCollectionTriggerIsGuardedToo() {
    HttpResponse<String> r =
        server.send("POST", "/api/gc", "{}", "Content-Type", "application/json");

    BrowseApiTest.assertError(r, 403, "DENIED");
  }
}
