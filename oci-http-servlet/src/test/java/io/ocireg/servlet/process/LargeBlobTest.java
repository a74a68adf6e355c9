package io.ocireg.servlet.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob far larger than the server's heap (2 GiB against {@code -Xmx128m} by default) pushed in
 * chunks over HTTP and pulled back with the same digest: proof that blobs stream end to end. Set
 * {@code -Docireg.test.largeBlobBytes=N} to change the size.
 */
class LargeBlobTest {
  private static final long SIZE =
      Long.getLong("ocireg.test.largeBlobBytes", 2L * 1024 * 1024 * 1024);
  private static final long CHUNK = 64L * 1024 * 1024;

  @TempDir Path storage;

  @Test
  void pushesAndPullsABlobLargerThanTheServerHeap() throws Exception {
    GeneratedContent content = new GeneratedContent(7, SIZE);
    HttpClient http = HttpClient.newHttpClient();
    try (ForkedRegistry registry = ForkedRegistry.start(storage, "-Xmx128m")) {
      URI base = registry.baseUri();
      HttpResponse<Void> post =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v2/big/blob/blobs/uploads/"))
                  .POST(BodyPublishers.noBody())
                  .build(),
              BodyHandlers.discarding());
      assertThat(post.statusCode()).isEqualTo(202);
      String location = post.headers().firstValue("Location").orElseThrow();

      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      for (long offset = 0; offset < SIZE; offset += CHUNK) {
        long count = Math.min(CHUNK, SIZE - offset);
        long from = offset;
        HttpResponse<Void> patch =
            http.send(
                HttpRequest.newBuilder(base.resolve(location))
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", from + "-" + (from + count - 1))
                    .method(
                        "PATCH",
                        BodyPublishers.fromPublisher(
                            BodyPublishers.ofInputStream(
                                () -> new DigestingStream(content.stream(from, count), sent)),
                            count))
                    .build(),
                BodyHandlers.discarding());
        assertThat(patch.statusCode()).as("chunk at %d", from).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).contains("0-" + (from + count - 1));
        location = patch.headers().firstValue("Location").orElseThrow();
      }
      String digest = "sha256:" + HexFormat.of().formatHex(sent.digest());

      HttpResponse<Void> put =
          http.send(
              HttpRequest.newBuilder(
                      base.resolve(
                          location + (location.contains("?") ? "&" : "?") + "digest=" + digest))
                  .PUT(BodyPublishers.noBody())
                  .build(),
              BodyHandlers.discarding());
      assertThat(put.statusCode()).isEqualTo(201);

      HttpResponse<InputStream> get =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v2/big/blob/blobs/" + digest)).GET().build(),
              BodyHandlers.ofInputStream());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      long total = 0;
      try (InputStream in = get.body()) {
        byte[] buf = new byte[1 << 20];
        int r;
        while ((r = in.read(buf)) > 0) {
          received.update(buf, 0, r);
          total += r;
        }
      }
      assertThat(total).isEqualTo(SIZE);
      assertThat("sha256:" + HexFormat.of().formatHex(received.digest())).isEqualTo(digest);
      assertThat(registry.process().isAlive()).as("server survived with a small heap").isTrue();
    }
  }

  /** Hashes what passes through, so the client never holds the blob either. */
  private static final class DigestingStream extends java.io.FilterInputStream {
    private final MessageDigest md;

    DigestingStream(InputStream in, MessageDigest md) {
      super(in);
      this.md = md;
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
      int r = super.read(b, off, len);
      if (r > 0) {
        md.update(b, off, r);
      }
      return r;
    }
  }
}
