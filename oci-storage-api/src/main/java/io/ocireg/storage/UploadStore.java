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

  /** The session with this id, or empty when it is unknown, committed or cancelled. */
  Optional<BlobUpload> find(String id);

  /** Ids of sessions last written before {@code olderThan}, for cleanup of abandoned uploads. */
  Page<String> listStale(Instant olderThan, Optional<String> after, int limit);
}
