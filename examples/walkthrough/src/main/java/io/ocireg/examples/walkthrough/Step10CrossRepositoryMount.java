// Teaches: reusing a blob another repository already holds, instead of uploading it again.
// Spec: distribution-spec v1.1, "Mounting a blob from another repository".
// Endpoints: end-11 (POST ?mount=<digest>&from=<repo>: 201, or 202 and a session), end-6, end-2.
package io.ocireg.examples.walkthrough;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Step 10: an image built on a base shares the base's layers. Pushing it to another repository, the
 * client asks the registry to mount each layer from the base's repository: 201 when it could (no
 * bytes sent), 202 with an upload session when it could not, in which case the client simply
 * uploads into that session.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#mounting-a-blob-from-another-repository">
 *     distribution-spec: mounting a blob from another repository</a>
 */
public final class Step10CrossRepositoryMount {
  private Step10CrossRepositoryMount() {}

  /** Where the shared layer lives first. */
  public static final String SOURCE = "walkthrough/step10-base";

  /** Where it is mounted. */
  public static final String TARGET = "walkthrough/step10-app";

  /**
   * What the two mount requests answered.
   *
   * @param sharedDigest the blob held by {@link #SOURCE}
   * @param mountStatus the mount of that blob into {@link #TARGET}: 201
   * @param mountLocation its {@code Location}: the blob in the target repository
   * @param mountDigest its {@code Docker-Content-Digest}
   * @param mountedHeadStatus a {@code HEAD} of the blob in the target afterwards: 200
   * @param missingDigest a blob {@link #SOURCE} does not hold
   * @param fallbackStatus the mount of that one: 202, an upload session instead
   * @param fallbackLocation its {@code Location}: the session
   * @param fallbackPutStatus the {@code PUT} of the bytes into that session: 201
   * @param fallbackHeadStatus a {@code HEAD} of that blob in the target afterwards: 200
   */
  public record Result(
      String sharedDigest,
      int mountStatus,
      URI mountLocation,
      Optional<String> mountDigest,
      int mountedHeadStatus,
      String missingDigest,
      int fallbackStatus,
      URI fallbackLocation,
      int fallbackPutStatus,
      int fallbackHeadStatus) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step10CrossRepositoryMount::run);
  }

  /** Mounts one blob that the source holds and one that it does not. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    byte[] shared =
        "a base layer every application image shares\n".getBytes(StandardCharsets.UTF_8);
    byte[] own = "a layer only this application has\n".getBytes(StandardCharsets.UTF_8);

    wire.note("Setup: the base repository holds the shared blob.");
    String sharedDigest = wire.pushBlob(SOURCE, shared);

    wire.note("Mount it into the application's repository (end-11): no bytes travel.");
    HttpResponse<byte[]> mount = wire.send(mountRequest(wire, sharedDigest));
    Wire.expect(mount, 201);
    HttpResponse<byte[]> mountedHead =
        wire.send(
            HttpRequest.newBuilder(wire.location(mount))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    String missingDigest = Digests.sha256(own);
    wire.note("Mount a blob the base does not hold: the registry opens an upload session (202).");
    HttpResponse<byte[]> fallback = wire.send(mountRequest(wire, missingDigest));
    Wire.expect(fallback, 202);
    URI session = wire.location(fallback);

    wire.note("So upload the bytes into that session, as in step 2 (end-6).");
    HttpResponse<byte[]> put =
        wire.send(
            HttpRequest.newBuilder(Wire.withQuery(session, "digest", missingDigest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(own))
                .build());
    HttpResponse<byte[]> ownHead =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + TARGET + "/blobs/" + missingDigest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    return new Result(
        sharedDigest,
        mount.statusCode(),
        wire.location(mount),
        Wire.header(mount, "Docker-Content-Digest"),
        mountedHead.statusCode(),
        missingDigest,
        fallback.statusCode(),
        session,
        put.statusCode(),
        ownHead.statusCode());
  }

  private static HttpRequest mountRequest(Wire wire, String digest) {
    URI uploads = wire.url("/v2/" + TARGET + "/blobs/uploads/");
    return HttpRequest.newBuilder(
            Wire.withQuery(Wire.withQuery(uploads, "mount", digest), "from", SOURCE))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }
}
