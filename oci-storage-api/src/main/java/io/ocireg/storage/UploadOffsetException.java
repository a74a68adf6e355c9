package io.ocireg.storage;

/** A chunk was offered at an offset that is not where the session currently ends. */
public final class UploadOffsetException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final long currentSize;

  public UploadOffsetException(long expected, long currentSize) {
    super("chunk starts at " + expected + " but the upload holds " + currentSize + " bytes");
    this.currentSize = currentSize;
  }

  public long currentSize() {
    return currentSize;
  }
}
