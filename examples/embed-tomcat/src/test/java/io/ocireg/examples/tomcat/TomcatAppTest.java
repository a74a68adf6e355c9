package io.ocireg.examples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.storage.fs.FileSystemStorage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TomcatAppTest {
  private static final byte[] CONFIG =
      "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAYER = "hello from a layer\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path data;
  private TomcatApp app;
  private OciClient client;

  @BeforeEach
  void start() throws Exception {
    app = TomcatApp.start("127.0.0.1", 0, FileSystemStorage.open(data));
    client = new OciClient(app.uri());
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
  }

  @Test
  void answersTheVersionCheckAtV2() throws Exception {
    HttpResponse<byte[]> response = client.get("/v2/", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Docker-Distribution-API-Version"))
        .contains("registry/2.0");
  }

  @Test
  void pushesABlobAndAManifestAndPullsThemBack() throws Exception {
    byte[] manifest = OciClient.imageManifest(CONFIG, LAYER);

    assertThat(client.pushBlob("demo/hello", CONFIG).statusCode()).isEqualTo(201);
    assertThat(client.pushBlob("demo/hello", LAYER).statusCode()).isEqualTo(201);
    HttpResponse<String> pushed = client.pushManifest("demo/hello", "1.0", manifest);
    assertThat(pushed.statusCode()).isEqualTo(201);
    assertThat(pushed.headers().firstValue("Docker-Content-Digest"))
        .contains(OciClient.digest(manifest));

    HttpResponse<byte[]> pulled =
        client.get("/v2/demo/hello/manifests/1.0", OciClient.MANIFEST_TYPE);
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);
    assertThat(pulled.headers().firstValue("Content-Type")).contains(OciClient.MANIFEST_TYPE);
    HttpResponse<byte[]> layer =
        client.get("/v2/demo/hello/blobs/" + OciClient.digest(LAYER), null);
    assertThat(layer.statusCode()).isEqualTo(200);
    assertThat(layer.body()).isEqualTo(LAYER);
  }

  @Test
  void servesTheApplicationsOwnServletsBesideTheRegistry() throws Exception {
    HttpResponse<String> hello = client.getText("/hello");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).startsWith("hello from the application");
    assertThat(hello.headers().firstValue("Docker-Distribution-API-Version")).isEmpty();

    HttpResponse<String> health = client.getText("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }

  @Test
  void leavesPathsOutsideV2ToTheApplication() throws Exception {
    HttpResponse<String> response = client.getText("/v3/");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).isEmpty();
  }

  @Test
  void answersUnknownContentWithTheSpecsErrorBody() throws Exception {
    HttpResponse<String> response = client.getText("/v2/demo/hello/manifests/missing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"code\":\"MANIFEST_UNKNOWN\"");
  }

  @Test
  void keepsPushedContentAcrossARestartOnTheSameDirectory() throws Exception {
    byte[] manifest = OciClient.imageManifest(CONFIG, LAYER);
    client.pushBlob("demo/hello", CONFIG);
    client.pushBlob("demo/hello", LAYER);
    assertThat(client.pushManifest("demo/hello", "1.0", manifest).statusCode()).isEqualTo(201);

    app.close();
    app = TomcatApp.start("127.0.0.1", 0, FileSystemStorage.open(data));
    client = new OciClient(app.uri());

    HttpResponse<byte[]> pulled =
        client.get("/v2/demo/hello/manifests/1.0", OciClient.MANIFEST_TYPE);
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);
  }
}
