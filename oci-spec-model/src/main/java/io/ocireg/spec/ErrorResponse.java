package io.ocireg.spec;

import io.ocireg.spec.internal.JsonCodec;
import java.util.List;

/**
 * The spec's error body, {@code {"errors":[{"code","message","detail"}]}}; the only place it is
 * written.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 */
public record ErrorResponse(List<RegistryException> errors) {
  public ErrorResponse {
    errors = List.copyOf(errors);
  }

  public static ErrorResponse of(RegistryException e) {
    return new ErrorResponse(List.of(e));
  }

  public byte[] toJson() {
    return JsonCodec.errorsJson(this);
  }
}
