package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.spec.Platform;
import io.ocireg.storage.fs.FileSystemStorage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side of the API over images pushed through the engine: an image under two tags, a
 * multi-platform index with its children, an artifact with {@code artifactType} and the empty
 * config, and a referrer with a subject; sizes and push times as recorded at push time.
 */
class BrowseApiTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private UiServer server;
  private TestImages.Pushed alpine;
  private TestImages.Pushed amd64;
  private TestImages.Pushed arm64;
  private TestImages.Pushed index;
  private TestImages.Pushed app;
  private TestImages.Pushed chart;
  private TestImages.Pushed sbom;

  @BeforeEach
  void push() {
    server =
        UiServer.start(
            FileSystemStorage.open(dir),
            RegistryOptions.defaults(),
            clock,
            AccessControl.open(),
            UiOptions.defaults(),
            "/");
    TestImages images = new TestImages(server.registry());
    alpine =
        images.image(
            "library/alpine",
            "3.19",
            "linux",
            "amd64",
            Map.of("org.opencontainers.image.title", "alpine"),
            Map.of("org.opencontainers.image.version", "3.19"));
    clock.advance(Duration.ofHours(1));
    images.image(
        "library/alpine",
        "latest",
        "linux",
        "amd64",
        Map.of("org.opencontainers.image.title", "alpine"),
        Map.of("org.opencontainers.image.version", "3.19"));

    clock.advance(Duration.ofHours(1));
    amd64 = images.image("multi/app", TestImages.BY_DIGEST, "linux", "amd64");
    arm64 = images.image("multi/app", TestImages.BY_DIGEST, "linux", "arm64");
    index =
        images.index(
            "multi/app",
            "1.0",
            List.of(amd64, arm64),
            List.of(Platform.of("linux", "amd64"), Platform.of("linux", "arm64")));

    clock.advance(Duration.ofHours(1));
    app = images.image("artifacts/sbom", "v1", "linux", "amd64");
    chart =
        images.artifact(
            "artifacts/sbom", "chart", "application/vnd.example.chart", Optional.empty(), Map.of());
    clock.advance(Duration.ofMinutes(5));
    sbom =
        images.artifact(
            "artifacts/sbom",
            TestImages.BY_DIGEST,
            "application/spdx+json",
            Optional.of(app),
            Map.of("org.example.kind", "sbom"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private JsonNode ok(String path) {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    assertThat(UiServletTest.type(r)).isEqualTo("application/json;charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    UiServletTest.assertSecurityHeaders(r);
    return UiServer.json(r);
  }

  private static List<String> names(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("repositories").forEach(r -> out.add(r.path("name").asText()));
    return out;
  }

  private static JsonNode row(JsonNode rows, String field, String value) {
    for (JsonNode r : rows) {
      if (r.path(field).asText().equals(value)) {
        return r;
      }
    }
    throw new AssertionError("no row with " + field + "=" + value + " in " + rows);
  }

  @Test
  void listsRepositoriesWithTagCountSizeAndLastPush() {
    JsonNode page = ok("/api/repos");

    assertThat(names(page)).containsExactly("artifacts/sbom", "library/alpine", "multi/app");
    assertThat(page.path("total").asInt()).isEqualTo(3);
    assertThat(page.path("next").isNull()).isTrue();

    JsonNode lib = row(page.path("repositories"), "name", "library/alpine");
    assertThat(lib.path("tags").asInt()).isEqualTo(2);
    // One manifest under two tags counts once.
    assertThat(lib.path("size").asLong()).isEqualTo(alpine.totalSize());
    assertThat(lib.path("lastPush").asText()).isEqualTo("2026-11-20T11:00:00Z");

    JsonNode multi = row(page.path("repositories"), "name", "multi/app");
    assertThat(multi.path("tags").asInt()).isEqualTo(1);
    assertThat(multi.path("size").asLong()).isEqualTo(index.totalSize());
    assertThat(index.totalSize())
        .isEqualTo(index.bytes().length + amd64.totalSize() + arm64.totalSize());
    assertThat(multi.path("lastPush").asText()).isEqualTo("2026-11-20T12:00:00Z");

    JsonNode art = row(page.path("repositories"), "name", "artifacts/sbom");
    assertThat(art.path("tags").asInt()).isEqualTo(2);
    // The untagged referrer is not part of what the tags reach.
    assertThat(art.path("size").asLong()).isEqualTo(app.totalSize() + chart.totalSize());
    assertThat(art.path("lastPush").asText()).isEqualTo("2026-11-20T13:00:00Z");
  }

  @Test
  void aTaggedChildOfATaggedIndexCountsOnce() {
    new TestImages(server.registry())
        .index(
            "multi/app",
            "1.0",
            List.of(amd64, arm64),
            List.of(Platform.of("linux", "amd64"), Platform.of("linux", "arm64")));
    server
        .registry()
        .putManifest(
            io.ocireg.spec.RepositoryName.parse("multi/app"),
            io.ocireg.spec.Tag.parse("amd64"),
            io.ocireg.spec.MediaType.OCI_MANIFEST,
            amd64.bytes());

    JsonNode multi = row(ok("/api/repos").path("repositories"), "name", "multi/app");

    assertThat(multi.path("tags").asInt()).isEqualTo(2);
    assertThat(multi.path("size").asLong()).isEqualTo(index.totalSize());
  }

  @Test
  void searchesBySubstringIgnoringCase() {
    JsonNode page = ok("/api/repos?q=ALP");

    assertThat(names(page)).containsExactly("library/alpine");
    assertThat(page.path("total").asInt()).isEqualTo(1);
    assertThat(names(ok("/api/repos?q=a"))).hasSize(3);
    assertThat(names(ok("/api/repos?q=%2Fapp"))).containsExactly("multi/app");
    JsonNode none = ok("/api/repos?q=zzz");
    assertThat(names(none)).isEmpty();
    assertThat(none.path("total").asInt()).isZero();
  }

  @Test
  void paginatesWithNextAndLastKeepingTheTotal() {
    JsonNode first = ok("/api/repos?n=1");
    assertThat(names(first)).containsExactly("artifacts/sbom");
    assertThat(first.path("next").asText()).isEqualTo("artifacts/sbom");
    assertThat(first.path("total").asInt()).isEqualTo(3);

    JsonNode second = ok("/api/repos?n=1&last=" + first.path("next").asText());
    assertThat(names(second)).containsExactly("library/alpine");
    JsonNode third = ok("/api/repos?n=1&last=" + second.path("next").asText());
    assertThat(names(third)).containsExactly("multi/app");
    assertThat(third.path("next").isNull()).isTrue();
    assertThat(third.path("total").asInt()).isEqualTo(3);

    JsonNode searched = ok("/api/repos?n=1&q=i&last=library/alpine");
    assertThat(names(searched)).containsExactly("multi/app");
    assertThat(searched.path("total").asInt()).isEqualTo(3);
  }

  @Test
  void refusesABadPageSize() {
    for (String n : new String[] {"-1", "ten", "99999999999"}) {
      HttpResponse<String> r = server.get("/api/repos?n=" + n);
      assertThat(r.statusCode()).as(n).isEqualTo(400);
    }
    assertThat(ok("/api/repos?n=5000").path("repositories")).hasSize(3);
  }

  @Test
  void tagsOfAnImageRepository() {
    JsonNode page = ok("/api/tags/library/alpine");

    assertThat(page.path("name").asText()).isEqualTo("library/alpine");
    assertThat(page.path("canDelete").asBoolean()).isTrue();
    JsonNode tags = page.path("tags");
    assertThat(tags).hasSize(2);
    JsonNode t = row(tags, "tag", "3.19");
    assertThat(t.path("digest").asText()).isEqualTo(alpine.digest().toString());
    assertThat(t.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(t.path("kind").asText()).isEqualTo("image");
    assertThat(t.path("artifactType").isNull()).isTrue();
    assertThat(t.path("platforms").toString()).isEqualTo("[\"linux/amd64\"]");
    assertThat(t.path("size").asLong()).isEqualTo(alpine.totalSize());
    assertThat(t.path("pushedAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
    assertThat(row(tags, "tag", "latest").path("pushedAt").asText())
        .isEqualTo("2026-11-20T11:00:00Z");
    assertThat(page.path("untagged")).isEmpty();
  }

  @Test
  void tagsOfAMultiPlatformIndexListItsChildrenAsUntagged() {
    JsonNode page = ok("/api/tags/multi/app");

    JsonNode t = row(page.path("tags"), "tag", "1.0");
    assertThat(t.path("kind").asText()).isEqualTo("index");
    assertThat(t.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(t.path("platforms").toString()).isEqualTo("[\"linux/amd64\",\"linux/arm64\"]");
    assertThat(t.path("size").asLong()).isEqualTo(index.totalSize());
    JsonNode untagged = page.path("untagged");
    assertThat(untagged).hasSize(2);
    assertThat(row(untagged, "digest", arm64.digest().toString()).path("platforms").toString())
        .isEqualTo("[\"linux/arm64\"]");
    assertThat(page.path("untaggedComplete").asBoolean()).isTrue();
  }

  @Test
  void tagsOfArtifactsCarryTheirArtifactType() {
    JsonNode page = ok("/api/tags/artifacts/sbom");

    JsonNode c = row(page.path("tags"), "tag", "chart");
    assertThat(c.path("kind").asText()).isEqualTo("artifact");
    assertThat(c.path("artifactType").asText()).isEqualTo("application/vnd.example.chart");
    assertThat(c.path("platforms")).isEmpty();
    assertThat(c.path("size").asLong()).isEqualTo(chart.totalSize());
    JsonNode referrer = row(page.path("untagged"), "digest", sbom.digest().toString());
    assertThat(referrer.path("kind").asText()).isEqualTo("artifact");
    assertThat(referrer.path("artifactType").asText()).isEqualTo("application/spdx+json");
    assertThat(referrer.path("pushedAt").asText()).isEqualTo("2026-11-20T13:05:00Z");
  }

  @Test
  void manifestOfAnImageWithConfigSummaryLayersAndAnnotations() {
    JsonNode m = ok("/api/manifest/library/alpine?ref=3.19");

    assertThat(m.path("digest").asText()).isEqualTo(alpine.digest().toString());
    assertThat(m.path("reference").asText()).isEqualTo("3.19");
    assertThat(m.path("kind").asText()).isEqualTo("image");
    assertThat(m.path("tags").toString()).isEqualTo("[\"3.19\",\"latest\"]");
    assertThat(m.path("size").asLong()).isEqualTo(alpine.totalSize());
    assertThat(m.path("pushedAt").asText()).isEqualTo("2026-11-20T11:00:00Z");
    assertThat(m.path("manifest")).isEqualTo(UiServer.JSON.valueToTree(parse(alpine.bytes())));
    JsonNode config = m.path("config");
    assertThat(config.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.config.v1+json");
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    assertThat(config.path("created").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(config.path("entrypoint").toString()).isEqualTo("[\"/bin/sh\",\"-c\"]");
    assertThat(config.path("cmd").toString()).isEqualTo("[\"echo hello\"]");
    assertThat(config.path("labels").path("org.opencontainers.image.title").asText())
        .isEqualTo("alpine");
    JsonNode layers = m.path("layers");
    assertThat(layers).hasSize(1);
    assertThat(layers.get(0).path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
    assertThat(layers.get(0).path("size").asLong()).isPositive();
    assertThat(m.path("annotations").path("org.opencontainers.image.version").asText())
        .isEqualTo("3.19");
    assertThat(m.path("children")).isEmpty();
    assertThat(m.path("referrers")).isEmpty();
    assertThat(m.path("subject").isNull()).isTrue();
    // The same by digest.
    assertThat(ok("/api/manifest/library/alpine?ref=" + alpine.digest()).path("digest").asText())
        .isEqualTo(alpine.digest().toString());
  }

  @Test
  void manifestOfAnIndexListsItsChildrenWithPlatforms() {
    JsonNode m = ok("/api/manifest/multi/app?ref=1.0");

    assertThat(m.path("kind").asText()).isEqualTo("index");
    assertThat(m.path("config").isNull()).isTrue();
    JsonNode children = m.path("children");
    assertThat(children).hasSize(2);
    assertThat(children.get(0).path("digest").asText()).isEqualTo(amd64.digest().toString());
    assertThat(children.get(0).path("platform").asText()).isEqualTo("linux/amd64");
    assertThat(children.get(0).path("kind").asText()).isEqualTo("image");
    assertThat(children.get(0).path("present").asBoolean()).isTrue();
    assertThat(children.get(1).path("platform").asText()).isEqualTo("linux/arm64");
    assertThat(children.get(1).path("size").asLong()).isEqualTo(arm64.bytes().length);
  }

  @Test
  void manifestShowsItsReferrersAndAReferrerItsSubject() {
    JsonNode image = ok("/api/manifest/artifacts/sbom?ref=v1");
    JsonNode referrers = image.path("referrers");
    assertThat(referrers).hasSize(1);
    assertThat(referrers.get(0).path("digest").asText()).isEqualTo(sbom.digest().toString());
    assertThat(referrers.get(0).path("artifactType").asText()).isEqualTo("application/spdx+json");
    assertThat(referrers.get(0).path("annotations").path("org.example.kind").asText())
        .isEqualTo("sbom");

    JsonNode artifact = ok("/api/manifest/artifacts/sbom?ref=" + sbom.digest());
    assertThat(artifact.path("kind").asText()).isEqualTo("artifact");
    assertThat(artifact.path("artifactType").asText()).isEqualTo("application/spdx+json");
    assertThat(artifact.path("tags")).isEmpty();
    assertThat(artifact.path("subject").path("digest").asText()).isEqualTo(app.digest().toString());
    assertThat(artifact.path("subject").path("size").asLong()).isEqualTo(app.bytes().length);
    // An artifact's empty config is shown as a descriptor only.
    assertThat(artifact.path("config").path("mediaType").asText())
        .isEqualTo("application/vnd.oci.empty.v1+json");
    assertThat(artifact.path("config").path("os").isNull()).isTrue();
  }

  @Test
  void unknownAndInvalidNamesAndReferencesAreSpecErrors() {
    assertError(server.get("/api/tags/no/such"), 404, "NAME_UNKNOWN");
    assertError(server.get("/api/manifest/library/alpine?ref=nope"), 404, "MANIFEST_UNKNOWN");
    assertError(
        server.get("/api/manifest/library/alpine?ref=sha256:" + "9".repeat(64)),
        404,
        "MANIFEST_UNKNOWN");
    assertError(server.get("/api/tags/Upper/Case"), 400, "NAME_INVALID");
    assertError(server.get("/api/tags/"), 400, "NAME_INVALID");
    assertError(server.get("/api/manifest/library/alpine"), 400, "UNSUPPORTED");
  }

  static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(UiServletTest.type(r)).isEqualTo("application/json;charset=utf-8");
    assertThat(UiServer.json(r).path("errors").get(0).path("code").asText()).isEqualTo(code);
    UiServletTest.assertSecurityHeaders(r);
  }

  private static Object parse(byte[] json) {
    try {
      return UiServer.JSON.readValue(json, Object.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
