package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server serves the web UI at {@code /} next to {@code /v2/}, with the same
 * credentials, keeps answering unknown paths with the JSON 404, and runs without it when told.
 */
class WebUiServerTest {
  private static final String NOT_FOUND =
      "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"not found\"}]}";

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(
      OciRegistryServer server, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(OciRegistryServer server, String path, String... headers)
      throws Exception {
    return send(server, "GET", path, null, headers);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static void pushImage(OciRegistryServer server, String repository) {
    RepositoryName repo = RepositoryName.parse(repository);
    byte[] config =
        "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
    byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
    for (byte[] b : List.of(config, layer)) {
      server.registry().uploadWhole(repo, Digest.sha256(b), new ByteArrayInputStream(b), b.length);
    }
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":"
            + Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length).toJson()
            + ",\"layers\":["
            + Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(layer), layer.length).toJson()
            + "]}";
    server
        .registry()
        .putManifest(
            repo, Tag.parse("1.0"), MediaType.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void servesTheUiAtTheRootAndStillAnswersUnknownPathsWithJson404() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().start()) {
      pushImage(server, "library/alpine");

      HttpResponse<String> page = get(server, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
      assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
          .contains("default-src 'none'");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

      HttpResponse<String> repos = get(server, "/api/repos");
      assertThat(repos.statusCode()).isEqualTo(200);
      assertThat(repos.body()).contains("\"name\":\"library/alpine\"", "\"tags\":1");
      assertThat(get(server, "/health").body()).isEqualTo("{\"status\":\"ok\"}");

      for (String path : new String[] {"/nothing/here", "/v3/", "/api/nothing"}) {
        HttpResponse<String> r = get(server, path);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).as(path).isEqualTo(NOT_FOUND);
      }
      assertThat(get(server, "/v2/").statusCode()).isEqualTo(200);
      assertThat(get(server, "/livez").body()).isEqualTo("ok\n");
    }
  }

  @Test
  void aDeleteThroughTheUiIsGoneForRegistryClients() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().start()) {
      pushImage(server, "library/alpine");

      HttpResponse<String> r =
          send(
              server,
              "POST",
              "/api/delete",
              "{\"repository\":\"library/alpine\",\"tag\":\"1.0\"}",
              "Content-Type",
              "application/json",
              "X-Requested-By",
              "ocireg");

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(get(server, "/v2/library/alpine/tags/list").body()).doesNotContain("1.0");
    }
  }

  @Test
  void theUiUsesTheServersCredentials() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().user("alice", "pw").start()) {
      pushImage(server, "team/app");

      HttpResponse<String> anonymous = get(server, "/api/tags/team/app");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse(""))
          .startsWith("Basic ");
      assertThat(get(server, "/api/repos").body()).doesNotContain("team/app");

      HttpResponse<String> alice =
          get(server, "/api/tags/team/app", "Authorization", basic("alice", "pw"));
      assertThat(alice.statusCode()).isEqualTo(200);
      assertThat(alice.body()).contains("\"canDelete\":true");
    }
  }

  @Test
  void garbageCollectionFromTheUiFollowsTheAdminEndpoints(@TempDir Path dir) throws Exception {
    String[] page = {"Content-Type", "application/json", "X-Requested-By", "ocireg"};
    try (OciRegistryServer off = OciRegistryServer.builder().start()) {
      assertThat(get(off, "/api/session").body()).contains("\"gcAvailable\":false");
      assertThat(send(off, "POST", "/api/gc", "{}", page).statusCode()).isEqualTo(404);
    }
    try (OciRegistryServer on =
        OciRegistryServer.builder()
            .options(
                ServerOptions.defaults()
                    .withStorageDirectory(dir)
                    .withMaintenance(MaintenanceOptions.defaults().withAdminEndpoints(true)))
            .user("alice", "pw")
            .start()) {
      assertThat(get(on, "/api/session", "Authorization", basic("alice", "pw")).body())
          .contains("\"canAdmin\":true", "\"gcAvailable\":true");
      assertThat(send(on, "POST", "/api/gc", "{}", page).statusCode()).isEqualTo(401);
      String[] asAlice = {
        "Content-Type",
        "application/json",
        "X-Requested-By",
        "ocireg",
        "Authorization",
        basic("alice", "pw")
      };
      HttpResponse<String> report = send(on, "POST", "/api/gc", "{}", asAlice);
      assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
      assertThat(report.body()).startsWith("{");
    }
  }

  @Test
  void noUiLeavesOnlyTheJson404() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().ui(false).start()) {
      for (String path : new String[] {"/", "/api/repos", "/health", "/index.html"}) {
        HttpResponse<String> r = get(server, path);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).as(path).isEqualTo(NOT_FOUND);
      }
      assertThat(get(server, "/v2/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theUiIsOnByDefaultAndEveryConfigurationSourceTurnsItOff() throws Exception {
    assertThat(options(List.of(), Map.of()).ui()).isTrue();
    assertThat(options(List.of("--no-ui"), Map.of()).ui()).isFalse();
    assertThat(options(List.of("--ui", "false"), Map.of()).ui()).isFalse();
    assertThat(options(List.of(), Map.of("OCIREG_UI", "false")).ui()).isFalse();
    Path file = Files.createTempFile("ocireg", ".yaml");
    try {
      Files.writeString(file, "ui: false\n");
      assertThat(options(List.of("--config", file.toString()), Map.of()).ui()).isFalse();
      // A flag beats the file.
      assertThat(options(List.of("--config", file.toString(), "--ui", "true"), Map.of()).ui())
          .isTrue();
    } finally {
      Files.delete(file);
    }
    assertThat(CommandLine.usage()).contains("--no-ui", "--ui", "OCIREG_UI");
  }

  private static ServerOptions options(List<String> args, Map<String, String> env)
      throws Exception {
    CommandLine c = CommandLine.parse(args, env);
    assertThat(c).isInstanceOf(CommandLine.Run.class);
    return ((CommandLine.Run) c).options();
  }
}
