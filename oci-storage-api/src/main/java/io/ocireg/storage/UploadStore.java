package io.ocireg.storage;

import io.ocireg.spec.RepositoryName;
import java.time.Instant;
import java.util.Optional;

/**
 * Upload sessions: where blob bytes accumulate before they are committed under their digest. A
 * session outlives the process that opened it, so that a client can resume after a restart.
 */
public interface UploadStore {

  /** Opens a new, empty session for {@code repository} with a fresh unguessable id. */
  BlobUpload create(RepositoryName repository);

  /**
   * The session with this id, or empty when it is unknown, committed or cancelled. Any string may
   * be asked for (it comes from a URL): ids this store never issued simply give empty.
   */
  Optional<BlobUpload> find(String id);

  /**
   * Ids of open sessions last written (created or appended to) before {@code olderThan}, in
   * ascending order after {@code after}, for cleanup of abandoned uploads.
   */
  Page<String> listStale(Instant olderThan, Optional<String> after, int limit);
}
