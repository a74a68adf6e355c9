package io.ocireg.spec;

/**
 * A value that does not match its spec grammar: a digest, repository name, tag, reference or media
 * type. Carries the rejected input and the error code a registry answers it with.
 */
public final class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The most characters of a rejected input a message shows. */
  static final int SHOWN = 64;

  private final String input;
  private final ErrorCode code;

  public InvalidValueException(ErrorCode code, String what, String input) {
    super("invalid " + what + ": " + abbreviate(input));
    this.code = code;
    this.input = input;
  }

  /** The value that was rejected, exactly as given. */
  public String input() {
    return input;
  }

  /** The error code a registry serves for this value (NAME_INVALID, DIGEST_INVALID, ...). */
  public ErrorCode code() {
    return code;
  }

  /** This rejection as a registry error, ready to be served. */
  public RegistryException toRegistryException() {
    return new RegistryException(code, getMessage());
  }

  /**
   * The input as it appears in the message: quoted, and cut to its first {@value #SHOWN} characters
   * with its length after them, so that an error never echoes a huge input back to the client.
   */
  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    if (s.length() <= SHOWN) {
      return '"' + s + '"';
    }
    return '"' + s.substring(0, SHOWN) + "\"... (" + s.length() + " characters)";
  }
}
