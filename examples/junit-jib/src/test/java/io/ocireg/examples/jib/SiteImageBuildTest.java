package io.ocireg.examples.jib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.junit5.OciRegistry;
import io.ocireg.junit5.OciRegistryTest;
import io.ocireg.junit5.StoredManifest;
import io.ocireg.server.RequestJournal;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build step against a real registry in this JVM: one per test, on a free port, asking for a
 * login like a CI registry would.
 */
@OciRegistryTest(users = "ci:ci-secret")
class SiteImageBuildTest {
  @TempDir Path work;
  private Path site;

  @BeforeEach
  void site() throws IOException {
    site = Files.createDirectories(work.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<h1>Hello</h1>\n");
    Files.createDirectories(site.resolve("docs"));
    Files.writeString(site.resolve("docs/guide.html"), "<h1>Guide</h1>\n");
    Files.createDirectories(site.resolve("assets"));
    Files.writeString(site.resolve("assets/logo.svg"), "<svg/>\n");
  }

  private SiteImageBuild build(OciRegistry registry, String repositoryAndTag) {
    return SiteImageBuild.of(site, registry.imageReference(repositoryAndTag))
        .credentials("ci", "ci-secret")
        .allowInsecureRegistry()
        .cacheDirectory(work.resolve("jib-cache"));
  }

  private static ImageManifest parse(StoredManifest stored) {
    return (ImageManifest) Manifest.parse(stored.content(), MediaType.parse(stored.mediaType()));
  }

  @Test
  void pushesTheSiteAsAnAssetsLayerAndAPagesLayerUnderSite(OciRegistry registry) throws Exception {
    String digest = build(registry, "web/site:1.0").run();

    StoredManifest stored = registry.manifest("web/site", "1.0").orElseThrow();
    assertThat(stored.digest()).isEqualTo(digest);
    assertThat(stored.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    ImageManifest manifest = parse(stored);
    assertThat(manifest.layers()).hasSize(2);
    assertThat(TarEntries.files(layer(registry, manifest, 0)))
        .containsOnlyKeys("site/assets/logo.svg");
    assertThat(TarEntries.files(layer(registry, manifest, 1)))
        .containsOnlyKeys("site/docs/guide.html", "site/index.html")
        .containsEntry("site/index.html", "<h1>Hello</h1>\n");
    String config =
        new String(
            registry.blob("web/site", manifest.config().digest().toString()),
            StandardCharsets.UTF_8);
    assertThat(config).contains("\"" + SiteImageBuild.TITLE_LABEL + "\":\"site\"");
  }

  @Test
  void uploadsEachBlobOnceAndPushesTheManifestUnderEveryTag(OciRegistry registry) throws Exception {
    String digest = build(registry, "web/site:1.0").tag("latest").run();

    RequestJournal journal = registry.journal();
    assertThat(journal.manifestPushes())
        .extracting(RequestJournal.ManifestPush::reference)
        .containsExactlyInAnyOrder("1.0", "latest");
    assertThat(journal.manifestPushes()).allSatisfy(p -> assertThat(p.digest()).contains(digest));
    List<String> expected =
        parse(registry.manifest("web/site", "latest").orElseThrow()).references().stream()
            .map(d -> d.digest().toString())
            .toList();
    assertThat(journal.uploads())
        .extracting(RequestJournal.BlobUpload::digest)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(registry.tags("web/site")).containsExactlyInAnyOrder("1.0", "latest");
  }

  @Test
  void rebuildsUnchangedFilesToTheSameDigestWithoutUploadingAnything(OciRegistry registry)
      throws Exception {
    String first = build(registry, "web/site:1.0").run();
    registry.journal().reset();

    String second = build(registry, "web/site:1.1").run();

    assertThat(second).isEqualTo(first);
    assertThat(registry.journal().uploads()).isEmpty();
    assertThat(registry.journal().manifestPushes())
        .singleElement()
        .satisfies(p -> assertThat(p.reference()).isEqualTo("1.1"));
  }

  @Test
  void reuploadsOnlyThePagesLayerAndTheConfigAfterAPageChanged(OciRegistry registry)
      throws Exception {
    build(registry, "web/site:1").run();
    ImageManifest before = parse(registry.manifest("web/site", "1").orElseThrow());
    registry.journal().reset();

    Files.writeString(site.resolve("index.html"), "<h1>Hello again</h1>\n");
    build(registry, "web/site:2").run();

    ImageManifest after = parse(registry.manifest("web/site", "2").orElseThrow());
    assertThat(after.layers().get(0)).isEqualTo(before.layers().get(0));
    assertThat(after.layers().get(1).digest()).isNotEqualTo(before.layers().get(1).digest());
    assertThat(registry.journal().uploads())
        .extracting(RequestJournal.BlobUpload::digest)
        .containsExactlyInAnyOrder(
            after.layers().get(1).digest().toString(), after.config().digest().toString());
  }

  @Test
  void failsWithoutCredentialsAndLeavesTheRegistryEmpty(OciRegistry registry) {
    SiteImageBuild anonymous =
        SiteImageBuild.of(site, registry.imageReference("web/site:1.0"))
            .allowInsecureRegistry()
            .cacheDirectory(work.resolve("jib-cache"));

    assertThatThrownBy(anonymous::run).isInstanceOf(IOException.class);
    assertThat(registry.repositories()).isEmpty();
    assertThat(registry.journal().requests(r -> r.status() == 401)).isNotEmpty();
  }

  private static byte[] layer(OciRegistry registry, ImageManifest manifest, int index) {
    Descriptor layer = manifest.layers().get(index);
    return registry.blob("web/site", layer.digest().toString());
  }
}
