package io.ocireg.server;

/**
 * Thrown when an {@link OciRegistryServer} cannot start: the port is taken, the address cannot be
 * bound, the storage directory cannot be used. The message is one line, fit for an operator.
 */
public final class ServerStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
