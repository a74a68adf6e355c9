package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.core.Registry;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one request costs stays bounded however large a repository is: tags come in pages, a
 * manifest names its first tags only, a listing reads a bounded number of configs, rows of the
 * repository list are remembered and forgotten when the engine changes the repository, and a delete
 * by digest refuses when the tags the page showed are no longer those pointing at it.
 */
class BoundedWorkTest {
  private static final RepositoryName MANY = RepositoryName.parse("many/tags");

  private UiServer server;
  private TestImages images;

  @BeforeEach
  void start() {
    server = UiServer.start(new InMemoryStorage());
    images = new TestImages(server.registry());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** One image under {@code count} tags t000, t001, ... */
  private TestImages.Pushed tagged(int count) {
    TestImages.Pushed image = images.image(MANY.value(), "t000", "linux", "amd64");
    Registry registry = server.registry();
    for (int i = 1; i < count; i++) {
      registry.putManifest(
          MANY,
          Tag.parse(String.format("t%03d", i)),
          image.descriptor().mediaType(),
          image.bytes());
    }
    return image;
  }

  private JsonNode json(String path) {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return UiServer.json(r);
  }

  private static List<String> tags(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("tags").forEach(t -> out.add(t.path("tag").asText()));
    return out;
  }

  @Test
  void tagsComeInPagesWithTheUntaggedOnTheFirstOnly() {
    tagged(250);
    images.image(MANY.value(), TestImages.BY_DIGEST, "linux", "arm64");

    JsonNode first = json("/api/tags/many/tags");
    assertThat(tags(first))
        .hasSize(RepositoryPage.DEFAULT_PAGE)
        .startsWith("t000")
        .endsWith("t099");
    assertThat(first.path("next").asText()).isEqualTo("t099");
    assertThat(first.path("untagged")).hasSize(1);

    JsonNode second = json("/api/tags/many/tags?n=100&last=t099");
    assertThat(tags(second)).hasSize(100).startsWith("t100").endsWith("t199");
    assertThat(second.has("untagged")).isFalse();
    JsonNode last = json("/api/tags/many/tags?n=100&last=t199");
    assertThat(tags(last)).hasSize(50).endsWith("t249");
    assertThat(last.path("next").isNull()).isTrue();
    assertThat(tags(json("/api/tags/many/tags?n=5000"))).hasSize(250);
    assertThat(server.get("/api/tags/many/tags?last=no%20tag").statusCode()).isEqualTo(400);
  }

  @Test
  void aManifestNamesItsFirstTagsAndHowManyThereAre() {
    TestImages.Pushed image = tagged(150);

    JsonNode m = json("/api/manifest/many/tags?ref=" + image.digest());

    assertThat(m.path("tags")).hasSize(ManifestPage.MAX_TAGS);
    assertThat(m.path("tags").get(0).asText()).isEqualTo("t000");
    assertThat(m.path("tagsTotal").asInt()).isEqualTo(150);
    assertThat(m.path("tagsComplete").asBoolean()).isFalse();
    JsonNode few = json("/api/manifest/many/tags?ref=t001");
    assertThat(few.path("tagsTotal").asInt()).isEqualTo(150);
  }

  @Test
  void aDeleteByDigestRefusesWhenTheTagsPointingAtItChanged() {
    TestImages.Pushed image = tagged(2);
    String digest = image.digest().toString();
    server
        .registry()
        .putManifest(MANY, Tag.parse("moved"), image.descriptor().mediaType(), image.bytes());

    HttpResponse<String> stale =
        server.postFromPage(
            "/api/delete",
            "{\"repository\":\"many/tags\",\"digest\":\""
                + digest
                + "\",\"expectTags\":[\"t000\",\"t001\"]}");

    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(UiServer.json(stale).path("errors").get(0).path("code").asText())
        .isEqualTo("DENIED");
    assertThat(server.get("/v2/many/tags/manifests/" + digest).statusCode()).isEqualTo(200);
    HttpResponse<String> partial =
        server.postFromPage(
            "/api/delete",
            "{\"repository\":\"many/tags\",\"digest\":\""
                + digest
                + "\",\"expectTags\":[\"moved\"],\"expectTagCount\":3}");
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
    assertThat(UiServer.json(partial).path("tagsRemoved").toString())
        .isEqualTo("[\"moved\",\"t000\",\"t001\"]");
    assertThat(UiServer.json(partial).path("tagsRemovedCount").asInt()).isEqualTo(3);
  }

  @Test
  void aRowOfTheRepositoryListFollowsATagDeletedThroughTheRegistryApi() {
    tagged(3);
    assertThat(json("/api/repos").path("repositories").get(0).path("tags").asInt()).isEqualTo(3);

    assertThat(server.send("DELETE", "/v2/many/tags/manifests/t001", null).statusCode())
        .isEqualTo(202);

    assertThat(json("/api/repos").path("repositories").get(0).path("tags").asInt()).isEqualTo(2);
  }

  @Test
  void aListingReadsABoundedNumberOfConfigsAndTheTagPageStillShowsThePlatform() {
    int count = Configs.READS_PER_ANSWER + 20;
    for (int i = 0; i < count; i++) {
      // Each its own config: architecture differs.
      images.image(MANY.value(), String.format("t%03d", i), "linux", "arch" + i);
    }

    JsonNode first = json("/api/tags/many/tags?n=1000");
    int unknown = 0;
    for (JsonNode t : first.path("tags")) {
      if (!t.path("platformsKnown").asBoolean()) {
        unknown++;
        assertThat(t.path("platforms")).isEmpty();
      }
    }
    assertThat(unknown).isEqualTo(20);
    assertThat(json("/api/manifest/many/tags?ref=t119").path("platforms").get(0).asText())
        .isEqualTo("linux/arch119");
    // The next view reads the rest.
    JsonNode second = json("/api/tags/many/tags?n=1000");
    second.path("tags").forEach(t -> assertThat(t.path("platformsKnown").asBoolean()).isTrue());
    assertThat(second.path("tags").get(119).path("platforms").get(0).asText())
        .isEqualTo("linux/arch119");
  }
}
