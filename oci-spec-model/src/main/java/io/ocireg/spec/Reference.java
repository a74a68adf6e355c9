package io.ocireg.spec;

/**
 * What a manifest request names after {@code /manifests/}: a {@link Tag} or a {@link Digest}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">
 *     distribution-spec: pulling manifests</a>
 */
public sealed interface Reference permits Tag, Digest {

  /** A digest when {@code s} contains a colon (tags cannot), otherwise a tag. */
  static Reference parse(String s) {
    if (s != null && s.indexOf(':') >= 0) {
      return Digest.parse(s);
    }
    return Tag.parse(s);
  }
}
