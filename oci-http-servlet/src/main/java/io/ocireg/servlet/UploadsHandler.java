package io.ocireg.servlet;

import io.ocireg.core.ContentRange;
import io.ocireg.core.Registry;
import io.ocireg.core.UploadStart;
import io.ocireg.core.UploadStatus;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import java.io.IOException;
import java.util.Optional;

/**
 * Blob pushes: {@code POST /v2/<name>/blobs/uploads/} (a session, a single-request push with {@code
 * ?digest=}, or a mount with {@code ?mount=&from=}), and on a session's location {@code PATCH} (a
 * chunk, with or without {@code Content-Range}), {@code PUT ?digest=} (close, with an optional
 * final chunk), {@code GET} (status) and {@code DELETE} (cancel).
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-blobs">
 *     distribution-spec: pushing blobs</a>
 */
final class UploadsHandler implements Handler {
  private final Registry registry;

  UploadsHandler(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    RepositoryName name = route.repository();
    if (route.endpoint() == Endpoint.UPLOAD_START) {
      start(exchange, name);
      return;
    }
    String id = route.argument();
    switch (exchange.method()) {
      case "PATCH" -> {
        Optional<ContentRange> range = exchange.header("Content-Range").map(ContentRange::parse);
        UploadStatus status =
            registry.appendChunk(name, id, range, exchange.body(), exchange.contentLength());
        session(exchange, status, 202);
      }
      case "PUT" -> {
        Optional<ContentRange> range = exchange.header("Content-Range").map(ContentRange::parse);
        BlobInfo info =
            registry.completeUpload(
                name,
                id,
                exchange.param("digest"),
                range,
                exchange.body(),
                exchange.contentLength());
        created(exchange, name, info.digest());
      }
      case "GET", "HEAD" -> session(exchange, registry.uploadStatus(name, id), 204);
      case "DELETE" -> {
        registry.cancelUpload(name, id);
        exchange.sendEmpty(204);
      }
      default -> throw new IllegalStateException(exchange.method());
    }
  }

  /** The engine decides between mount, whole-blob push and session; this only answers. */
  private void start(Exchange exchange, RepositoryName name) throws IOException {
    UploadStart start =
        registry.startOrMount(
            name,
            exchange.param("mount"),
            exchange.param("from"),
            exchange.param("digest"),
            exchange.body(),
            exchange.contentLength(),
            exchange.mayPull());
    if (start instanceof UploadStart.Mounted m) {
      created(exchange, name, m.blob().digest());
    } else if (start instanceof UploadStart.Stored s) {
      created(exchange, name, s.blob().digest());
    } else if (start instanceof UploadStart.Started s) {
      session(exchange, s.session(), 202);
    } else {
      throw new IllegalStateException("unknown upload start " + start);
    }
  }

  /** A session's headers: where to continue, and the bytes it holds as {@code Range: 0-<last>}. */
  private static void session(Exchange exchange, UploadStatus status, int code) {
    String location =
        exchange.url("/v2/" + status.repository().value() + "/blobs/uploads/" + status.id());
    exchange.setHeader("Location", location);
    // An empty session has no last byte; "0-0" is what clients have always been sent for it.
    exchange.setHeader("Range", "0-" + Math.max(0, status.size() - 1));
    exchange.setHeader("Docker-Upload-UUID", status.id());
    exchange.sendEmpty(code);
  }

  private static void created(Exchange exchange, RepositoryName name, Digest digest) {
    exchange.setHeader("Location", exchange.url("/v2/" + name.value() + "/blobs/" + digest));
    exchange.setHeader(Exchange.CONTENT_DIGEST, digest.toString());
    exchange.sendEmpty(201);
  }
}
