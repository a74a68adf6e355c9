package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciRegistryServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void defaultsToLoopbackOnAFreePortOverMemory() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().start()) {
      assertThat(server.options().storageDirectory()).isEmpty();
      assertThat(server.port()).isPositive();
      assertThat(server.baseUri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));
      HttpResponse<String> r = get(server.baseUri(), "/v2/");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Docker-Distribution-API-Version"))
          .hasValue("registry/2.0");
    }
  }

  @Test
  void startAndCloseAreSafeTwiceButAClosedServerStaysClosed() throws Exception {
    OciRegistryServer server = OciRegistryServer.builder().build();
    assertThat(server.isStarted()).isFalse();
    assertThat(server.start()).isSameAs(server);
    int port = server.port();
    assertThat(server.start().port()).isEqualTo(port);
    server.close();
    server.close();
    assertThat(server.isStarted()).isFalse();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeBeforeStartIsAllowed() {
    OciRegistryServer server = OciRegistryServer.builder().build();
    server.close();
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void probesAnswerWhileStorageIsUsableAndReadinessFollowsTheStorage() throws Exception {
    GatedStorage storage = new GatedStorage();
    try (OciRegistryServer server = OciRegistryServer.builder().storage(storage).start()) {
      assertThat(get(server.baseUri(), "/livez").statusCode()).isEqualTo(200);
      assertThat(get(server.baseUri(), "/readyz").statusCode()).isEqualTo(200);

      storage.setUsable(false);
      HttpResponse<String> notReady = get(server.baseUri(), "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("disk unplugged");
      assertThat(get(server.baseUri(), "/livez").statusCode()).isEqualTo(200);

      storage.setUsable(true);
      assertThat(get(server.baseUri(), "/readyz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void leavesAGivenStorageOpenAndClosesItsOwn(@TempDir Path dir) throws Exception {
    GatedStorage given = new GatedStorage();
    OciRegistryServer.builder().storage(given).start().close();
    given.checkUsable();

    Path data = dir.resolve("data");
    try (OciRegistryServer server = OciRegistryServer.builder().storage(data).start()) {
      assertThat(get(server.baseUri(), "/readyz").statusCode()).isEqualTo(200);
    }
    assertThat(data).isDirectory();
  }

  @Test
  void keepsDataInTheStorageDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
    byte[] blob = "persistent".getBytes(StandardCharsets.UTF_8);
    String digest = sha256(blob);
    try (OciRegistryServer server = OciRegistryServer.builder().storage(dir).start()) {
      assertThat(pushBlob(server.baseUri(), "keep/me", blob, digest).statusCode()).isEqualTo(201);
    }
    try (OciRegistryServer server = OciRegistryServer.builder().storage(dir).start()) {
      HttpResponse<String> r = get(server.baseUri(), "/v2/keep/me/blobs/" + digest);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("persistent");
    }
  }

  @Test
  void refusesAStorageDirectoryThatIsAFile(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    OciRegistryServer server = OciRegistryServer.builder().storage(file).build();
    assertThatThrownBy(server::start)
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining("storage directory")
        .hasMessageContaining(file.toString());
  }

  @Test
  void reportsABusyPortInOneLine() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      OciRegistryServer server = OciRegistryServer.builder().port(busy.getLocalPort()).build();
      assertThatThrownBy(server::start)
          .isInstanceOf(ServerStartException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + busy.getLocalPort())
          .hasMessageNotContaining("\n");
      assertThat(server.isStarted()).isFalse();
    }
  }

  @Test
  void closeLetsAnInFlightRequestFinishThenRefusesConnections() throws Exception {
    GatedStorage storage = new GatedStorage();
    OciRegistryServer server =
        OciRegistryServer.builder()
            .storage(storage)
            .shutdownTimeout(Duration.ofSeconds(60))
            .start();
    URI base = server.baseUri();
    byte[] blob = "in flight".getBytes(StandardCharsets.UTF_8);
    String digest = sha256(blob);

    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = storage.holdNext(release);
    CompletableFuture<HttpResponse<String>> push =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return pushBlob(base, "in/flight", blob, digest);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(entered.await(30, TimeUnit.SECONDS)).as("request reached the storage").isTrue();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    assertThat(closing).isNotDone();
    release.countDown();

    assertThat(push.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    closing.get(60, TimeUnit.SECONDS);
    assertThat(server.isStarted()).isFalse();
    assertThatThrownBy(() -> get(base, "/livez")).isInstanceOf(IOException.class);
  }

  private HttpResponse<String> pushBlob(URI base, String repo, byte[] blob, String digest)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/uploads/?digest=" + digest))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String sha256(byte[] data) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
