package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A fresh registry on a fresh Jetty per test, over the backend the parameterized subclass runs
 * with, plus assertions on the spec's error body.
 */
abstract class HttpTestBase {
  private static final Pattern ERROR_BODY =
      Pattern.compile(
          "\\{\"errors\":\\[\\{\"code\":\"([A-Z_]+)\",\"message\":\"(?:[^\"\\\\]|\\\\.)*\""
              + "(?:,\"detail\":\"(?:[^\"\\\\]|\\\\.)*\")?\\}\\]\\}");

  @Parameter Backend backend;

  @TempDir Path dir;

  RegistryServer server;

  @BeforeEach
  void startServer() {
    server = RegistryServer.start(backend.open(dir));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** A manifest as pushed: its digest and exact bytes. */
  record Pushed(Digest digest, byte[] bytes) {}

  /**
   * Pushes an image manifest to {@code repository} under {@code reference}: a config blob and one
   * layer blob whose contents derive from {@code seed}, so that different seeds give different
   * digests.
   */
  Pushed pushImage(String repository, String reference, String seed) {
    return pushImage(repository, reference, image(repository, seed));
  }

  Pushed pushImage(String repository, String reference, TestManifest manifest) {
    return pushImage(repository, reference, manifest.bytes());
  }

  Pushed pushImage(String repository, String reference, byte[] bytes) {
    Digest digest = server.pushManifest(repository, reference, TestManifest.OCI_MANIFEST, bytes);
    assertThat(digest).isEqualTo(Digest.sha256(bytes));
    return new Pushed(digest, bytes);
  }

  /** An image manifest whose config and layer blobs are pushed to {@code repository}. */
  TestManifest image(String repository, String seed) {
    byte[] config = ("{\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = ("layer of " + seed).getBytes(StandardCharsets.UTF_8);
    Digest c = server.pushBlob(repository, config);
    Digest l = server.pushBlob(repository, layer);
    return TestManifest.image(TestManifest.descriptor(TestManifest.OCI_CONFIG, c, config.length))
        .layer(TestManifest.descriptor(TestManifest.OCI_LAYER, l, layer.length));
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static String header(HttpResponse<byte[]> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** Asserts the status, a JSON content type and the spec's error body with {@code code}. */
  static void assertError(HttpResponse<byte[]> r, int status, String code) {
    assertThat(r.statusCode()).as("status, body %s", text(r)).isEqualTo(status);
    assertErrorBody(header(r, "Content-Type"), text(r), code);
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  static void assertErrorBody(String contentType, String body, String code) {
    assertThat(contentType).startsWith("application/json");
    var m = ERROR_BODY.matcher(body);
    assertThat(m.matches()).as("error body shape: %s", body).isTrue();
    assertThat(m.group(1)).isEqualTo(code);
  }

  /** Asserts a HEAD error: status and headers, and no body. */
  static void assertHeadError(HttpResponse<byte[]> r, int status) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEmpty();
  }
}
