package io.ocireg.core;

/**
 * Client input as an error message or detail shows it: cut to its first {@value #SHOWN} characters,
 * so that an error never echoes a huge input back (a digest of an unknown algorithm, an upload id
 * or a header has no length limit of its own).
 */
final class Abbreviation {
  static final int SHOWN = 100;

  private Abbreviation() {}

  /** {@code s} whole when short, else its start and its length; {@code "null"} for null. */
  static String of(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "... (" + s.length() + " characters)";
  }
}
