// Teaches: a chunked blob push, interrupted, then resumed from the offset the registry reports.
// Spec: distribution-spec v1.1, "Pushing a blob in chunks" (Content-Range, 416, upload status).
// Endpoints: end-4a (POST), end-5 (PATCH + Content-Range), end-13 (GET status, Range), end-6 (PUT).
package io.ocireg.examples.walkthrough;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Step 3: a chunked upload, interrupted after its second chunk. The client does not know whether
 * that chunk arrived; a blind retry is refused (416), so it asks the session where it stands
 * ({@code GET <location>}: {@code Range: 0-<last byte>}) and continues from the next byte.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-a-blob-in-chunks">
 *     distribution-spec: pushing a blob in chunks</a>
 */
public final class Step03ChunkedUploadResumed {
  private Step03ChunkedUploadResumed() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step03";

  /** Size of each chunk; the blob is three of them. */
  public static final int CHUNK_SIZE = 16 * 1024;

  /**
   * What the upload went through.
   *
   * @param sessionStatus {@code POST /blobs/uploads/}: 202
   * @param chunkStatuses the first two {@code PATCH}es: 202 each
   * @param chunkRanges their {@code Range} headers: the bytes the session holds after each
   * @param retryStatus the blind retry of the second chunk: 416, it is out of order now
   * @param statusStatus {@code GET <location>}: 204
   * @param statusRange its {@code Range} header: {@code 0-<last byte received>}
   * @param resumedFrom the offset the client resumed from: the last byte plus one
   * @param resumeStatus the {@code PATCH} of the rest: 202
   * @param closeStatus {@code PUT <location>?digest=}: 201
   * @param closeDigest the {@code Docker-Content-Digest} of that answer
   * @param digest the digest the client computed over the whole blob
   * @param pulledDigest the digest of the blob pulled back afterwards
   */
  public record Result(
      int sessionStatus,
      List<Integer> chunkStatuses,
      List<String> chunkRanges,
      int retryStatus,
      int statusStatus,
      Optional<String> statusRange,
      long resumedFrom,
      int resumeStatus,
      int closeStatus,
      Optional<String> closeDigest,
      String digest,
      String pulledDigest) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step03ChunkedUploadResumed::run);
  }

  /** Uploads a 48 KiB blob in 16 KiB chunks, with an interruption after the second one. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    byte[] blob = content(3 * CHUNK_SIZE);
    String digest = Digests.sha256(blob);

    wire.note("Open a session for a chunked upload: POST with Content-Length: 0 (end-4a).");
    HttpResponse<byte[]> session =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    Wire.expect(session, 202);
    URI location = wire.location(session);

    List<Integer> chunkStatuses = new ArrayList<>();
    List<String> chunkRanges = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      wire.note(
          "PATCH chunk "
              + (i + 1)
              + " (end-5); Content-Range names its first and last byte, both inclusive.");
      HttpResponse<byte[]> chunk = wire.send(patch(location, blob, i * CHUNK_SIZE, CHUNK_SIZE));
      Wire.expect(chunk, 202);
      chunkStatuses.add(chunk.statusCode());
      chunkRanges.add(Wire.header(chunk, "Range").orElse(""));
      // Each answer says where the next chunk goes.
      location = wire.location(chunk);
    }

    wire.note(
        "Suppose the connection dropped before that last answer arrived: the client does not"
            + " know whether chunk 2 landed. Sending it again blindly:");
    HttpResponse<byte[]> retry = wire.send(patch(location, blob, CHUNK_SIZE, CHUNK_SIZE));

    wire.note("416: out of order. Ask the session how much it holds (end-13).");
    HttpResponse<byte[]> status = wire.send(HttpRequest.newBuilder(location).GET().build());
    Wire.expect(status, 204);
    Optional<String> statusRange = Wire.header(status, "Range");
    // "Range: 0-<last>" lists the bytes held, so the next byte is last + 1.
    long resumeFrom = statusRange.map(Step03ChunkedUploadResumed::nextOffset).orElse(0L);
    location = wire.location(status);

    wire.note("Resume from byte " + resumeFrom + ": PATCH the rest of the blob (end-5).");
    HttpResponse<byte[]> resume =
        wire.send(patch(location, blob, (int) resumeFrom, blob.length - (int) resumeFrom));
    Wire.expect(resume, 202);
    location = wire.location(resume);

    wire.note("Close the session: PUT with the digest of the whole blob, no body (end-6).");
    HttpResponse<byte[]> close =
        wire.send(
            HttpRequest.newBuilder(Wire.withQuery(location, "digest", digest))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build());
    Wire.expect(close, 201);

    wire.note("Pull the blob back and verify it.");
    HttpResponse<byte[]> pulled =
        wire.send(HttpRequest.newBuilder(wire.location(close)).GET().build());
    String pulledDigest = Digests.sha256(pulled.body());
    wire.note("Pulled " + pulled.body().length + " bytes hashing to " + pulledDigest);

    return new Result(
        session.statusCode(),
        chunkStatuses,
        chunkRanges,
        retry.statusCode(),
        status.statusCode(),
        statusRange,
        resumeFrom,
        resume.statusCode(),
        close.statusCode(),
        Wire.header(close, "Docker-Content-Digest"),
        digest,
        pulledDigest);
  }

  /** A {@code PATCH} of {@code length} bytes of {@code blob} from {@code offset}. */
  static HttpRequest patch(URI location, byte[] blob, int offset, int length) {
    return HttpRequest.newBuilder(location)
        .header("Content-Type", "application/octet-stream")
        .header("Content-Range", offset + "-" + (offset + length - 1))
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(blob, offset, length))
        .build();
  }

  /** The offset after {@code 0-<last>}. */
  static long nextOffset(String range) {
    String last = range.substring(range.indexOf('-') + 1).trim();
    return Long.parseLong(last) + 1;
  }

  /**
   * Deterministic bytes that do not repeat within a chunk, so a misplaced chunk changes the digest.
   */
  static byte[] content(int size) {
    byte[] b = new byte[size];
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[i] = (byte) x;
    }
    return b;
  }
}
