package io.ocireg.core;

import io.ocireg.storage.BlobInfo;
import java.io.InputStream;
import java.util.Optional;

/**
 * A blob opened for a {@code GET}: its info, the inclusive byte range served when a range was asked
 * for, and the stream of exactly those bytes (the caller closes it).
 */
public record BlobContent(BlobInfo info, Optional<long[]> range, InputStream stream)
    implements AutoCloseable {

  /** Number of bytes {@link #stream()} yields. */
  public long length() {
    return range.map(r -> r[1] - r[0] + 1).orElse(info.size());
  }

  @Override
  public void close() throws java.io.IOException {
    stream.close();
  }
}
