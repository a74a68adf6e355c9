package io.ocireg.spec;

/**
 * A value that does not match its spec grammar: a digest, repository name, tag, reference or media
 * type. Carries the rejected input and the error code a registry answers it with.
 */
public final class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

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

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    String q = s.length() > 300 ? s.substring(0, 300) + "..." : s;
    return '"' + q + '"';
  }
}
