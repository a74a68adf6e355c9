package io.ocireg.servlet.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Page;
import io.ocireg.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry process killed with SIGKILL in the middle of a blob upload or a manifest PUT restarts
 * with consistent storage: everything acknowledged with 201 is intact, and no stored blob or
 * manifest differs from its digest.
 */
class CrashRecoveryTest {
  private static final RepositoryName REPO = RepositoryName.parse("crash/test");
  private final HttpClient http = HttpClient.newHttpClient();
  private final Random random = new Random(3);

  @TempDir Path storage;

  @Test
  void killedDuringABlobUploadKeepsEveryAcknowledgedWrite() throws Exception {
    runKilledWhileStalled(true);
  }

  @Test
  void killedDuringAManifestPutKeepsEveryAcknowledgedWrite() throws Exception {
    runKilledWhileStalled(false);
  }

  private void runKilledWhileStalled(boolean duringBlob) throws Exception {
    Map<String, byte[]> blobs = new LinkedHashMap<>();
    Map<String, byte[]> manifests = new LinkedHashMap<>();
    ForkedRegistry registry = ForkedRegistry.start(storage);
    URI base = registry.baseUri();
    try {
      for (int i = 0; i < 6; i++) {
        byte[] config = randomBytes(200 + i);
        byte[] layer = randomBytes(300_000 + 1000 * i);
        pushBlobInChunks(base, config, blobs);
        pushBlobInChunks(base, layer, blobs);
        byte[] manifest = manifest(config, layer);
        HttpResponse<String> put = putManifest(base, "v" + i, BodyPublishers.ofByteArray(manifest));
        assertThat(put.statusCode()).isEqualTo(201);
        manifests.put("v" + i, manifest);
      }

      // A request whose body stalls half way; the process is killed while it is being received.
      CountDownLatch halfSent = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<HttpResponse<String>> stalled;
      if (duringBlob) {
        HttpResponse<String> post = send(base, "POST", "/v2/" + REPO + "/blobs/uploads/", null);
        String location = post.headers().firstValue("Location").orElseThrow();
        byte[] big = randomBytes(8 << 20);
        stalled =
            http.sendAsync(
                HttpRequest.newBuilder(base.resolve(location + "?digest=" + sha256(big)))
                    .PUT(stallingBody(big, halfSent, release))
                    .build(),
                BodyHandlers.ofString());
      } else {
        byte[] config = randomBytes(100);
        byte[] layer = randomBytes(1000);
        pushBlobInChunks(base, config, blobs);
        pushBlobInChunks(base, layer, blobs);
        byte[] manifest = manifest(config, layer);
        stalled =
            http.sendAsync(
                HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/manifests/stalled"))
                    .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                    .PUT(stallingBody(manifest, halfSent, release))
                    .build(),
                BodyHandlers.ofString());
      }
      assertThat(halfSent.await(60, TimeUnit.SECONDS)).isTrue();
      // Give the server the first half of the body before the power cut.
      Thread.sleep(300);
      registry.kill();
      release.countDown();
      try {
        stalled.get(30, TimeUnit.SECONDS);
      } catch (Exception expected) {
        // the connection died with the process
      }
    } finally {
      registry.kill();
    }

    try (ForkedRegistry again = ForkedRegistry.start(storage)) {
      URI uri = again.baseUri();
      for (Map.Entry<String, byte[]> b : blobs.entrySet()) {
        HttpResponse<byte[]> get =
            http.send(
                HttpRequest.newBuilder(uri.resolve("/v2/" + REPO + "/blobs/" + b.getKey())).build(),
                BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(b.getValue());
      }
      for (Map.Entry<String, byte[]> m : manifests.entrySet()) {
        HttpResponse<byte[]> get =
            http.send(
                HttpRequest.newBuilder(uri.resolve("/v2/" + REPO + "/manifests/" + m.getKey()))
                    .build(),
                BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(m.getValue());
      }
      HttpResponse<String> stalledTag =
          send(uri, "GET", "/v2/" + REPO + "/manifests/stalled", null);
      assertThat(stalledTag.statusCode()).isEqualTo(404);
      // The registry still takes writes after the crash.
      pushBlobInChunks(uri, randomBytes(5000), blobs);
    }

    // Every blob and manifest in storage matches its digest: nothing partial is ever served.
    try (FileSystemStorage fs = FileSystemStorage.open(storage)) {
      List<Digest> all = new ArrayList<>();
      Optional<Digest> after = Optional.empty();
      Page<Digest> page;
      do {
        page = fs.blobs().list(after, 100);
        all.addAll(page.items());
        if (!page.items().isEmpty()) {
          after = Optional.of(page.items().get(page.items().size() - 1));
        }
      } while (page.hasMore());
      assertThat(all).hasSizeGreaterThanOrEqualTo(blobs.size());
      for (Digest d : all) {
        try (InputStream in = fs.blobs().open(d, 0, -1)) {
          assertThat(sha256(in)).isEqualTo(d.toString());
        }
      }
      Page<Digest> ms = fs.metadata().listManifests(REPO, Optional.empty(), 1000);
      for (Digest d : ms.items()) {
        ManifestRecord rec = fs.metadata().getManifest(REPO, d).orElseThrow();
        assertThat(Digest.sha256(rec.content())).isEqualTo(d);
      }
    }
  }

  private void pushBlobInChunks(URI base, byte[] blob, Map<String, byte[]> acknowledged)
      throws Exception {
    HttpResponse<String> post = send(base, "POST", "/v2/" + REPO + "/blobs/uploads/", null);
    String location = post.headers().firstValue("Location").orElseThrow();
    int half = blob.length / 2;
    HttpResponse<String> patch =
        http.send(
            HttpRequest.newBuilder(base.resolve(location))
                .header("Content-Range", "0-" + (half - 1))
                .method("PATCH", BodyPublishers.ofByteArray(blob, 0, half))
                .build(),
            BodyHandlers.ofString());
    assertThat(patch.statusCode()).isEqualTo(202);
    location = patch.headers().firstValue("Location").orElseThrow();
    String digest = sha256(blob);
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(
                    base.resolve(
                        location + (location.contains("?") ? "&" : "?") + "digest=" + digest))
                .PUT(BodyPublishers.ofByteArray(blob, half, blob.length - half))
                .build(),
            BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(201);
    acknowledged.put(digest, blob);
  }

  private HttpResponse<String> putManifest(URI base, String tag, BodyPublisher body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve("/v2/" + REPO + "/manifests/" + tag))
            .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
            .PUT(body)
            .build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<String> send(URI base, String method, String path, BodyPublisher body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .method(method, body == null ? BodyPublishers.noBody() : body)
            .build(),
        BodyHandlers.ofString());
  }

  /** Sends the first half of {@code content}, then blocks until released. */
  private static BodyPublisher stallingBody(
      byte[] content, CountDownLatch halfSent, CountDownLatch release) {
    return BodyPublishers.fromPublisher(
        BodyPublishers.ofInputStream(
            () ->
                new InputStream() {
                  private int pos;

                  @Override
                  public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                  }

                  @Override
                  public int read(byte[] b, int off, int len) throws IOException {
                    int half = content.length / 2;
                    if (pos >= half) {
                      halfSent.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      throw new IOException("stalled body abandoned");
                    }
                    int n = Math.min(len, half - pos);
                    System.arraycopy(content, pos, b, off, n);
                    pos += n;
                    return n;
                  }
                }),
        content.length);
  }

  private static byte[] manifest(byte[] config, byte[] layer) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
            + sha256(config)
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
            + sha256(layer)
            + "\",\"size\":"
            + layer.length
            + "}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) {
    return Digest.sha256(b).toString();
  }

  private static String sha256(InputStream in) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[65536];
    int r;
    while ((r = in.read(buf)) > 0) {
      md.update(buf, 0, r);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }
}
