package io.ocireg.servlet;

import java.util.List;

/**
 * The endpoint families of the distribution API and the methods each answers; {@code OPTIONS} is
 * answered for all of them.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#endpoints">
 *     distribution-spec: endpoints</a>
 */
enum Endpoint {
  /** {@code /v2/}: the version check (end-1). */
  BASE("GET", "HEAD"),
  /** {@code /v2/_catalog}: the repository listing every Docker registry serves. */
  CATALOG("GET", "HEAD"),
  /** {@code /v2/<name>/blobs/<digest>} (end-2, end-10). */
  BLOB("GET", "HEAD", "DELETE"),
  /** {@code /v2/<name>/blobs/uploads/} (end-4a, end-4b, end-11). */
  UPLOAD_START("POST"),
  /** {@code /v2/<name>/blobs/uploads/<id>} (end-5, end-6, end-13, end-14). */
  UPLOAD("GET", "HEAD", "PATCH", "PUT", "DELETE"),
  /** {@code /v2/<name>/manifests/<reference>} (end-3, end-7, end-9). */
  MANIFEST("GET", "HEAD", "PUT", "DELETE"),
  /** {@code /v2/<name>/tags/list} (end-8a, end-8b). */
  TAGS("GET", "HEAD"),
  /** {@code /v2/<name>/referrers/<digest>} (end-12a, end-12b). */
  REFERRERS("GET", "HEAD");

  private final List<String> methods;

  Endpoint(String... methods) {
    this.methods = List.of(methods);
  }

  boolean allows(String method) {
    return methods.contains(method);
  }

  /** The value of an {@code Allow} header for this endpoint. */
  String allowHeader() {
    return String.join(", ", methods) + ", OPTIONS";
  }
}
