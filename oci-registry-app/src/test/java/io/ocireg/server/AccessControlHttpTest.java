package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.core.auth.AccessRule;
import io.ocireg.spec.Digest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Basic mode over HTTP: htpasswd users, rules, catalog filtering, mounts, throttling, reload. */
class AccessControlHttpTest {
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private OciRegistryServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static String htpasswdLine(String user, String password) {
    // As htpasswd -B writes it: the $2y$ prefix.
    return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt("$2y", 5));
  }

  private Path htpasswd(String... lines) throws IOException {
    Path file = dir.resolve("htpasswd");
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    return file;
  }

  private OciRegistryServer start(SecurityOptions security) {
    server = OciRegistryServer.builder().security(security).start();
    return server;
  }

  private SecurityOptions basicWithRules(String... rules) throws IOException {
    return SecurityOptions.defaults()
        .withHtpasswd(
            java.util.Optional.of(
                htpasswd(
                    htpasswdLine("alice", "alice-pw"),
                    htpasswdLine("bob", "bob-pw"),
                    htpasswdLine("carol", "carol-pw"))))
        .withRules(java.util.Arrays.stream(rules).map(AccessRule::parse).toList());
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> send(String method, String path, String auth, byte[] body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Pushes a blob monolithically as {@code auth}; returns its digest. */
  Digest pushBlob(String repo, String content, String auth) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(bytes);
    HttpResponse<String> r =
        send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, auth, bytes);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return d;
  }

  void pushManifest(String repo, String tag, String auth) throws Exception {
    Digest config = pushBlob(repo, "{}", auth);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + config
            + "\",\"size\":2},\"layers\":[]}";
    HttpRequest r =
        HttpRequest.newBuilder(server.baseUri().resolve("/v2/" + repo + "/manifests/" + tag))
            .header("Authorization", auth)
            .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString(manifest))
            .build();
    assertThat(http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
  }

  @Test
  void versionCheckAsksAnonymousCallersToLogInWithBasic() throws Exception {
    start(basicWithRules());

    HttpResponse<String> r = send("GET", "/v2/", null, null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"ocireg\"");
    assertThat(r.body()).contains("\"code\":\"UNAUTHORIZED\"");
    assertThat(send("GET", "/livez", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/readyz", null, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v2/", basic("alice", "alice-pw"), null).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongPasswordAndUnknownUserAreUnauthorized() throws Exception {
    start(basicWithRules());

    HttpResponse<String> wrong = send("GET", "/v2/", basic("alice", "nope"), null);
    HttpResponse<String> unknown = send("GET", "/v2/", basic("mallory", "alice-pw"), null);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("UNAUTHORIZED").doesNotContain("nope");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void pushWithPullOnlyRightsIsDenied() throws Exception {
    start(basicWithRules("user:alice ** pull,push,delete", "user:bob team/* pull"));
    pushManifest("team/app", "v1", basic("alice", "alice-pw"));

    HttpResponse<String> pull =
        send("GET", "/v2/team/app/manifests/v1", basic("bob", "bob-pw"), null);
    HttpResponse<String> push =
        send("POST", "/v2/team/app/blobs/uploads/", basic("bob", "bob-pw"), null);

    assertThat(pull.statusCode()).isEqualTo(200);
    assertThat(push.statusCode()).isEqualTo(403);
    assertThat(push.body()).contains("\"code\":\"DENIED\"");
  }

  @Test
  void deleteWithoutDeleteRightIsDenied() throws Exception {
    start(basicWithRules("user:alice ** pull,push,delete", "user:bob ** pull,push"));
    Digest blob = pushBlob("team/app", "layer", basic("bob", "bob-pw"));

    HttpResponse<String> delete =
        send("DELETE", "/v2/team/app/blobs/" + blob, basic("bob", "bob-pw"), null);

    assertThat(delete.statusCode()).isEqualTo(403);
    assertThat(
            send("HEAD", "/v2/team/app/blobs/" + blob, basic("bob", "bob-pw"), null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void mountWithoutPullRightOnTheSourceFallsBackToAnUploadAndLeaksNothing() throws Exception {
    start(basicWithRules("user:alice ** pull,push", "user:bob bob/** pull,push"));
    Digest secret = pushBlob("private/app", "secret layer", basic("alice", "alice-pw"));

    HttpResponse<String> mount =
        send(
            "POST",
            "/v2/bob/app/blobs/uploads/?mount=" + secret + "&from=private/app",
            basic("bob", "bob-pw"),
            null);

    assertThat(mount.statusCode()).isEqualTo(202);
    assertThat(mount.headers().firstValue("Location")).isPresent();
    assertThat(
            send("HEAD", "/v2/bob/app/blobs/" + secret, basic("bob", "bob-pw"), null).statusCode())
        .isEqualTo(404);
    // With pull rights on the source the same mount succeeds.
    HttpResponse<String> allowed =
        send(
            "POST",
            "/v2/alice/app/blobs/uploads/?mount=" + secret + "&from=private/app",
            basic("alice", "alice-pw"),
            null);
    assertThat(allowed.statusCode()).isEqualTo(201);
  }

  @Test
  void catalogListsOnlyPullableRepositoriesInFullPages() throws Exception {
    start(basicWithRules("user:alice ** pull,push", "user:bob team/** pull"));
    for (String repo : List.of("a/x", "team/one", "b/y", "team/two", "c/z", "team/three")) {
      pushBlob(repo, repo, basic("alice", "alice-pw"));
    }

    HttpResponse<String> first = send("GET", "/v2/_catalog?n=2", basic("bob", "bob-pw"), null);
    assertThat(first.body()).isEqualTo("{\"repositories\":[\"team/one\",\"team/three\"]}");
    assertThat(first.headers().firstValue("Link")).get().asString().contains("last=team%2Fthree");
    HttpResponse<String> second =
        send("GET", "/v2/_catalog?n=2&last=team/three", basic("bob", "bob-pw"), null);
    assertThat(second.body()).isEqualTo("{\"repositories\":[\"team/two\"]}");
    assertThat(second.headers().firstValue("Link")).isEmpty();
    HttpResponse<String> carol = send("GET", "/v2/_catalog", basic("carol", "carol-pw"), null);
    assertThat(carol.body()).isEqualTo("{\"repositories\":[]}");
  }

  @Test
  void anonymousPullIsOneOptionAndTheVersionCheckStillAsksForALogin() throws Exception {
    start(basicWithRules().withAnonymousPull(true));
    pushManifest("pub/app", "v1", basic("alice", "alice-pw"));

    assertThat(send("GET", "/v2/pub/app/manifests/v1", null, null).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/v2/pub/app/blobs/uploads/", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v2/", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void repeatedFailuresAreThrottledWith429AndRetryAfter() throws Exception {
    start(basicWithRules().withThrottling(3, java.time.Duration.ofMinutes(5)));
    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", "/v2/", basic("alice", "guess" + i), null).statusCode())
          .isEqualTo(401);
    }

    HttpResponse<String> r = send("GET", "/v2/", basic("alice", "alice-pw"), null);

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).contains("TOOMANYREQUESTS");
    assertThat(r.headers().firstValue("Retry-After").map(Long::parseLong))
        .get()
        .satisfies(s -> assertThat(s).isBetween(1L, 300L));
  }

  @Test
  void htpasswdFileIsReadAgainWhenItChanges() throws Exception {
    // Polling with a not-yet-valid user would otherwise be throttled.
    start(basicWithRules().withThrottling(1000, java.time.Duration.ofMinutes(1)));
    assertThat(send("GET", "/v2/", basic("dave", "dave-pw"), null).statusCode()).isEqualTo(401);

    Path file = dir.resolve("htpasswd");
    Files.write(
        file,
        List.of(htpasswdLine("alice", "alice-pw"), htpasswdLine("dave", "dave-pw")),
        StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

    int status = 0;
    // The file is looked at no more than once a second: poll (the test's bound is generous).
    for (int i = 0; i < 100 && status != 200; i++) {
      Thread.sleep(100);
      status = send("GET", "/v2/", basic("dave", "dave-pw"), null).statusCode();
    }
    assertThat(status).isEqualTo(200);
    assertThat(send("GET", "/v2/", basic("bob", "bob-pw"), null).statusCode()).isEqualTo(401);
  }

  @Test
  void nonBcryptEntriesAreRefusedAtStartNamingTheLine() throws Exception {
    Path file = htpasswd(htpasswdLine("alice", "pw"), "bob:$apr1$abcdefgh$0123456789abcdefghijkl");
    SecurityOptions security = SecurityOptions.defaults().withHtpasswd(java.util.Optional.of(file));

    assertThatThrownBy(() -> start(security))
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("'bob'")
        .hasMessageContaining("bcrypt")
        .hasMessageNotContaining("$apr1$");
  }

  @Test
  void adminEndpointsNeedTheAdminRight() throws Exception {
    ServerOptions options =
        ServerOptions.defaults()
            .withMaintenance(MaintenanceOptions.defaults().withAdminEndpoints(true))
            .withSecurity(basicWithRules("user:alice ** admin", "user:bob ** pull,push,delete"));
    server = OciRegistryServer.builder().options(options).start();

    assertThat(send("POST", "/admin/gc?dryRun=true", null, null).statusCode()).isEqualTo(401);
    assertThat(send("POST", "/admin/gc?dryRun=true", basic("bob", "bob-pw"), null).statusCode())
        .isEqualTo(403);
    assertThat(send("POST", "/admin/gc?dryRun=true", basic("alice", "alice-pw"), null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void builderUsersStillLogIn() throws Exception {
    server = OciRegistryServer.builder().user("u", "p").start();

    assertThat(send("GET", "/v2/", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v2/", basic("u", "p"), null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/v2/", basic("u", "x"), null).statusCode()).isEqualTo(401);
  }
}
