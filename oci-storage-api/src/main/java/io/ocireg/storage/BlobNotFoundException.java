package io.ocireg.storage;

import io.ocireg.spec.Digest;

/** The blob asked for is not stored. */
public final class BlobNotFoundException extends StorageException {
  private static final long serialVersionUID = 1L;

  public BlobNotFoundException(Digest digest) {
    super("blob not stored: " + digest);
  }
}
