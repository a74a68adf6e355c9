package io.ocireg.examples.walkthrough;

/**
 * The media types the steps push and ask for.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/media-types.md">
 *     image-spec: media types</a>
 */
public final class MediaTypes {
  private MediaTypes() {}

  /** An image manifest: a config and layers (also the manifest of an artifact). */
  public static final String IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** An image index: a list of manifests, such as one per platform, or a referrers list. */
  public static final String IMAGE_INDEX = "application/vnd.oci.image.index.v1+json";

  /** The configuration of a container image. */
  public static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** A layer of a container image: a gzip-compressed tar archive. */
  public static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  /** The empty JSON object {@code {}}: the config of an artifact that needs none. */
  public static final String EMPTY = "application/vnd.oci.empty.v1+json";
}
