// Teaches: pushing a blob in one piece, two ways, then checking and fetching it by digest.
// Spec: distribution-spec v1.1, "Pushing a blob monolithically", "Pulling blobs".
// Endpoints: end-4a + end-6 (POST, then PUT ?digest=), end-4b (POST ?digest=), end-2 (HEAD, GET).
package io.ocireg.examples.walkthrough;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Step 2: a blob is content addressed; the client computes its digest, pushes the bytes with it,
 * and the registry refuses them unless they hash to that digest.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-a-blob-monolithically">
 *     distribution-spec: pushing a blob monolithically</a>
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-blobs">
 *     distribution-spec: pulling blobs</a>
 */
public final class Step02MonolithicUpload {
  private Step02MonolithicUpload() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step02";

  /**
   * What the two pushes and the two reads answered.
   *
   * @param sessionStatus {@code POST /blobs/uploads/}: 202, a session opened
   * @param putStatus {@code PUT <location>?digest=}: 201
   * @param putDigest the {@code Docker-Content-Digest} of that answer
   * @param firstDigest the digest the client computed for the first blob
   * @param singlePostStatus {@code POST /blobs/uploads/?digest=}: 201 (202 when the registry does
   *     not take a blob in one request; the step then finishes with a {@code PUT})
   * @param singlePostDigest the digest the client computed for the second blob
   * @param blobLocation the {@code Location} of the second blob, where it can be pulled
   * @param headStatus {@code HEAD /blobs/<digest>}: 200, and no body
   * @param headLength the {@code Content-Length} of that answer: the blob's size
   * @param getStatus {@code GET /blobs/<digest>}: 200
   * @param pulledDigest the digest the client computed over what {@code GET} returned
   */
  public record Result(
      int sessionStatus,
      int putStatus,
      Optional<String> putDigest,
      String firstDigest,
      int singlePostStatus,
      String singlePostDigest,
      URI blobLocation,
      int headStatus,
      long headLength,
      int getStatus,
      String pulledDigest) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step02MonolithicUpload::run);
  }

  /** Pushes two small blobs, one per method, and reads the second back. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    byte[] first =
        "hello, registry: a blob pushed by POST then PUT\n".getBytes(StandardCharsets.UTF_8);
    byte[] second = "a blob pushed by a single POST\n".getBytes(StandardCharsets.UTF_8);

    // The digest is the blob's name: the client computes it before sending anything.
    String firstDigest = Digests.sha256(first);
    wire.note("POST then PUT. First, open an upload session (end-4a); no body yet.");
    HttpResponse<byte[]> session =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    Wire.expect(session, 202);
    // The Location is opaque: use it as given (it may be relative, it may carry a query).
    URI location = wire.location(session);

    wire.note("Then PUT the whole blob to the session's Location, naming its digest (end-6).");
    HttpResponse<byte[]> put =
        wire.send(
            HttpRequest.newBuilder(Wire.withQuery(location, "digest", firstDigest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(first))
                .build());
    Wire.expect(put, 201);

    String secondDigest = Digests.sha256(second);
    wire.note("Single POST: the digest and the bytes in one request (end-4b).");
    HttpResponse<byte[]> single =
        wire.send(
            HttpRequest.newBuilder(
                    Wire.withQuery(
                        wire.url("/v2/" + REPOSITORY + "/blobs/uploads/"), "digest", secondDigest))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(second))
                .build());
    URI blobLocation;
    if (single.statusCode() == 202) {
      // A registry MAY refuse to take a blob in one request: it opens a session instead.
      wire.note("202: this registry opened a session instead; finish with PUT as above.");
      HttpResponse<byte[]> finish =
          wire.send(
              HttpRequest.newBuilder(Wire.withQuery(wire.location(single), "digest", secondDigest))
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(second))
                  .build());
      Wire.expect(finish, 201);
      blobLocation = wire.location(finish);
    } else {
      Wire.expect(single, 201);
      blobLocation = wire.location(single);
    }

    wire.note("Does the repository hold the blob? HEAD answers with headers only (end-2).");
    HttpResponse<byte[]> head =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/blobs/" + secondDigest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    wire.note("GET the blob (end-2) and check that the bytes hash to the digest we asked for.");
    HttpResponse<byte[]> get =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/blobs/" + secondDigest))
                .GET()
                .build());
    String pulledDigest = Digests.sha256(get.body());
    wire.note(
        pulledDigest.equals(secondDigest)
            ? "Verified: the content hashes to " + pulledDigest
            : "MISMATCH: the content hashes to " + pulledDigest);

    return new Result(
        session.statusCode(),
        put.statusCode(),
        Wire.header(put, "Docker-Content-Digest"),
        firstDigest,
        single.statusCode(),
        secondDigest,
        blobLocation,
        head.statusCode(),
        head.headers().firstValueAsLong("Content-Length").orElse(-1),
        get.statusCode(),
        pulledDigest);
  }
}
