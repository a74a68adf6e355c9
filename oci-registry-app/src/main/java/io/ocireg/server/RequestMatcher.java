package io.ocireg.server;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Chooses the requests a fault applies to: a method (or any) and a regular expression that the raw
 * request path must match whole, optionally narrowed by a predicate over the request line. The
 * factories name the endpoints tests aim at most.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#endpoints">
 *     distribution-spec: endpoints</a>
 */
public final class RequestMatcher {
  /** A request as a matcher sees it before it is answered. */
  public record RequestLine(String method, String path, String query) {}

  private static final String NAME = "/v2/.+";

  private final String method;
  private final Pattern path;
  private final Predicate<RequestLine> also;

  private RequestMatcher(String method, Pattern path, Predicate<RequestLine> also) {
    this.method = method;
    this.path = path;
    this.also = also;
  }

  /**
   * Requests with {@code method} ({@code "*"} for any) whose raw path matches {@code pathRegex}.
   */
  public static RequestMatcher of(String method, String pathRegex) {
    Objects.requireNonNull(method, "method");
    return new RequestMatcher(method, Pattern.compile(pathRegex), r -> true);
  }

  /** Every request. */
  public static RequestMatcher any() {
    return of("*", ".*");
  }

  /** {@code GET} of a blob. */
  public static RequestMatcher blobGet() {
    return of("GET", NAME + "/blobs/[^/]+");
  }

  /** {@code HEAD} of a blob (the existence check clients make before uploading). */
  public static RequestMatcher blobHead() {
    return of("HEAD", NAME + "/blobs/[^/]+");
  }

  /** {@code POST} that opens an upload, pushes a blob in one request or mounts one. */
  public static RequestMatcher uploadStart() {
    return of("POST", NAME + "/blobs/uploads/?");
  }

  /** {@code PATCH} of an upload chunk. */
  public static RequestMatcher uploadChunk() {
    return of("PATCH", NAME + "/blobs/uploads/[^/]+");
  }

  /** {@code PUT} that closes an upload. */
  public static RequestMatcher uploadClose() {
    return of("PUT", NAME + "/blobs/uploads/[^/]+");
  }

  /** {@code GET} of a manifest. */
  public static RequestMatcher manifestGet() {
    return of("GET", NAME + "/manifests/[^/]+");
  }

  /** {@code PUT} of a manifest. */
  public static RequestMatcher manifestPut() {
    return of("PUT", NAME + "/manifests/[^/]+");
  }

  /** This matcher, also requiring {@code condition}. */
  public RequestMatcher and(Predicate<RequestLine> condition) {
    Objects.requireNonNull(condition, "condition");
    return new RequestMatcher(method, path, also.and(condition));
  }

  /** This matcher, limited to paths under repository {@code repository}. */
  public RequestMatcher inRepository(String repository) {
    String prefix = "/v2/" + repository + "/";
    return and(r -> r.path().startsWith(prefix));
  }

  /** Whether {@code request} is one of the requests this matcher chooses. */
  public boolean matches(RequestLine request) {
    return (method.equals("*") || method.equalsIgnoreCase(request.method()))
        && path.matcher(request.path()).matches()
        && also.test(request);
  }

  @Override
  public String toString() {
    return method + " " + path.pattern();
  }
}
