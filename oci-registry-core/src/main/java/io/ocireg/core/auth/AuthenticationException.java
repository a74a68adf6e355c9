package io.ocireg.core.auth;

import java.util.Optional;

/**
 * Credentials were presented and are wrong: an unknown user, a wrong password, a token that does
 * not verify. The message says why for the log and never contains the credential itself.
 */
public class AuthenticationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String user;

  /** A failure of credentials claiming to be {@code user} (null when unknown). */
  public AuthenticationException(String message, String user) {
    super(message, null, false, false);
    this.user = user;
  }

  /** The user the failed credentials named, for throttling per user. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }
}
