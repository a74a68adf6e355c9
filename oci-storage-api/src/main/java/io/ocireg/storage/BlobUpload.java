package io.ocireg.storage;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import java.io.InputStream;
import java.time.Instant;

/**
 * One upload session: append chunks, then commit under the expected digest, or cancel.
 *
 * <p>Contract: {@link #append} is all-or-nothing per call (a failed read of the input leaves the
 * session at its previous size); {@link #commit} verifies the digest of all bytes before anything
 * becomes visible, publishes the blob atomically and durably, and ends the session; committing a
 * digest that is already stored succeeds; {@link #cancel} is safe twice and after commit.
 */
public interface BlobUpload {

  /** The session id, safe to put in a URL. */
  String id();

  /** The repository that opened the session. */
  RepositoryName repository();

  /** Bytes received so far. */
  long size();

  Instant startedAt();

  /**
   * Appends all of {@code data} when the session currently holds exactly {@code expectedOffset}
   * bytes; returns the new size. Throws {@link UploadOffsetException} when the offset differs
   * (another chunk came first), {@link UploadNotFoundException} when the session has ended.
   * Concurrent appends to one session are serialized: of two chunks offered at the same offset, one
   * is appended and the other rejected. A failure to read {@code data} is rethrown ({@link
   * java.io.IOException} wrapped in {@link java.io.UncheckedIOException}) and leaves the session as
   * it was.
   */
  long append(long expectedOffset, InputStream data);

  /**
   * Verifies that the received bytes hash to {@code expected}, then publishes them as that blob and
   * ends the session. Throws {@link DigestMismatchException} when the content does not match (the
   * session is then cancelled and nothing is stored), {@link UploadNotFoundException} when the
   * session has ended, and {@link IllegalArgumentException} when {@code expected} uses an algorithm
   * that is not {@linkplain Digest#isSupported() supported} (the session then stays open). Returns
   * what is stored under the digest, which may be an older blob with the same content.
   */
  BlobInfo commit(Digest expected);

  /** Ends the session and discards its bytes. Safe to call twice, and after commit. */
  void cancel();
}
