package io.ocireg.examples.walkthrough;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests in the wire form {@code sha256:<64 hex digits>}, computed by the client itself:
 * what it pushes and pulls is verified against its own hash, never only the registry's word.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/descriptor.md#digests">
 *     image-spec: digests</a>
 */
public final class Digests {
  private Digests() {}

  /** The digest of {@code content}. */
  public static String sha256(byte[] content) {
    MessageDigest md = newSha256();
    return format(md.digest(content));
  }

  /** A fresh SHA-256 hasher, for content hashed while it streams. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code sha256:} followed by the hash in lower-case hex. */
  public static String format(byte[] sha256) {
    return "sha256:" + HexFormat.of().formatHex(sha256);
  }
}
