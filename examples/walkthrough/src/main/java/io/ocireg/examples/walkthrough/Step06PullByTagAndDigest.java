// Teaches: pulling by tag and by digest, HEAD vs GET, Accept vs Content-Type, verifying digests.
// Spec: distribution-spec v1.1, "Pulling manifests", "Pulling blobs", "Checking if content exists".
// Endpoints: end-3 (HEAD/GET /manifests/<tag or digest>, Accept), end-2 (GET /blobs, Range).
package io.ocireg.examples.walkthrough;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * Step 6: a tag is a movable name, a digest is the content itself. The client says which manifest
 * formats it understands ({@code Accept}), reads which one it got ({@code Content-Type}), and
 * checks every byte it pulls against a digest: the one it asked for, or (by tag) the one it
 * computes and compares with {@code Docker-Content-Digest}. An image index shows why {@code
 * Content-Type} matters: the client must look inside it for the manifest of its platform.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">
 *     distribution-spec: pulling manifests</a>
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/content-negotiation.md">
 *     distribution-spec: content negotiation</a>
 */
public final class Step06PullByTagAndDigest {
  private Step06PullByTagAndDigest() {}

  /** The repository this step pushes to and pulls from. */
  public static final String REPOSITORY = "walkthrough/step06";

  /** What a client that understands both OCI manifest formats sends. */
  public static final String ACCEPT = MediaTypes.IMAGE_MANIFEST + ", " + MediaTypes.IMAGE_INDEX;

