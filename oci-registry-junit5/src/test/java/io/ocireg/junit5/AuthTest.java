package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import land.oras.ContainerRef;
import land.oras.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic authentication on demand: Jib and ORAS log in; anonymous and wrong credentials get 401. */
@OciRegistryTest(users = {"alice:s3cret", "bob:pa:ss"})
class AuthTest {

  @Test
  void jibPushesWithTheConfiguredCredentials(OciRegistry registry, @TempDir Path work)
      throws Exception {
    assertThat(registry.credentials()).contains(new Credentials("alice", "s3cret"));
    assertThat(registry.users()).extracting(Credentials::username).containsExactly("alice", "bob");

    Clients.jibPush(registry, "private/app:1", work, "secret layer");

    assertThat(registry.tags("private/app")).containsExactly("1");
    assertThat(registry.journal().requests(r -> r.status() == 401))
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r.responseHeader("WWW-Authenticate"))
                    .contains("Basic realm=\"ocireg\""));
  }

  @Test
  void orasPushesAndPullsWithTheConfiguredCredentials(OciRegistry registry, @TempDir Path work)
      throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("private/card:1"));
    OrasTest.pushCard(registry, ref, work);
    assertThat(registry.manifest("private/card", "1")).isPresent();

    Path out = Files.createDirectories(work.resolve("out"));
    Clients.oras(registry).pullArtifact(ref, out, true);
    assertThat(Files.readString(out.resolve("agent-card.json"))).isEqualTo(OrasTest.CARD);
    // ORAS sends its credentials up front: no challenge is needed, every request succeeded.
    assertThat(registry.journal().requests(r -> r.status() == 401)).isEmpty();

    Path anonymousOut = Files.createDirectories(work.resolve("anonymous"));
    assertThatThrownBy(
            () ->
                Registry.builder()
                    .defaults()
                    .withInsecure(true)
                    .build()
                    .pullArtifact(ref, anonymousOut, true))
        // ORAS only answers Bearer challenges: it gives up on the Basic one.
        .hasStackTraceContaining("Basic realm=\"ocireg\"");
    assertThat(anonymousOut).isEmptyDirectory();
    assertThat(registry.journal().requests(r -> r.status() == 401)).hasSize(1);
  }

  @Test
  void anonymousAndWrongCredentialsAreRefusedWithTheSpecsErrorBody(OciRegistry registry)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI tags = URI.create(registry.baseUri() + "v2/private/app/tags/list");

    HttpResponse<String> anonymous =
        http.send(HttpRequest.newBuilder(tags).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("\"code\":\"UNAUTHORIZED\"");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"ocireg\"");

    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(tags)
                .header("Authorization", new Credentials("alice", "wrong").basicAuthorization())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);

    HttpResponse<String> second =
        http.send(
            HttpRequest.newBuilder(tags)
                .header("Authorization", new Credentials("bob", "pa:ss").basicAuthorization())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(second.statusCode()).isEqualTo(404); // authenticated; the repository is unknown
  }

  @Test
  void jibWithoutCredentialsIsUnauthorized(OciRegistry registry, @TempDir Path work) {
    assertThatThrownBy(
            () ->
                Clients.fromScratch(
                        Clients.file(work.resolve("s"), "a.txt", "a"),
                        com.google.cloud.tools.jib.api.buildplan.ImageFormat.OCI)
                    .containerize(
                        Clients.jibTo(
                            registry.imageReference("private/app:1"),
                            java.util.Optional.empty(),
                            work)))
        .hasStackTraceContaining("Unauthorized");
    assertThat(registry.tags("private/app")).isEmpty();
  }
}
