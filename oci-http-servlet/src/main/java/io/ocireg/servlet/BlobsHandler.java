package io.ocireg.servlet;

import io.ocireg.core.BlobContent;
import io.ocireg.core.ByteRange;
import io.ocireg.core.Registry;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@code GET / HEAD / DELETE /v2/<name>/blobs/<digest>}: streams a blob (whole or one {@code
 * Range}) or removes it from the repository.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-blobs">
 *     distribution-spec: pulling blobs</a>
 */
final class BlobsHandler implements Handler {
  /** Copy buffer; a blob is never held in memory whole. */
  static final int BUFFER_SIZE = 64 * 1024;

  /** No resource, no script, an opaque origin: a blob is never a working page. */
  static final String BLOB_POLICY = "default-src 'none'; sandbox";

  private final Registry registry;

  BlobsHandler(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    RepositoryName name = route.repository();
    Digest digest = Digest.parse(route.argument());
    switch (exchange.method()) {
      case "HEAD" -> head(exchange, name, digest);
      case "GET" -> get(exchange, name, digest);
      case "DELETE" -> {
        registry.deleteBlob(name, digest);
        exchange.sendEmpty(202);
      }
      default -> throw new IllegalStateException(exchange.method());
    }
  }

  private void head(Exchange exchange, RepositoryName name, Digest digest) {
    // RFC 9110 defines Range for GET only, so HEAD describes the whole blob.
    BlobInfo info = registry.blobInfo(name, digest);
    describe(exchange, info);
    exchange.response().setStatus(200);
    exchange.response().setContentLengthLong(info.size());
  }

  private void get(Exchange exchange, RepositoryName name, Digest digest) throws IOException {
    Optional<ByteRange> range = exchange.header("Range").flatMap(ByteRange::parse);
    // An unsatisfiable range fails here with its Content-Range header already attached.
    BlobContent content = registry.openBlob(name, digest, range);
    try (content;
        InputStream in = content.stream()) {
      describe(exchange, content.info());
      if (content.range().isPresent()) {
        long[] r = content.range().get();
        exchange.response().setStatus(206);
        exchange.setHeader(
            "Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + content.info().size());
      } else {
        exchange.response().setStatus(200);
      }
      exchange.response().setContentLengthLong(content.length());
      // Not closed here: the host completes the response, and closing after a failed read would
      // make it report a short body as its own error instead of letting the failure through.
      OutputStream out = exchange.output();
      byte[] buffer = new byte[BUFFER_SIZE];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
      }
    }
  }

  private static void describe(Exchange exchange, BlobInfo info) {
    exchange.setHeader(Exchange.CONTENT_DIGEST, info.digest().toString());
    exchange.setHeader("ETag", "\"" + info.digest() + "\"");
    exchange.setHeader("Accept-Ranges", "bytes");
    exchange.response().setContentType("application/octet-stream");
    // Pushed bytes may be HTML or script: opened in a browser, even one that sniffs, they run
    // nothing and reach nothing.
    exchange.setHeader("Content-Security-Policy", BLOB_POLICY);
  }
}