  /**
   * What the pulls found.
   *
   * @param headStatus {@code HEAD /manifests/1.0}: 200
   * @param headDigest its {@code Docker-Content-Digest}
   * @param headLength its {@code Content-Length}: the manifest's size, with no body sent
   * @param headBodyLength the body bytes received for the {@code HEAD}: 0
   * @param tagStatus {@code GET /manifests/1.0}: 200
   * @param tagContentType its {@code Content-Type}: an image manifest
   * @param tagDigestHeader its {@code Docker-Content-Digest}
   * @param tagBodyDigest the digest the client computed over the body
   * @param requestedDigest the digest then asked for by {@code GET /manifests/<digest>}
   * @param digestStatus that answer's status: 200
   * @param digestBodyDigest the digest of that body, which must equal the one requested
   * @param indexContentType {@code GET /manifests/multi}'s {@code Content-Type}: an image index
   * @param platformDigest the manifest the index lists for linux/amd64
   * @param layerDigest the digest of the layer the manifest names
   * @param layerStatus {@code GET /blobs/<layer digest>}: 200
   * @param pulledLayerDigest the digest of the layer bytes pulled
   * @param rangeStatus a {@code GET} of the layer's first 10 bytes with {@code Range}: 206
   * @param rangeLength the bytes that answer carried: 10
   */
  public record Result(
      int headStatus,
      Optional<String> headDigest,
      long headLength,
      int headBodyLength,
      int tagStatus,
      Optional<String> tagContentType,
      Optional<String> tagDigestHeader,
      String tagBodyDigest,
      String requestedDigest,
      int digestStatus,
      String digestBodyDigest,
      Optional<String> indexContentType,
      String platformDigest,
      String layerDigest,
      int layerStatus,
      String pulledLayerDigest,
      int rangeStatus,
      int rangeLength) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step06PullByTagAndDigest::run);
  }

  /** Pushes an image (tag {@code 1.0}) and an index over it (tag {@code multi}), then pulls. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    wire.note("Setup: push an image as 1.0 (as in step 5), and an index listing it as multi.");
    SampleImage image = SampleImage.create("Hello from step 6 of the ocireg walkthrough.\n");
    image.pushTo(wire, REPOSITORY, "1.0");
    String index =
        """
        {
          "schemaVersion": 2,
          "mediaType": "%s",
          "manifests": [
            {
              "mediaType": "%s",
              "digest": "%s",
              "size": %d,
              "platform": {"architecture": "amd64", "os": "linux"}
            }
          ]
        }
        """
            .formatted(
                MediaTypes.IMAGE_INDEX,
                MediaTypes.IMAGE_MANIFEST,
                image.manifestDigest(),
                image.manifestBytes().length);
    wire.pushManifest(REPOSITORY, "multi", MediaTypes.IMAGE_INDEX, index);

    wire.note("HEAD by tag (end-3): is it there, what is its digest and size? No body comes back.");
    HttpResponse<byte[]> head =
        wire.send(
            HttpRequest.newBuilder(manifest(wire, "1.0"))
                .header("Accept", ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    wire.note("GET by tag (end-3), saying which formats the client understands (Accept).");
    HttpResponse<byte[]> byTag =
        wire.send(HttpRequest.newBuilder(manifest(wire, "1.0")).header("Accept", ACCEPT).build());
    String tagBodyDigest = Digests.sha256(byTag.body());
    // By tag the client has no digest of its own yet: it computes one and compares.
    wire.note("Body digest " + tagBodyDigest + " vs Docker-Content-Digest: both must agree.");

    String requested = Wire.header(byTag, "Docker-Content-Digest").orElse(tagBodyDigest);
    wire.note("GET by digest (end-3): immutable; the body must hash to the digest asked for.");
    HttpResponse<byte[]> byDigest =
        wire.send(
            HttpRequest.newBuilder(manifest(wire, requested)).header("Accept", ACCEPT).build());
    String digestBodyDigest = Digests.sha256(byDigest.body());

    wire.note("GET the index by tag: Content-Type says it is an index, not an image manifest.");
    HttpResponse<byte[]> multi =
        wire.send(HttpRequest.newBuilder(manifest(wire, "multi")).header("Accept", ACCEPT).build());
    Optional<String> indexType = Wire.header(multi, "Content-Type");
    String platformDigest = "";
    if (indexType.filter(MediaTypes.IMAGE_INDEX::equals).isPresent()) {
      for (JsonNode m : Wire.json(multi).path("manifests")) {
        JsonNode platform = m.path("platform");
        if (platform.path("os").asText().equals("linux")
            && platform.path("architecture").asText().equals("amd64")) {
          platformDigest = m.path("digest").asText();
        }
      }
      wire.note("The index lists " + platformDigest + " for linux/amd64; that is our manifest.");
    }

    JsonNode manifest = Wire.json(byDigest);
    String layerDigest = manifest.path("layers").path(0).path("digest").asText();
    wire.note("GET the layer the manifest names (end-2) and verify it.");
    HttpResponse<byte[]> layer =
        wire.send(HttpRequest.newBuilder(wire.url(blob(layerDigest))).GET().build());
    String pulledLayerDigest = Digests.sha256(layer.body());

    wire.note("A resumed pull asks for the bytes it lacks with Range: 206 Partial Content.");
    HttpResponse<byte[]> range =
        wire.send(
            HttpRequest.newBuilder(wire.url(blob(layerDigest)))
                .header("Range", "bytes=0-9")
                .GET()
                .build());

    return new Result(
        head.statusCode(),
        Wire.header(head, "Docker-Content-Digest"),
        head.headers().firstValueAsLong("Content-Length").orElse(-1),
        head.body().length,
        byTag.statusCode(),
        Wire.header(byTag, "Content-Type"),
        Wire.header(byTag, "Docker-Content-Digest"),
        tagBodyDigest,
        requested,
        byDigest.statusCode(),
        digestBodyDigest,
        indexType,
        platformDigest,
        layerDigest,
        layer.statusCode(),
        pulledLayerDigest,
        range.statusCode(),
        range.body().length);
  }

  private static URI manifest(Wire wire, String reference) {
    return wire.url("/v2/" + REPOSITORY + "/manifests/" + reference);
  }

  private static String blob(String digest) {
    return "/v2/" + REPOSITORY + "/blobs/" + digest;
  }
}
