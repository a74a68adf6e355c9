// Teaches: storing any content (not an image) as an OCI artifact, the way ORAS does.
// Spec: distribution-spec v1.1, "Pushing Manifests"; image-spec v1.1, artifact guidelines.
// Endpoints: end-4b (the empty config {}, a JSON agent card, a YAML workflow), end-7, end-3, end-2.
package io.ocireg.examples.walkthrough;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 8: an artifact is an image manifest whose {@code artifactType} says what it holds and whose
 * config is the empty descriptor ({@code application/vnd.oci.empty.v1+json}, the two bytes {@code
 * {}}), because there is nothing to configure. Its layers are the files, each with its own media
 * type and, as ORAS sets it, an {@code org.opencontainers.image.title} annotation with the file
 * name. Here: an AI agent's card (JSON) and its workflow (YAML).
 *
 * @see <a
 *     href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md#guidelines-for-artifact-usage">
 *     image-spec: guidelines for artifact usage</a>
 * @see <a
 *     href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md#guidance-for-an-empty-descriptor">
 *     image-spec: the empty descriptor</a>
 */
public final class Step08PushArtifact {
  private Step08PushArtifact() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step08";

  /** The tag of the artifact. */
  public static final String TAG = "v1";

  /** What the artifact is: an agent, in a made-up vendor namespace. */
  public static final String ARTIFACT_TYPE = "application/vnd.example.agent.v1";

  /** The media type of the workflow file. */
  public static final String WORKFLOW_TYPE = "application/vnd.example.workflow.v1+yaml";

  /** The empty JSON object, the config of every artifact that needs none. */
  public static final String EMPTY_JSON = "{}";

  /** The agent card, pushed as an {@code application/json} layer. */
  public static final String AGENT_CARD =
      """
      {
        "name": "release-notes-agent",
        "description": "Drafts release notes from the pull requests merged since the last tag.",
        "version": "1.0.0",
        "skills": [{"id": "draft-release-notes", "name": "Draft release notes"}]
      }
      """;

  /** The workflow, pushed as a layer of its own media type. */
  public static final String WORKFLOW =
      """
      name: draft-release-notes
      on:
        tag: "v*"
      steps:
        - collect: merged-pull-requests
        - summarise: by-label
        - publish: release-draft
      """;

  /**
   * What the push and the pull back found.
   *
   * @param emptyConfigDigest the digest of {@code {}}: always {@code sha256:44136fa3...}
   * @param blobStatuses the single-{@code POST} pushes of the config and both files: 201 each
   * @param manifestStatus {@code PUT /manifests/v1}: 201
   * @param manifestDigest the digest the client computed over the manifest
   * @param pulledArtifactType {@code artifactType} of the manifest pulled back
   * @param pulledConfigMediaType the media type of its config: the empty type
   * @param layerMediaTypes the media types of its layers, in order
   * @param layerTitles their {@code org.opencontainers.image.title} annotations
   * @param workflowStatus {@code GET} of the workflow blob: 200
   * @param workflowDigestMatches whether the workflow bytes hash to the digest the manifest names
   * @param workflow the workflow pulled back, as text
   */
  public record Result(
      String emptyConfigDigest,
      List<Integer> blobStatuses,
      int manifestStatus,
      String manifestDigest,
      String pulledArtifactType,
      String pulledConfigMediaType,
      List<String> layerMediaTypes,
      List<String> layerTitles,
      int workflowStatus,
      boolean workflowDigestMatches,
      String workflow) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step08PushArtifact::run);
  }

  /** Pushes the agent artifact as {@code walkthrough/step08:v1} and pulls its workflow back. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    byte[] empty = EMPTY_JSON.getBytes(StandardCharsets.UTF_8);
    byte[] card = AGENT_CARD.getBytes(StandardCharsets.UTF_8);
    byte[] workflow = WORKFLOW.getBytes(StandardCharsets.UTF_8);

    wire.note(
        "Push the three blobs, each with a single POST (end-4b): {}, the card, the workflow.");
    List<Integer> blobStatuses = new ArrayList<>();
    for (byte[] blob : List.of(empty, card, workflow)) {
      blobStatuses.add(pushInOnePost(wire, blob));
    }

    String manifest =
        """
        {
          "schemaVersion": 2,
          "mediaType": "%s",
          "artifactType": "%s",
          "config": {
            "mediaType": "%s",
            "digest": "%s",
            "size": %d,
            "data": "e30="
          },
          "layers": [
            {
              "mediaType": "application/json",
              "digest": "%s",
              "size": %d,
              "annotations": {"org.opencontainers.image.title": "agent-card.json"}
            },
            {
              "mediaType": "%s",
              "digest": "%s",
              "size": %d,
              "annotations": {"org.opencontainers.image.title": "workflow.yaml"}
            }
          ],
          "annotations": {"org.opencontainers.image.created": "2026-01-01T00:00:00Z"}
        }
        """
            .formatted(
                MediaTypes.IMAGE_MANIFEST,
                ARTIFACT_TYPE,
                MediaTypes.EMPTY,
                Digests.sha256(empty),
                empty.length,
                Digests.sha256(card),
                card.length,
                WORKFLOW_TYPE,
                Digests.sha256(workflow),
                workflow.length);
    wire.note(
        "The manifest: artifactType says what this is; the config is the empty descriptor"
            + " (its data field carries {} inline, base64 \"e30=\").");
    HttpResponse<byte[]> put =
        wire.pushManifest(REPOSITORY, TAG, MediaTypes.IMAGE_MANIFEST, manifest);

    wire.note("Pull it back (end-3) and fetch the workflow by the digest its layer names (end-2).");
    HttpResponse<byte[]> pulled =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/manifests/" + TAG))
                .header("Accept", MediaTypes.IMAGE_MANIFEST)
                .build());
    Wire.expect(pulled, 200);
    JsonNode m = Wire.json(pulled);
    List<String> layerTypes = new ArrayList<>();
    List<String> titles = new ArrayList<>();
    String workflowDigest = "";
    for (JsonNode layer : m.path("layers")) {
      layerTypes.add(layer.path("mediaType").asText());
      String title = layer.path("annotations").path("org.opencontainers.image.title").asText();
      titles.add(title);
      if (title.equals("workflow.yaml")) {
        workflowDigest = layer.path("digest").asText();
      }
    }
    HttpResponse<byte[]> wf =
        wire.send(
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/blobs/" + workflowDigest))
                .build());

    return new Result(
        Digests.sha256(empty),
        blobStatuses,
        put.statusCode(),
        Digests.sha256(manifest.getBytes(StandardCharsets.UTF_8)),
        m.path("artifactType").asText(),
        m.path("config").path("mediaType").asText(),
        layerTypes,
        titles,
        wf.statusCode(),
        Digests.sha256(wf.body()).equals(workflowDigest),
        new String(wf.body(), StandardCharsets.UTF_8));
  }

  private static int pushInOnePost(Wire wire, byte[] blob) throws Exception {
    String digest = Digests.sha256(blob);
    HttpResponse<byte[]> post =
        wire.send(
            HttpRequest.newBuilder(
                    Wire.withQuery(
                        wire.url("/v2/" + REPOSITORY + "/blobs/uploads/"), "digest", digest))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build());
    if (post.statusCode() == 202) {
      // The registry wants a PUT to finish (see step 2).
      HttpResponse<byte[]> put =
          wire.send(
              HttpRequest.newBuilder(Wire.withQuery(wire.location(post), "digest", digest))
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                  .build());
      return put.statusCode();
    }
    return post.statusCode();
  }
}
