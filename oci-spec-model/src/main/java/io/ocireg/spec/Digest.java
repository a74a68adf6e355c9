package io.ocireg.spec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:6c3c...}: an algorithm and its encoded hash.
 *
 * <p>Parsing follows the image-spec digest grammar; {@code sha256} and {@code sha512} must be
 * lowercase hex of exactly the right length. Other algorithms that match the grammar are parsed but
 * {@link #isSupported() unsupported}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/descriptor.md#digests">
 *     image-spec: digests</a>
 */
public record Digest(String algorithm, String encoded) implements Reference {
  /** {@code algorithm-component ::= [a-z0-9]+}, joined by {@code [+._-]}. */
  private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");

  /** {@code encoded ::= [a-zA-Z0-9=_-]+}. */
  private static final Pattern ENCODED = Pattern.compile("[a-zA-Z0-9=_-]+");

  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";

  public Digest {
    if (algorithm == null || !ALGORITHM.matcher(algorithm).matches()) {
      throw invalid(algorithm + ":" + encoded);
    }
    if (encoded == null || !ENCODED.matcher(encoded).matches()) {
      throw invalid(algorithm + ":" + encoded);
    }
    if (SHA256.equals(algorithm) && !SHA256_HEX.matcher(encoded).matches()) {
      throw invalid(algorithm + ":" + encoded);
    }
    if (SHA512.equals(algorithm) && !SHA512_HEX.matcher(encoded).matches()) {
      throw invalid(algorithm + ":" + encoded);
    }
  }

  /** Parses the wire form {@code algorithm:encoded}; throws {@link InvalidValueException}. */
  public static Digest parse(String s) {
    if (s == null) {
      throw invalid(null);
    }
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw invalid(s);
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  /** Whether {@code s} is a syntactically valid digest. */
  public static boolean isValid(String s) {
    try {
      parse(s);
      return true;
    } catch (InvalidValueException e) {
      return false;
    }
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return of(SHA256, bytes);
  }

  /** The digest of {@code bytes} with a supported algorithm. */
  public static Digest of(String algorithm, byte[] bytes) {
    MessageDigest md = newMessageDigest(algorithm);
    return new Digest(algorithm, HexFormat.of().formatHex(md.digest(bytes)));
  }

  /** A digest from the raw bytes that a {@link MessageDigest} of {@code algorithm} produced. */
  public static Digest fromHash(String algorithm, byte[] hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash));
  }

  /** Whether this registry can compute and verify digests of this algorithm. */
  public boolean isSupported() {
    return SHA256.equals(algorithm) || SHA512.equals(algorithm);
  }

  /** A fresh {@link MessageDigest} for this digest's algorithm; only for supported ones. */
  public MessageDigest newMessageDigest() {
    return newMessageDigest(algorithm);
  }

  /** A fresh {@link MessageDigest} for a supported algorithm name. */
  public static MessageDigest newMessageDigest(String algorithm) {
    String jca =
        switch (algorithm) {
          case SHA256 -> "SHA-256";
          case SHA512 -> "SHA-512";
          default ->
              throw new RegistryException(
                  ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
        };
    try {
      return MessageDigest.getInstance(jca);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return algorithm + ":" + encoded;
  }

  private static InvalidValueException invalid(String s) {
    return new InvalidValueException(ErrorCode.DIGEST_INVALID, "digest", s);
  }
}
