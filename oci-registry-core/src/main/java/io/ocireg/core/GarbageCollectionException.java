package io.ocireg.core;

/** A garbage collection did not run, or stopped before sweeping anything. */
public final class GarbageCollectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the run did not complete. */
  public enum Reason {
    /** Another collection (or scrub) of this engine is in progress. */
    ALREADY_RUNNING,
    /** Marking failed, so nothing was swept: a collector never deletes on partial knowledge. */
    MARK_FAILED
  }

  private final Reason reason;

  GarbageCollectionException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
