package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo against the packaged server: push in OCI and Docker schema 2 formats, a multi-platform
 * index, a copy between repositories by cross-repository mount, a restart, pulls with identical
 * digests, inspect, list-tags, delete, and the listings over plain HTTP. The steps build on each
 * other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SkopeoIT {
  @TempDir static Path work;
  static Path source;
  static Path storage;
  static RegistryProcess registry;
  static String pushedV2s2Manifest;
  static Skopeo skopeo;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void buildImagesAndStartRegistry() throws Exception {
    Tools.require("skopeo", "umoci");
    source = work.resolve("source");
    OciLayouts.build(source, work.resolve("scratch"));
    storage = work.resolve("storage");
    registry = RegistryProcess.start(storage);
    skopeo = Skopeo.in(work);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static String skopeo(String... args) {
    return skopeo.run(args);
  }

  private static String remote(String repoAndTag) {
    return "docker://" + registry.host() + "/" + repoAndTag;
  }

  @Test
  @Order(1)
  void pushesAnOciImageInOciAndDockerSchema2Formats() {
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--format",
        "oci",
        "oci:" + source + ":app",
        remote("e2e/app:oci"));
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--format",
        "v2s2",
        "oci:" + source + ":app",
        remote("e2e/app:v2s2"));

    String raw = skopeo("inspect", "--tls-verify=false", "--raw", remote("e2e/app:v2s2"));
    pushedV2s2Manifest = raw;
    assertThat(raw)
        .contains("application/vnd.docker.distribution.manifest.v2+json")
        .contains("application/vnd.docker.container.image.v1+json");
    raw = skopeo("inspect", "--tls-verify=false", "--raw", remote("e2e/app:oci"));
    assertThat(raw).contains("application/vnd.oci.image.config.v1+json").doesNotContain("docker");
  }

  @Test
  @Order(2)
  void pushesAMultiPlatformIndexWithAll() throws Exception {
    skopeo(
        "copy",
        "--all",
        "--dest-tls-verify=false",
        "oci:" + source + ":multi",
        remote("e2e/multi:latest"));
    JsonNode index =
        OciLayouts.json(
            skopeo("inspect", "--tls-verify=false", "--raw", remote("e2e/multi:latest")));
    assertThat(index.get("manifests")).hasSize(2);
  }

  @Test
  @Order(3)
  void copiesBetweenRepositoriesByCrossRepositoryMount() {
    skopeo(
        "copy",
        "--src-tls-verify=false",
        "--dest-tls-verify=false",
        remote("e2e/app:oci"),
        remote("e2e/copy:oci"));

    // Parameter order and escaping are the client's choice; the server answered 201: mounted.
    Pattern mount =
        Pattern.compile(
            "POST /v2/e2e/copy/blobs/uploads/\\?(\\S*&)?mount=sha256(:|%3A)[0-9a-f]{64}\\S* 201 ");
    Pattern from = Pattern.compile("[?&]from=e2e(/|%2F)app(&|\\s)");
    assertThat(registry.output())
        .as("access log of the copy")
        .anySatisfy(
            line -> {
              assertThat(mount.matcher(line).find()).as(line).isTrue();
              assertThat(from.matcher(line).find()).as(line).isTrue();
            });
  }

  @Test
  @Order(4)
  void keepsEverythingAcrossARestart() throws Exception {
    String before = skopeo("inspect", "--tls-verify=false", "--raw", remote("e2e/app:oci"));
    registry.close();
    assertThat(registry.output()).contains("ocireg stopped");
    registry = RegistryProcess.start(storage);
    String after = skopeo("inspect", "--tls-verify=false", "--raw", remote("e2e/app:oci"));
    assertThat(after).isEqualTo(before);
  }

  @Test
  @Order(5)
  void pullsBackIdenticalLayerAndConfigDigests() throws Exception {
    Path out = work.resolve("pulled");
    skopeo("copy", "--src-tls-verify=false", remote("e2e/app:oci"), "oci:" + out + ":oci");
    // A dir: destination keeps the Docker manifest as served, where oci: would convert it.
    Path v2s2 = work.resolve("pulled-v2s2");
    skopeo("copy", "--src-tls-verify=false", remote("e2e/app:v2s2"), "dir:" + v2s2);
    skopeo("copy", "--src-tls-verify=false", remote("e2e/copy:oci"), "oci:" + out + ":copy");

    List<String> expected = OciLayouts.configAndLayers(source, "app");
    assertThat(expected).hasSize(4);
    assertThat(OciLayouts.manifestDigest(out, "oci"))
        .isEqualTo(OciLayouts.manifestDigest(source, "app"));
    assertThat(OciLayouts.configAndLayers(out, "oci")).isEqualTo(expected);
    // Converting to schema 2 rewrites the config, so the config is the one skopeo pushed.
    JsonNode docker = OciLayouts.json(Files.readString(v2s2.resolve("manifest.json")));
    assertThat(Files.readString(v2s2.resolve("manifest.json"))).isEqualTo(pushedV2s2Manifest);
    List<String> dockerLayers = new ArrayList<>();
    docker.get("layers").forEach(l -> dockerLayers.add(l.get("digest").asText()));
    assertThat(dockerLayers).isEqualTo(expected.subList(1, 4));
    String dockerConfig = docker.get("config").get("digest").asText();
    assertThat(OciLayouts.sha256(Files.readAllBytes(v2s2.resolve(dockerConfig.substring(7)))))
        .isEqualTo(dockerConfig);
    assertThat(OciLayouts.configAndLayers(out, "copy")).isEqualTo(expected);
  }

  @Test
  @Order(6)
  void pullsEachPlatformOfTheIndex() throws Exception {
    Path out = work.resolve("platforms");
    for (String arch : List.of("amd64", "arm64")) {
      skopeo(
          "--override-arch",
          arch,
          "--override-os",
          "linux",
          "copy",
          "--src-tls-verify=false",
          remote("e2e/multi:latest"),
          "oci:" + out + ":" + arch);
    }
    assertThat(OciLayouts.manifestDigest(out, "amd64"))
        .isEqualTo(OciLayouts.manifestDigest(source, "amd"));
    assertThat(OciLayouts.manifestDigest(out, "arm64"))
        .isEqualTo(OciLayouts.manifestDigest(source, "arm"));
  }

  @Test
  @Order(7)
  void inspectsListsTagsAndDeletes() throws Exception {
    JsonNode info = OciLayouts.json(skopeo("inspect", "--tls-verify=false", remote("e2e/app:oci")));
    assertThat(info.get("Digest").asText()).isEqualTo(OciLayouts.manifestDigest(source, "app"));
    assertThat(info.get("Layers")).hasSize(3);

    JsonNode tags =
        OciLayouts.json(
            skopeo("list-tags", "--tls-verify=false", "docker://" + registry.host() + "/e2e/app"));
    assertThat(tags.get("Tags"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("oci", "v2s2");

    skopeo("delete", "--tls-verify=false", remote("e2e/copy:oci"));
    Tools.Result gone =
        skopeo.tryRun("inspect", "--tls-verify=false", "--raw", remote("e2e/copy:oci"));
    assertThat(gone.exitCode()).as(gone.output()).isNotZero();
    assertThat(get("v2/e2e/copy/manifests/oci").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(8)
  void servesTheCatalogPaginatedTagsAndProbes() throws Exception {
    HttpResponse<String> catalog = get("v2/_catalog");
    assertThat(catalog.statusCode()).isEqualTo(200);
    JsonNode repos = OciLayouts.json(catalog.body()).get("repositories");
    assertThat(repos).extracting(JsonNode::asText).contains("e2e/app", "e2e/multi");

    HttpResponse<String> first = get("v2/e2e/app/tags/list?n=1");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(OciLayouts.json(first.body()).get("tags"))
        .extracting(JsonNode::asText)
        .containsExactly("oci");
    String link = first.headers().firstValue("Link").orElseThrow();
    Matcher m = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
    assertThat(m.find()).as(link).isTrue();
    HttpResponse<String> second = get(m.group(1).replaceFirst("^/", ""));
    assertThat(OciLayouts.json(second.body()).get("tags"))
        .extracting(JsonNode::asText)
        .containsExactly("v2s2");
    assertThat(second.headers().firstValue("Link")).isEmpty();

    assertThat(get("livez").statusCode()).isEqualTo(200);
    assertThat(get("readyz").statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    URI uri = registry.baseUri().resolve(path);
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
