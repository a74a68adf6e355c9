package io.ocireg.spec;

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

  public RegistryException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public RegistryException(ErrorCode code, String message, String detail) {
    this(code, message, detail, Objects.requireNonNull(code, "code").status(), null);
  }

  private RegistryException(
      ErrorCode code, String message, String detail, int status, Throwable cause) {
    super(message == null ? code.defaultMessage() : message, cause);
    this.code = code;
    this.detail = detail;
    this.status = status;
  }

  /** The same error served with another HTTP status (for example 416 or 413). */
  public RegistryException withStatus(int newStatus) {
    return new RegistryException(code, getMessage(), detail, newStatus, getCause());
  }

  /** The same error, remembering what caused it (never shown to clients). */
  public RegistryException withCause(Throwable cause) {
    return new RegistryException(code, getMessage(), detail, status, cause);
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
}
