package io.ocireg.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v2/}: tells clients this host speaks the distribution API.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#determining-support">
 *     distribution-spec: determining support</a>
 */
final class VersionHandler implements Handler {
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    exchange.sendBytes(200, "application/json", EMPTY_OBJECT);
  }
}
