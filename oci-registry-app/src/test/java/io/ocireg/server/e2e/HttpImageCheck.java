package io.ocireg.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pulls an image completely over plain HTTP, as a client would, and checks every digest: the
 * manifest by tag (its bytes must hash to the digest that was acknowledged), then every blob it
 * references (config and layers, streamed through SHA-256, size and digest compared) and, for an
 * index, every child manifest recursively. Scales to thousands of images where a real client per
 * image would not.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">Pulling
 *     manifests</a>
 */
final class HttpImageCheck {
  private static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final URI base;
  private final AtomicLong manifests = new AtomicLong();
  private final AtomicLong blobs = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  HttpImageCheck(URI base) {
    this.base = base;
  }

  /**
   * Pulls {@code repo:tag} and returns what is wrong with it, or an empty list when the manifest
   * has {@code expectedDigest} and everything it references is there and hashes right.
   */
  List<String> check(String repo, String tag, String expectedDigest) {
    List<String> problems = new ArrayList<>();
    try {
      manifest(repo, tag, expectedDigest, problems);
    } catch (IOException e) {
      problems.add(repo + ":" + tag + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return problems;
  }

  long manifestsChecked() {
    return manifests.get();
  }

  long blobsChecked() {
    return blobs.get();
  }

  long bytesChecked() {
    return bytes.get();
  }

  private void manifest(String repo, String reference, String expected, List<String> problems)
      throws IOException, InterruptedException {
    String where = repo + (reference.contains(":") ? "@" : ":") + reference;
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/manifests/" + reference))
                .header("Accept", ACCEPT)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      problems.add(where + ": manifest GET answered " + r.statusCode());
      return;
    }
    manifests.incrementAndGet();
    String actual = OciLayouts.sha256(r.body());
    if (!actual.equals(expected)) {
      problems.add(where + ": manifest is " + actual + ", acknowledged " + expected);
      return;
    }
    JsonNode json = OciLayouts.json(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    if (json.has("manifests")) {
      for (JsonNode child : json.get("manifests")) {
        String digest = child.get("digest").asText();
        manifest(repo, digest, digest, problems);
      }
      return;
    }
    List<JsonNode> referenced = new ArrayList<>();
    referenced.add(json.get("config"));
    json.path("layers").forEach(referenced::add);
    for (JsonNode d : referenced) {
      blob(repo, d.get("digest").asText(), d.get("size").asLong(), where, problems);
    }
  }

  private void blob(String repo, String digest, long size, String where, List<String> problems)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v2/" + repo + "/blobs/" + digest)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha = sha256();
    long read = 0;
    try (InputStream in = r.body()) {
      if (r.statusCode() != 200) {
        problems.add(where + ": blob " + digest + " GET answered " + r.statusCode());
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return;
      }
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        read += n;
      }
    }
    blobs.incrementAndGet();
    bytes.addAndGet(read);
    String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (read != size || !actual.equals(digest)) {
      problems.add(where + ": blob " + digest + " came back as " + actual + ", " + read + " bytes");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
