package io.ocireg.examples.walkthrough;

import java.io.PrintStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prints every request and response of a step ({@code >} lines go out, {@code <} lines come back),
 * so that a reader sees the HTTP exchange the spec describes.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#api">
 *     distribution-spec: API</a>
 */
public final class ExchangePrinter {
  /** Text bodies longer than this are summarised; a manifest or an error fits. */
  static final int MAX_SHOWN_BODY = 2000;

  /** Headers that say nothing about the protocol. */
  private static final Set<String> HIDDEN = Set.of(":status", "date", "connection");

  private static final String API_VERSION = "docker-distribution-api-version";

  private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

  private final PrintStream out;

  /** A printer writing to {@code out}. */
  public ExchangePrinter(PrintStream out) {
    this.out = out;
  }

  /** A line of narration between exchanges. */
  public void note(String text) {
    out.println();
    out.println("# " + text);
  }

  /**
   * The request line, the headers the step set, the framing the client adds ({@code Content-Length}
   * or chunked {@code Transfer-Encoding}), and the body: {@code shownBody} when given, else its
   * size.
   */
  public void request(HttpRequest request, Optional<String> shownBody) {
    out.println();
    out.println("> " + request.method() + " " + request.uri());
    printHeaders("> ", request.headers(), true);
    long length = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
    boolean hasBody = length != 0 || shownBody.isPresent();
    if (!hasBody) {
      if (METHODS_WITH_BODY.contains(request.method())) {
        // The client frames an empty POST/PUT/PATCH body explicitly, as chunked uploads require.
        out.println("> Content-Length: 0");
      }
      return;
    }
    if (length < 0) {
      out.println("> Transfer-Encoding: chunked");
    } else {
      out.println("> Content-Length: " + length);
    }
    out.println(">");
    if (shownBody.isPresent()) {
      printBody("> ", shownBody.get());
    } else {
      out.println(length < 0 ? "> (streamed body, length unknown)" : "> (" + length + " bytes)");
    }
  }

  /** The status, the headers, and the body as text when it is text, else its size. */
  public void response(HttpResponse<?> response) {
    if (!response.uri().equals(response.request().uri())) {
      out.println("  (redirected to " + response.uri() + ")");
    }
    out.println("< " + response.statusCode() + " " + reason(response.statusCode()));
    boolean versionCheck = response.request().uri().getPath().equals("/v2/");
    printHeaders("< ", response.headers(), versionCheck);
    if (response.body() instanceof byte[] body && body.length > 0) {
      out.println("<");
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (isText(type)) {
        printBody("< ", new String(body, StandardCharsets.UTF_8));
      } else {
        out.println("< (" + body.length + " bytes)");
      }
    }
  }

  private void printHeaders(String prefix, HttpHeaders headers, boolean showApiVersion) {
    for (Map.Entry<String, List<String>> e : headers.map().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      // Sent with every answer; step 1 shows it, elsewhere it would only repeat.
      if (HIDDEN.contains(name) || (!showApiVersion && name.equals(API_VERSION))) {
        continue;
      }
      for (String value : e.getValue()) {
        out.println(prefix + canonical(e.getKey()) + ": " + value);
      }
    }
  }

  private void printBody(String prefix, String text) {
    String shown =
        text.length() > MAX_SHOWN_BODY
            ? text.substring(0, MAX_SHOWN_BODY) + "... (" + text.length() + " characters)"
            : text;
    // A final newline ends the last line; it does not start another.
    String body = shown.endsWith("\n") ? shown.substring(0, shown.length() - 1) : shown;
    for (String line : body.split("\n", -1)) {
      out.println(prefix + line);
    }
  }

  /** HTTP/1.1 header names arrive lower-cased; print them as the spec writes them. */
  static String canonical(String name) {
    StringBuilder b = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return b.toString()
        .replace("Oci-", "OCI-")
        .replace("-Api-", "-API-")
        .replace("-Uuid", "-UUID")
        .replace("Etag", "ETag");
  }

  static boolean isText(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    return t.startsWith("text/")
        || t.contains("json")
        || t.contains("yaml")
        || t.contains("xml")
        || t.startsWith("application/x-www-form-urlencoded");
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 206 -> "Partial Content";
      case 307 -> "Temporary Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Payload Too Large";
      case 416 -> "Range Not Satisfiable";
      case 429 -> "Too Many Requests";
      default -> "";
    };
  }
}
