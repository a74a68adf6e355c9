package io.ocireg.storage;

import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import java.time.Instant;
import java.util.Objects;

/**
 * A manifest as stored: the exact bytes pushed, the media type they were pushed with, their digest,
 * when they were pushed, and the total size of what they reference (for display without a scan).
 */
public record ManifestRecord(
    Digest digest, MediaType mediaType, byte[] content, Instant pushedAt, long contentSize) {
  public ManifestRecord {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(pushedAt, "pushedAt");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ManifestRecord m
        && digest.equals(m.digest)
        && mediaType.equals(m.mediaType)
        && java.util.Arrays.equals(content, m.content)
        && pushedAt.equals(m.pushedAt)
        && contentSize == m.contentSize;
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "ManifestRecord[" + digest + ", " + mediaType + ", " + content.length + " bytes]";
  }
}
