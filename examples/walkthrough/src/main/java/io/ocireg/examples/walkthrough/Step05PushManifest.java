// Teaches: pushing an image: its blobs first, then the manifest that names them, by tag.
// Spec: distribution-spec v1.1, "Pushing Manifests" (image-spec: image manifest).
// Endpoints: end-4a + end-6 (the config and layer blobs), end-7 (PUT /manifests/<tag>).
package io.ocireg.examples.walkthrough;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Step 5: an image is a manifest (JSON) naming a config blob and layer blobs by digest and size.
 * The blobs go first; the manifest goes last, with its media type as {@code Content-Type}. The
 * registry answers with the manifest's digest ({@code Docker-Content-Digest}) and where to pull it
 * by that digest ({@code Location}).
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests">
 *     distribution-spec: pushing manifests</a>
 */
public final class Step05PushManifest {
  private Step05PushManifest() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step05";

  /** The tag the image is pushed as. */
  public static final String TAG = "v1";

  /**
   * What the push answered.
   *
   * @param configDigest the digest of the config blob pushed first
   * @param layerDigest the digest of the layer blob
   * @param manifestStatus {@code PUT /manifests/v1}: 201
   * @param contentDigest its {@code Docker-Content-Digest}: the manifest's digest
   * @param location its {@code Location}: the manifest, by digest
   * @param manifestDigest the digest the client computed over the manifest bytes it sent
   * @param tagStatus a {@code HEAD} of the tag afterwards: 200
   * @param tagDigest that answer's {@code Docker-Content-Digest}
   */
  public record Result(
      String configDigest,
      String layerDigest,
      int manifestStatus,
      Optional<String> contentDigest,
      URI location,
      String manifestDigest,
      int tagStatus,
      Optional<String> tagDigest) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step05PushManifest::run);
  }

  /** Pushes a one-layer image as {@code walkthrough/step05:v1}. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    SampleImage image = SampleImage.create("Hello from step 5 of the ocireg walkthrough.\n");

    wire.note("Blobs first: the config (JSON), then the layer (a tar.gz), each by POST then PUT.");
    String configDigest = wire.pushBlob(REPOSITORY, image.config());
    String layerDigest = wire.pushBlob(REPOSITORY, image.layer());

    wire.note(
        "Then the manifest, naming both by digest and size, PUT to the tag (end-7). The"
            + " Content-Type is the manifest's own mediaType.");
    HttpResponse<byte[]> put =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/manifests/" + TAG))
                .header("Content-Type", MediaTypes.IMAGE_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofString(image.manifest(), StandardCharsets.UTF_8))
                .build(),
            image.manifest());
    Wire.expect(put, 201);
    // The registry keeps the bytes as sent, so their digest is the manifest's digest.
    String manifestDigest = Digests.sha256(image.manifestBytes());
    wire.note("The client's own digest of the manifest bytes: " + manifestDigest);

    wire.note("The tag now resolves to that digest (HEAD, end-3).");
    HttpResponse<byte[]> head =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/manifests/" + TAG))
                .header("Accept", MediaTypes.IMAGE_MANIFEST)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());

    return new Result(
        configDigest,
        layerDigest,
        put.statusCode(),
        Wire.header(put, "Docker-Content-Digest"),
        wire.location(put),
        manifestDigest,
        head.statusCode(),
        Wire.header(head, "Docker-Content-Digest"));
  }
}
