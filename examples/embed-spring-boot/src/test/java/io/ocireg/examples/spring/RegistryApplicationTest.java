package io.ocireg.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RegistryApplicationTest {
  private static final byte[] CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);

  @LocalServerPort int port;
  private URI base;
  private OciClient anonymous;
  private OciClient reader;
  private OciClient writer;

  @BeforeEach
  void clients() {
    base = URI.create("http://localhost:" + port);
    anonymous = OciClient.anonymous(base);
    reader = OciClient.as(base, "reader", "reader-secret");
    writer = OciClient.as(base, "writer", "writer-secret");
  }

  /** Pushes a one-layer image as {@code writer}; returns its manifest. */
  private byte[] pushImage(String repository, String tag, String layerText) throws Exception {
    byte[] layer = layerText.getBytes(StandardCharsets.UTF_8);
    byte[] manifest = OciClient.imageManifest(CONFIG, layer);
    assertThat(writer.pushBlob(repository, CONFIG).statusCode()).isEqualTo(201);
    assertThat(writer.pushBlob(repository, layer).statusCode()).isEqualTo(201);
    assertThat(writer.pushManifest(repository, tag, manifest).statusCode()).isEqualTo(201);
    return manifest;
  }

  @Test
  void asksAnAnonymousCallerToLogInAtTheVersionCheck() throws Exception {
    HttpResponse<String> response = anonymous.getText("/v2/");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"demo-app\"");
    assertThat(response.body()).contains("\"code\":\"UNAUTHORIZED\"");
  }

  @Test
  void letsEveryApplicationUserPassTheVersionCheck() throws Exception {
    assertThat(reader.getText("/v2/").statusCode()).isEqualTo(200);
    assertThat(writer.getText("/v2/").statusCode()).isEqualTo(200);
  }

  @Test
  void refusesAWrongPasswordWithTheSpecsErrorBody() throws Exception {
    HttpResponse<String> response = OciClient.as(base, "reader", "wrong").getText("/v2/");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"demo-app\"");
    assertThat(response.body()).contains("\"code\":\"UNAUTHORIZED\"");
  }

  @Test
  void letsAUserInThePublisherRolePushAndPullBack() throws Exception {
    byte[] manifest = pushImage("team/app", "1.0", "writer's layer");

    HttpResponse<byte[]> pulled = writer.get("/v2/team/app/manifests/1.0", OciClient.MANIFEST_TYPE);
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);
    HttpResponse<byte[]> config =
        writer.get("/v2/team/app/blobs/" + OciClient.digest(CONFIG), null);
    assertThat(config.body()).isEqualTo(CONFIG);
    // Content-addressed: Spring Security's default "no-store" is switched off for the registry.
    assertThat(config.headers().allValues("Cache-Control")).noneMatch(v -> v.contains("no-store"));
  }

  @Test
  void letsAReaderPullButNotPush() throws Exception {
    byte[] manifest = pushImage("team/lib", "2.0", "library layer");

    HttpResponse<byte[]> pulled = reader.get("/v2/team/lib/manifests/2.0", OciClient.MANIFEST_TYPE);
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);

    HttpResponse<String> blobPush =
        reader.pushBlob("team/lib", "mine".getBytes(StandardCharsets.UTF_8));
    assertThat(blobPush.statusCode()).isEqualTo(403);
    assertThat(blobPush.body()).contains("\"code\":\"DENIED\"");
    HttpResponse<String> manifestPush = reader.pushManifest("team/lib", "2.0", manifest);
    assertThat(manifestPush.statusCode()).isEqualTo(403);
  }

  @Test
  void asksAnAnonymousCallerToLogInBeforeAPull() throws Exception {
    pushImage("team/private", "1", "private layer");

    HttpResponse<byte[]> response =
        anonymous.get("/v2/team/private/manifests/1", OciClient.MANIFEST_TYPE);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"demo-app\"");
  }

  @Test
  void servesTheApplicationsOwnEndpointsWithTheSameUsers() throws Exception {
    HttpResponse<String> hello = reader.getText("/hello");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).startsWith("hello, reader");
    assertThat(anonymous.getText("/hello").statusCode()).isEqualTo(401);

    HttpResponse<String> health = anonymous.getText("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }
}
