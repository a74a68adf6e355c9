// Teaches: attaching an SBOM and a signature to an image with subject, and finding them again.
// Spec: distribution-spec v1.1, "Pushing Manifests with Subject", "Listing Referrers".
// Endpoints: end-7 (PUT, OCI-Subject), end-12a (GET /referrers/<digest>), end-12b (?artifactType=).
package io.ocireg.examples.walkthrough;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Step 9: a referrer is an artifact whose {@code subject} names another manifest. The registry
 * confirms it indexed the subject with the {@code OCI-Subject} header (without it a client must
 * maintain the fallback tag itself), and lists a manifest's referrers as an image index, filtered
 * by {@code artifactType} on request ({@code OCI-Filters-Applied} says the filter was applied).
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests-with-subject">
 *     distribution-spec: pushing manifests with subject</a>
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers">
 *     distribution-spec: listing referrers</a>
 */
public final class Step09Referrers {
  private Step09Referrers() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step09";

  /** The artifact type of the SBOM referrer. */
  public static final String SBOM_TYPE = "application/spdx+json";

  /** The artifact type of the signature referrer. */
  public static final String SIGNATURE_TYPE = "application/vnd.example.signature.v1";

  /**
   * What the referrers pushes and listings answered.
   *
   * @param subjectDigest the digest of the image the referrers point at
   * @param pushStatuses the {@code PUT}s of the SBOM and the signature: 201 each
   * @param ociSubjects their {@code OCI-Subject} headers: the subject's digest
   * @param listStatus {@code GET /referrers/<subject>}: 200
   * @param listContentType its {@code Content-Type}: an image index
   * @param listedDigests the referrers listed, in order of the answer
   * @param listedTypes their {@code artifactType}s
   * @param referrerDigests the digests of the two referrers, computed by the client
   * @param filteredStatus {@code GET /referrers/<subject>?artifactType=application/spdx+json}: 200
   * @param filteredTypes the {@code artifactType}s it listed: the SBOM's only
   * @param filtersApplied its {@code OCI-Filters-Applied} header: {@code artifactType}
   */
  public record Result(
      String subjectDigest,
      List<Integer> pushStatuses,
      List<Optional<String>> ociSubjects,
      int listStatus,
      Optional<String> listContentType,
      List<String> listedDigests,
      List<String> listedTypes,
      List<String> referrerDigests,
      int filteredStatus,
      List<String> filteredTypes,
      Optional<String> filtersApplied) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step09Referrers::run);
  }

  /** Pushes an image, an SBOM and a signature for it, then lists its referrers. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    wire.note("Setup: push the image the referrers will point at (the subject).");
    SampleImage image = SampleImage.create("Hello from step 9 of the ocireg walkthrough.\n");
    image.pushTo(wire, REPOSITORY, "app-1.0");
    String subject = image.manifestDigest();
    wire.pushBlob(REPOSITORY, "{}".getBytes(StandardCharsets.UTF_8));

    List<Integer> statuses = new ArrayList<>();
    List<Optional<String>> subjects = new ArrayList<>();
    List<String> referrers = new ArrayList<>();
    String sbom =
        """
        {"spdxVersion":"SPDX-2.3","name":"app-1.0","packages":[{"name":"hello","versionInfo":"1.0"}]}
        """;
    String signature = "example signature over " + subject + "\n";
    for (String[] r :
        List.of(new String[] {SBOM_TYPE, sbom}, new String[] {SIGNATURE_TYPE, signature})) {
      String type = r[0];
      byte[] content = r[1].getBytes(StandardCharsets.UTF_8);
      wire.note("Push a referrer of type " + type + ": its blob, then its manifest with subject.");
      String blobDigest = wire.pushBlob(REPOSITORY, content);
      String manifest =
          """
          {
            "schemaVersion": 2,
            "mediaType": "%s",
            "artifactType": "%s",
            "config": {"mediaType": "%s", "digest": "%s", "size": 2},
            "layers": [{"mediaType": "%s", "digest": "%s", "size": %d}],
            "subject": {"mediaType": "%s", "digest": "%s", "size": %d}
          }
          """
              .formatted(
                  MediaTypes.IMAGE_MANIFEST,
                  type,
                  MediaTypes.EMPTY,
                  Digests.sha256("{}".getBytes(StandardCharsets.UTF_8)),
                  type,
                  blobDigest,
                  content.length,
                  MediaTypes.IMAGE_MANIFEST,
                  subject,
                  image.manifestBytes().length);
      String digest = Digests.sha256(manifest.getBytes(StandardCharsets.UTF_8));
      // Referrers are usually pushed by digest: nobody needs a tag for them.
      HttpResponse<byte[]> put =
          wire.send(
              HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/manifests/" + digest))
                  .header("Content-Type", MediaTypes.IMAGE_MANIFEST)
                  .PUT(HttpRequest.BodyPublishers.ofString(manifest, StandardCharsets.UTF_8))
                  .build(),
              manifest);
      statuses.add(put.statusCode());
      subjects.add(Wire.header(put, "OCI-Subject"));
      referrers.add(digest);
    }

    wire.note("List the subject's referrers (end-12a): an image index of descriptors.");
    HttpResponse<byte[]> all =
        wire.send(HttpRequest.newBuilder(referrersOf(wire, subject)).build());
    if (all.statusCode() == 404 || subjects.contains(Optional.empty())) {
      // The registry does not index subjects: the spec's fallback, the referrers tag schema, is
      // then the client's job (an index tagged sha256-<hex of the subject digest>).
      wire.note(
          "No OCI-Subject or no referrers API: a client MUST then maintain the fallback index"
              + " tagged "
              + subject.replace(':', '-')
              + " itself.");
    }
    List<String> listedDigests = new ArrayList<>();
    List<String> listedTypes = new ArrayList<>();
    for (JsonNode d : Wire.json(all).path("manifests")) {
      listedDigests.add(d.path("digest").asText());
      listedTypes.add(d.path("artifactType").asText());
    }

    wire.note("Only the SBOMs (end-12b): the registry says it filtered with OCI-Filters-Applied.");
    HttpResponse<byte[]> filtered =
        wire.send(
            HttpRequest.newBuilder(
                    Wire.withQuery(referrersOf(wire, subject), "artifactType", SBOM_TYPE))
                .build());
    List<String> filteredTypes = new ArrayList<>();
    for (JsonNode d : Wire.json(filtered).path("manifests")) {
      filteredTypes.add(d.path("artifactType").asText());
    }

    return new Result(
        subject,
        statuses,
        subjects,
        all.statusCode(),
        Wire.header(all, "Content-Type"),
        listedDigests,
        listedTypes,
        referrers,
        filtered.statusCode(),
        filteredTypes,
        Wire.header(filtered, "OCI-Filters-Applied"));
  }

  private static URI referrersOf(Wire wire, String digest) {
    return wire.url("/v2/" + REPOSITORY + "/referrers/" + digest);
  }
}
