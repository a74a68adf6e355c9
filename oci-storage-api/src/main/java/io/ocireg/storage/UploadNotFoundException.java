package io.ocireg.storage;

/** The upload session is unknown, committed or cancelled. */
public final class UploadNotFoundException extends StorageException {
  private static final long serialVersionUID = 1L;

  public UploadNotFoundException(String id) {
    super("upload session not found: " + id);
  }
}
