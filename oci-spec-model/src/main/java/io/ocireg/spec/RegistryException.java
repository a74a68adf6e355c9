package io.ocireg.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type of the registry: an {@link ErrorCode}, a message, an optional detail and
 * the HTTP status to serve it with. Everything that goes wrong in a request ends as one of these,
 * and one writer turns it into the spec's error body.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int status;
  private final String detail;
  private final Map<String, String> headers;

  public RegistryException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public RegistryException(ErrorCode code, String message, String detail) {
    this(code, message, detail, Objects.requireNonNull(code, "code").status(), null, Map.of());
  }

  private RegistryException(
      ErrorCode code,
      String message,
      String detail,
      int status,
      Throwable cause,
      Map<String, String> headers) {
    super(message == null ? code.defaultMessage() : message, cause);
    this.code = code;
    this.detail = detail;
    this.status = status;
    this.headers = headers;
  }

  /** The same error served with another HTTP status (for example 416 or 413). */
  public RegistryException withStatus(int newStatus) {
    return new RegistryException(code, getMessage(), detail, newStatus, getCause(), headers);
  }

  /** The same error, remembering what caused it (never shown to clients). */
  public RegistryException withCause(Throwable cause) {
    return new RegistryException(code, getMessage(), detail, status, cause, headers);
  }

  /**
   * The same error, served with one more response header: {@code Allow} on a 405, {@code
   * Content-Range: bytes *}{@code /<size>} on a 416. A header of the same name is replaced.
   */
  public RegistryException withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new RegistryException(
        code, getMessage(), detail, status, getCause(), Collections.unmodifiableMap(more));
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return status;
  }

  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /** Response headers the error is served with besides its body, in the order they were added. */
  public Map<String, String> headers() {
    return headers;
  }
}
