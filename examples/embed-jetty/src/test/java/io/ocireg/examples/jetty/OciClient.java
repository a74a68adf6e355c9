package io.ocireg.examples.jetty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The few registry requests these tests make, as plain HTTP so that the wire stays visible. */
final class OciClient {
  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  OciClient(URI base) {
    this.base = base;
  }

  HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), BodyHandlers.ofByteArray());
  }

  HttpResponse<String> getText(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString());
  }

  /**
   * Pushes {@code content} as a blob the monolithic way: {@code POST} opens an upload session,
   * {@code PUT ?digest=} sends the bytes and closes it. Returns the last response.
   */
  HttpResponse<String> pushBlob(String repository, byte[] content)
      throws IOException, InterruptedException {
    HttpResponse<String> started =
        http.send(
            HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(BodyPublishers.noBody())
                .build(),
            BodyHandlers.ofString());
    if (started.statusCode() != 202) {
      return started;
    }
    String location = started.headers().firstValue("Location").orElseThrow();
    String separator = location.contains("?") ? "&" : "?";
    URI put = base.resolve(location + separator + "digest=" + digest(content));
    return http.send(
        HttpRequest.newBuilder(put)
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofByteArray(content))
            .build(),
        BodyHandlers.ofString());
  }

  HttpResponse<String> pushManifest(String repository, String tag, byte[] manifest)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/manifests/" + tag))
            .header("Content-Type", MANIFEST_TYPE)
            .PUT(BodyPublishers.ofByteArray(manifest))
            .build(),
        BodyHandlers.ofString());
  }

  /** An image manifest with {@code config} and one layer, {@code layer}. */
  static byte[] imageManifest(byte[] config, byte[] layer) {
    String json =
        """
        {"schemaVersion":2,"mediaType":"%s",\
        "config":{"mediaType":"application/vnd.oci.image.config.v1+json",\
        "digest":"%s","size":%d},\
        "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar",\
        "digest":"%s","size":%d}]}"""
            .formatted(MANIFEST_TYPE, digest(config), config.length, digest(layer), layer.length);
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static String digest(byte[] content) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
