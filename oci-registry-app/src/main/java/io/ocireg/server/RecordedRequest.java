package io.ocireg.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request as the {@link RequestJournal} saw it: what the client sent and what it got back. Only
 * the headers that matter to the distribution protocol are kept (never {@code Authorization});
 * names are case-insensitive.
 *
 * @param time when the request arrived
 * @param method the HTTP method
 * @param path the raw (still percent-encoded) request path, such as {@code /v2/lib/app/blobs/...}
 * @param query the raw query string, empty when there is none
 * @param status the status answered
 * @param requestHeaders {@code Accept}, {@code Content-Type}, {@code Content-Length}, {@code
 *     Content-Range} and {@code Range} as sent
 * @param responseHeaders {@code Location}, {@code Docker-Content-Digest}, {@code Content-Type},
 *     {@code Content-Range}, {@code Range}, {@code OCI-Subject}, {@code Retry-After} and {@code
 *     WWW-Authenticate} as answered
 * @param requestBytes body bytes read from the client
 * @param responseBytes body bytes written to the client
 * @param duration time from arrival to the end of the response
 * @param fault the injected fault that shaped the answer, when one did
 */
public record RecordedRequest(
    Instant time,
    String method,
    String path,
    String query,
    int status,
    Map<String, String> requestHeaders,
    Map<String, String> responseHeaders,
    long requestBytes,
    long responseBytes,
    Duration duration,
    Optional<String> fault) {

  public RecordedRequest {
    requestHeaders = caseInsensitive(requestHeaders);
    responseHeaders = caseInsensitive(responseHeaders);
  }

  /** A request header as sent, such as {@code Accept}. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(requestHeaders.get(name));
  }

  /** A response header as answered, such as {@code Location}. */
  public Optional<String> responseHeader(String name) {
    return Optional.ofNullable(responseHeaders.get(name));
  }

  /** The first value of a query parameter, decoded; empty when absent. */
  public Optional<String> queryParameter(String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        return Optional.of(URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** {@code METHOD path[?query] -> status}, for assertion messages. */
  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status;
  }

  private static Map<String, String> caseInsensitive(Map<String, String> headers) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    return Collections.unmodifiableMap(copy);
  }
}
