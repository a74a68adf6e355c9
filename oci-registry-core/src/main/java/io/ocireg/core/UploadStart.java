package io.ocireg.core;

import io.ocireg.storage.BlobInfo;

/**
 * What a {@code POST /blobs/uploads/} did ({@link Registry#startOrMount}): mounted a blob (201),
 * stored a whole blob sent in the request (201), or opened a session (202).
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-blobs">
 *     distribution-spec: pushing blobs</a>
 */
public sealed interface UploadStart {

  /** The blob was mounted from another repository, or from anywhere in the registry. */
  record Mounted(BlobInfo blob) implements UploadStart {}

  /** The whole blob came with the request and is stored. */
  record Stored(BlobInfo blob) implements UploadStart {}

  /** A session is open; the client continues at its location. */
  record Started(UploadStatus session) implements UploadStart {}
}
