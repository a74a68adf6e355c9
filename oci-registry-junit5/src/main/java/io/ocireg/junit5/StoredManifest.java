package io.ocireg.junit5;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A manifest as the registry stores it: its digest, media type and bytes exactly as pushed.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">
 *     distribution-spec: pulling manifests</a>
 */
public record StoredManifest(String digest, String mediaType, byte[] content) {
  public StoredManifest {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The content as UTF-8 text (manifests are JSON). */
  public String json() {
    return new String(content, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredManifest m
        && m.digest.equals(digest)
        && m.mediaType.equals(mediaType)
        && Arrays.equals(m.content, content);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "StoredManifest[" + digest + ", " + mediaType + ", " + content.length + " bytes]";
  }
}
