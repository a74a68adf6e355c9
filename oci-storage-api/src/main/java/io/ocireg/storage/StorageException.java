package io.ocireg.storage;

/** A failure of the storage itself (I/O error, corruption); never a client mistake. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
