// Teaches: removing content: a tag (a name) versus a manifest (the content), and a blob.
// Spec: distribution-spec v1.1, "Deleting tags", "Deleting Manifests", "Deleting Blobs".
// Endpoints: end-9 (DELETE /manifests/<tag> and /manifests/<digest>), end-10 (DELETE /blobs/...).
package io.ocireg.examples.walkthrough;

import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Step 11: deleting a tag removes only that name; the manifest stays reachable by its digest and by
 * its other tags. Deleting the manifest by digest removes the content and every tag pointing at it.
 * Blobs are deleted on their own: a registry answers 202 for each delete it accepts.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#content-management">
 *     distribution-spec: content management</a>
 */
public final class Step11DeleteTagVersusManifest {
  private Step11DeleteTagVersusManifest() {}

  /** The repository this step pushes to and deletes from. */
  public static final String REPOSITORY = "walkthrough/step11";

  /**
   * The statuses seen along the way.
   *
   * @param manifestDigest the image's manifest digest
   * @param layerDigest its layer's digest
   * @param deleteTagStatus {@code DELETE /manifests/v1}: 202
   * @param deletedTagStatus {@code HEAD /manifests/v1} afterwards: 404
   * @param otherTagStatus {@code HEAD /manifests/stable} afterwards: 200, the other name stays
   * @param byDigestStatus {@code HEAD /manifests/<digest>} afterwards: 200, the content stays
   * @param deleteManifestStatus {@code DELETE /manifests/<digest>}: 202
   * @param goneByDigestStatus {@code HEAD /manifests/<digest>} afterwards: 404
   * @param goneOtherTagStatus {@code HEAD /manifests/stable} afterwards: 404, the tag went with it
   * @param deleteBlobStatus {@code DELETE /blobs/<layer digest>}: 202
   * @param goneBlobStatus {@code HEAD /blobs/<layer digest>} afterwards: 404
   */
  public record Result(
      String manifestDigest,
      String layerDigest,
      int deleteTagStatus,
      int deletedTagStatus,
      int otherTagStatus,
      int byDigestStatus,
      int deleteManifestStatus,
      int goneByDigestStatus,
      int goneOtherTagStatus,
      int deleteBlobStatus,
      int goneBlobStatus) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step11DeleteTagVersusManifest::run);
  }

  /** Pushes an image under two tags, then deletes a tag, the manifest and a blob. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    wire.note("Setup: one image under two tags, v1 and stable.");
    SampleImage image = SampleImage.create("Hello from step 11 of the ocireg walkthrough.\n");
    image.pushTo(wire, REPOSITORY, "v1");
    wire.pushManifest(REPOSITORY, "stable", MediaTypes.IMAGE_MANIFEST, image.manifest());
    String digest = image.manifestDigest();

    wire.note("Delete the tag v1 (end-9): only the name goes.");
    int deleteTag = wire.send(delete(wire, manifest("v1"))).statusCode();
    int deletedTag = wire.send(head(wire, manifest("v1"))).statusCode();
    int otherTag = wire.send(head(wire, manifest("stable"))).statusCode();
    int byDigest = wire.send(head(wire, manifest(digest))).statusCode();

    wire.note("Delete the manifest by digest (end-9): the content goes, and every tag on it.");
    int deleteManifest = wire.send(delete(wire, manifest(digest))).statusCode();
    int goneByDigest = wire.send(head(wire, manifest(digest))).statusCode();
    int goneOtherTag = wire.send(head(wire, manifest("stable"))).statusCode();

    wire.note("Delete the layer blob (end-10).");
    String blob = "/v2/" + REPOSITORY + "/blobs/" + image.layerDigest();
    int deleteBlob = wire.send(delete(wire, blob)).statusCode();
    int goneBlob = wire.send(head(wire, blob)).statusCode();

    return new Result(
        digest,
        image.layerDigest(),
        deleteTag,
        deletedTag,
        otherTag,
        byDigest,
        deleteManifest,
        goneByDigest,
        goneOtherTag,
        deleteBlob,
        goneBlob);
  }

  private static String manifest(String reference) {
    return "/v2/" + REPOSITORY + "/manifests/" + reference;
  }

  private static HttpRequest delete(Wire wire, String path) {
    return HttpRequest.newBuilder(wire.url(path)).DELETE().build();
  }

  private static HttpRequest head(Wire wire, String path) {
    return HttpRequest.newBuilder(wire.url(path))
        .header("Accept", MediaTypes.IMAGE_MANIFEST)
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build();
  }
}
