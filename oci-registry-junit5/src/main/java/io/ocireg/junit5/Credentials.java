package io.ocireg.junit5;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user the registry accepts with HTTP Basic authentication.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617: the Basic scheme</a>
 */
public record Credentials(String username, String password) {
  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** Parses {@code user:password} (the password may contain colons). */
  public static Credentials parse(String userColonPassword) {
    int colon = userColonPassword.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected user:password, got " + userColonPassword);
    }
    return new Credentials(
        userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
  }

  /** The value of an {@code Authorization} header for these credentials. */
  public String basicAuthorization() {
    String pair = username + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + username + ", ***]";
  }
}
