package io.ocireg.servlet;

import io.ocireg.spec.RegistryException;
import java.util.Map;

/**
 * A registry error that needs response headers besides the error body: {@code Allow} on a 405, a
 * {@code Content-Range} giving the blob size on an unsatisfiable range.
 */
final class HttpFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RegistryException error;
  private final transient Map<String, String> headers;

  HttpFailure(RegistryException error, Map<String, String> headers) {
    super(error.getMessage(), error, false, false);
    this.error = error;
    this.headers = Map.copyOf(headers);
  }

  RegistryException error() {
    return error;
  }

  Map<String, String> headers() {
    return headers;
  }
}
