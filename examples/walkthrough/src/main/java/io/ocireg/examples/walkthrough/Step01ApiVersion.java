// Teaches: how a client finds out that a host speaks the OCI distribution API at all.
// Spec: distribution-spec v1.1, "Determining Support".
// Endpoints: end-1 (GET /v2/: 200 yes; 401 yes, authenticate first; 404 no).
package io.ocireg.examples.walkthrough;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Step 1: {@code GET /v2/} answers 200 when the registry implements the spec; the legacy {@code
 * Docker-Distribution-API-Version} header says the same to Docker-era clients.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#determining-support">
 *     distribution-spec: determining support</a>
 */
public final class Step01ApiVersion {
  private Step01ApiVersion() {}

  /**
   * What the version check found.
   *
   * @param status the status of {@code GET /v2/}
   * @param apiVersion the {@code Docker-Distribution-API-Version} header, when sent
   * @param body the response body (this registry sends {@code {}})
   */
  public record Result(int status, Optional<String> apiVersion, String body) {
    /** 200 is the one answer that means "this registry implements the spec". */
    public boolean supported() {
      return status == 200;
    }
  }

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step01ApiVersion::run);
  }

  /** Sends {@code GET /v2/} and reads the answer. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    wire.note("Does this host implement the distribution spec? Ask GET /v2/ (end-1).");
    HttpResponse<byte[]> response =
        wire.send(HttpRequest.newBuilder(wire.url("/v2/")).GET().build());
    // 200: yes. 401: yes, but authenticate first (WWW-Authenticate says how). 404: no.
    Result result =
        new Result(
            response.statusCode(),
            Wire.header(response, "Docker-Distribution-API-Version"),
            new String(response.body(), StandardCharsets.UTF_8));
    wire.note(
        result.supported()
            ? "200: the registry implements the spec; the client may go on."
            : "Not 200: proceed as if the registry did not implement the spec.");
    return result;
  }
}
