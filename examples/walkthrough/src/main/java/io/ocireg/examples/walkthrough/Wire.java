package io.ocireg.examples.walkthrough;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@link HttpClient} talking to one registry, printing each exchange through an {@link
 * ExchangePrinter}; the steps build their own {@link HttpRequest}s, this only sends them. The two
 * moves that later steps repeat (push a blob, push a manifest) are written out here once, in the
 * plain HTTP of steps 2 and 5.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#push">
 *     distribution-spec: push</a>
 */
public final class Wire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI registry;
  private final HttpClient http;
  private final ExchangePrinter printer;

  /** A client for the registry at {@code registry} (such as {@code http://localhost:5000}). */
  public Wire(URI registry, PrintStream out) {
    String base = registry.toString();
    this.registry = URI.create(base.endsWith("/") ? base : base + "/");
    // HTTP/1.1 keeps the exchange as the spec writes it (no h2c upgrade); redirects, which some
    // registries answer blob GETs with, are followed and shown.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.printer = new ExchangePrinter(out);
  }

  /** The registry's base URL, ending in {@code /}. */
  public URI registry() {
    return registry;
  }

  /** The absolute URL of an API path such as {@code /v2/<name>/tags/list}. */
  public URI url(String path) {
    return registry.resolve(path);
  }

  /**
   * The {@code Location} of a response as an absolute URL: registries may answer with a path only,
   * which is relative to the request.
   */
  public URI location(HttpResponse<?> response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(() -> new IllegalStateException("the response has no Location header"));
    return response.uri().resolve(location);
  }

  /**
   * {@code url} with one more query parameter: an upload location may already carry parameters of
   * the registry's own, which must be kept.
   */
  public static URI withQuery(URI url, String name, String value) {
    String s = url.toString();
    String separator = url.getRawQuery() == null ? "?" : "&";
    // ':' and '/' may stand as they are in a query (RFC 3986): digests and names stay readable.
    String encoded =
        URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%3A", ":").replace("%2F", "/");
    return URI.create(s + separator + name + "=" + encoded);
  }

  /** Prints a line of narration. */
  public void note(String text) {
    printer.note(text);
  }

  /** Sends {@code request}, printing it (the body as its size) and the response. */
  public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return send(request, Optional.empty());
  }

  /** Sends {@code request}, printing it with {@code shownBody} as its body, and the response. */
  public HttpResponse<byte[]> send(HttpRequest request, String shownBody)
      throws IOException, InterruptedException {
    return send(request, Optional.of(shownBody));
  }

  private HttpResponse<byte[]> send(HttpRequest request, Optional<String> shownBody)
      throws IOException, InterruptedException {
    printer.request(request, shownBody);
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    printer.response(response);
    return response;
  }

  /**
   * Sends {@code request} and hands the response body to {@code handler} as it arrives (for blobs,
   * which a client never holds whole); prints the response without its body.
   */
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    printer.request(request, Optional.empty());
    HttpResponse<T> response = http.send(request, handler);
    printer.response(response);
    return response;
  }

  /** The response body parsed as JSON. */
  public static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("the response body is not JSON", e);
    }
  }

  /** The first value of a response header, if present. */
  public static Optional<String> header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name);
  }

  /**
   * Pushes {@code content} as a blob of {@code repository} the way step 2 first shows it: {@code
   * POST} for a session, then {@code PUT <location>?digest=} with the bytes. Returns its digest.
   */
  public String pushBlob(String repository, byte[] content)
      throws IOException, InterruptedException {
    String digest = Digests.sha256(content);
    HttpResponse<byte[]> session =
        send(
            HttpRequest.newBuilder(url("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    expect(session, 202);
    HttpResponse<byte[]> put =
        send(
            HttpRequest.newBuilder(withQuery(location(session), "digest", digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build());
    expect(put, 201);
    return digest;
  }

  /**
   * Pushes {@code manifest} (JSON text) to {@code /v2/<repository>/manifests/<reference>} with
   * {@code mediaType} as its {@code Content-Type}, as step 5 shows it.
   */
  public HttpResponse<byte[]> pushManifest(
      String repository, String reference, String mediaType, String manifest)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> put =
        send(
            HttpRequest.newBuilder(url("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofString(manifest, StandardCharsets.UTF_8))
                .build(),
            manifest);
    expect(put, 201);
    return put;
  }

  /** Fails the step when the registry did not answer as the spec says it must. */
  public static void expect(HttpResponse<?> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          response.request().method()
              + " "
              + response.request().uri()
              + " answered "
              + response.statusCode()
              + ", expected "
              + status);
    }
  }
}
