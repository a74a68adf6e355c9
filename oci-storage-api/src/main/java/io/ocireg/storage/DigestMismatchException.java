package io.ocireg.storage;

import io.ocireg.spec.Digest;

/** The uploaded bytes do not hash to the digest the client claimed. */
public final class DigestMismatchException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final Digest expected;
  private final Digest actual;

  public DigestMismatchException(Digest expected, Digest actual) {
    super("expected " + expected + " but content hashes to " + actual);
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
