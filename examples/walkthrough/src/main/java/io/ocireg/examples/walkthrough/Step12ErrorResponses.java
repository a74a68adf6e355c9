// Teaches: reading a registry's errors: the HTTP status, then the codes of the JSON error body.
// Spec: distribution-spec v1.1, "Error Codes" (code-1 ... code-14).
// Endpoints: requests that fail on purpose: end-2, end-3, end-4b, end-7, end-8a, end-13, a 405.
package io.ocireg.examples.walkthrough;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Step 12: a 4xx answer carries {@code {"errors":[{"code":..., "message":..., "detail":...}]}}. The
 * status says what kind of failure it is; the code says exactly which one, and is what a client
 * should act on (an unknown code counts as {@code UNKNOWN}). Each request here fails on purpose.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 */
public final class Step12ErrorResponses {
  private Step12ErrorResponses() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step12";

  /**
   * One failed request.
   *
   * @param what what the request got wrong (the key tests look answers up by)
   * @param status the HTTP status
   * @param contentType the {@code Content-Type} of the answer
   * @param code the first error code of the body; empty when the body held none
   * @param message that error's message
   */
  public record ErrorAnswer(
      String what, int status, Optional<String> contentType, String code, String message) {}

  /**
   * The answers, in the order sent.
   *
   * @param answers one per failed request
   */
  public record Result(List<ErrorAnswer> answers) {
    /** The answer to the request described as {@code what}. */
    public ErrorAnswer answerTo(String what) {
      return answers.stream()
          .filter(a -> a.what().equals(what))
          .findFirst()
          .orElseThrow(() -> new NoSuchElementException(what));
    }
  }

  /** The failures this step provokes, as {@link ErrorAnswer#what()} names them. */
  public static final String UNKNOWN_REPOSITORY = "tags of a repository never pushed";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String UNKNOWN_MANIFEST = "a tag that does not exist";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String UNKNOWN_BLOB = "a blob that does not exist";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String WRONG_DIGEST = "bytes that do not match the digest given";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String MALFORMED_DIGEST = "a digest that is not one";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String INVALID_MANIFEST = "a manifest that is not JSON";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String MISSING_BLOBS = "a manifest naming blobs never pushed";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String INVALID_NAME = "a repository name with capitals";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String UNKNOWN_UPLOAD = "the status of an upload that does not exist";

  /** See {@link #UNKNOWN_REPOSITORY}. */
  public static final String UNSUPPORTED_METHOD = "PATCH on a manifest";

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step12ErrorResponses::run);
  }

  /** Sends ten requests that fail, and reads each error. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    wire.note("Setup: a repository holding one blob, so that it exists.");
    byte[] present = "present\n".getBytes(StandardCharsets.UTF_8);
    wire.pushBlob(REPOSITORY, present);
    String absent = Digests.sha256("never pushed\n".getBytes(StandardCharsets.UTF_8));
    String manifestWithMissingBlobs =
        """
        {
          "schemaVersion": 2,
          "mediaType": "%s",
          "config": {"mediaType": "%s", "digest": "%s", "size": 13},
          "layers": []
        }
        """
            .formatted(MediaTypes.IMAGE_MANIFEST, MediaTypes.IMAGE_CONFIG, absent);

    List<ErrorAnswer> answers = new ArrayList<>();
    answers.add(
        ask(wire, UNKNOWN_REPOSITORY, get(wire, "/v2/walkthrough/step12-never-pushed/tags/list")));
    answers.add(ask(wire, UNKNOWN_MANIFEST, get(wire, "/v2/" + REPOSITORY + "/manifests/nope")));
    answers.add(ask(wire, UNKNOWN_BLOB, get(wire, "/v2/" + REPOSITORY + "/blobs/" + absent)));
    answers.add(
        ask(
            wire,
            WRONG_DIGEST,
            HttpRequest.newBuilder(
                    Wire.withQuery(
                        wire.url("/v2/" + REPOSITORY + "/blobs/uploads/"), "digest", absent))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(present))
                .build()));
    answers.add(
        ask(wire, MALFORMED_DIGEST, get(wire, "/v2/" + REPOSITORY + "/blobs/sha256:not-hex")));
    answers.add(
        ask(
            wire,
            INVALID_MANIFEST,
            putManifest(wire, "broken", "this is not JSON"),
            "this is not JSON"));
    answers.add(
        ask(
            wire,
            MISSING_BLOBS,
            putManifest(wire, "missing-blobs", manifestWithMissingBlobs),
            manifestWithMissingBlobs));
    answers.add(ask(wire, INVALID_NAME, get(wire, "/v2/Walkthrough/Step12/tags/list")));
    answers.add(
        ask(wire, UNKNOWN_UPLOAD, get(wire, "/v2/" + REPOSITORY + "/blobs/uploads/no-such-id")));
    answers.add(
        ask(
            wire,
            UNSUPPORTED_METHOD,
            HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/manifests/latest"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build()));
    return new Result(answers);
  }

  private static ErrorAnswer ask(Wire wire, String what, HttpRequest request) throws Exception {
    wire.note("Provoke an error: " + what + ".");
    return read(what, wire.send(request));
  }

  private static ErrorAnswer ask(Wire wire, String what, HttpRequest request, String shownBody)
      throws Exception {
    wire.note("Provoke an error: " + what + ".");
    return read(what, wire.send(request, shownBody));
  }

  /** The status, then the first code of the error body (a body that is not JSON has none). */
  private static ErrorAnswer read(String what, HttpResponse<byte[]> response) {
    String code = "";
    String message = "";
    Optional<String> type = Wire.header(response, "Content-Type");
    if (type.filter(t -> t.contains("json")).isPresent() && response.body().length > 0) {
      JsonNode first = Wire.json(response).path("errors").path(0);
      code = first.path("code").asText("");
      message = first.path("message").asText("");
    }
    return new ErrorAnswer(what, response.statusCode(), type, code, message);
  }

  private static HttpRequest get(Wire wire, String path) {
    return HttpRequest.newBuilder(wire.url(path)).GET().build();
  }

  private static HttpRequest putManifest(Wire wire, String tag, String body) {
    return HttpRequest.newBuilder(wire.url("/v2/" + REPOSITORY + "/manifests/" + tag))
        .header("Content-Type", MediaTypes.IMAGE_MANIFEST)
        .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
  }
}
