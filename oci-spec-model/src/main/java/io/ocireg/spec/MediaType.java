package io.ocireg.spec;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A media type such as {@code application/vnd.oci.image.manifest.v1+json} (RFC 6838 {@code
 * type/subtype}); parameters are not part of the value.
 *
 * @see <a
 *     href="https://github.com/opencontainers/image-spec/blob/v1.1.0/media-types.md">image-spec:
 *     media types</a>
 */
public record MediaType(String value) {
  /** RFC 6838 {@code restricted-name}. */
  private static final String NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";

  private static final Pattern GRAMMAR = Pattern.compile(NAME + "/" + NAME);

  public static final MediaType OCI_MANIFEST = of("application/vnd.oci.image.manifest.v1+json");
  public static final MediaType OCI_INDEX = of("application/vnd.oci.image.index.v1+json");
  public static final MediaType OCI_CONFIG = of("application/vnd.oci.image.config.v1+json");
  public static final MediaType OCI_LAYER = of("application/vnd.oci.image.layer.v1.tar");
  public static final MediaType OCI_LAYER_GZIP = of("application/vnd.oci.image.layer.v1.tar+gzip");
  public static final MediaType OCI_LAYER_ZSTD = of("application/vnd.oci.image.layer.v1.tar+zstd");
  public static final MediaType OCI_LAYER_NONDISTRIBUTABLE =
      of("application/vnd.oci.image.layer.nondistributable.v1.tar");
  public static final MediaType OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      of("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");
  public static final MediaType OCI_EMPTY = of("application/vnd.oci.empty.v1+json");

  public static final MediaType DOCKER_MANIFEST =
      of("application/vnd.docker.distribution.manifest.v2+json");
  public static final MediaType DOCKER_MANIFEST_LIST =
      of("application/vnd.docker.distribution.manifest.list.v2+json");
  public static final MediaType DOCKER_CONFIG =
      of("application/vnd.docker.container.image.v1+json");
  public static final MediaType DOCKER_LAYER =
      of("application/vnd.docker.image.rootfs.diff.tar.gzip");
  public static final MediaType DOCKER_FOREIGN_LAYER =
      of("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");

  public static final MediaType JSON = of("application/json");
  public static final MediaType OCTET_STREAM = of("application/octet-stream");

  public MediaType {
    if (value == null || !GRAMMAR.matcher(value).matches()) {
      throw new InvalidValueException(ErrorCode.MANIFEST_INVALID, "media type", value);
    }
  }

  public static MediaType of(String value) {
    return new MediaType(value);
  }

  /** Parses a header value, dropping parameters ({@code ; charset=...}) and surrounding spaces. */
  public static MediaType parse(String headerValue) {
    if (headerValue == null) {
      throw new InvalidValueException(ErrorCode.MANIFEST_INVALID, "media type", null);
    }
    int semi = headerValue.indexOf(';');
    String essence = (semi >= 0 ? headerValue.substring(0, semi) : headerValue).trim();
    return new MediaType(essence);
  }

  public static boolean isValid(String s) {
    return s != null && GRAMMAR.matcher(s).matches();
  }

  /** Media types compare case-insensitively (RFC 6838). */
  public boolean is(MediaType other) {
    return other != null && value.equalsIgnoreCase(other.value);
  }

  /** An OCI image manifest or Docker schema 2 manifest. */
  public boolean isImageManifest() {
    return is(OCI_MANIFEST) || is(DOCKER_MANIFEST);
  }

  /** An OCI image index or Docker manifest list. */
  public boolean isIndex() {
    return is(OCI_INDEX) || is(DOCKER_MANIFEST_LIST);
  }

  /** Any manifest kind this registry understands. */
  public boolean isManifest() {
    return isImageManifest() || isIndex();
  }

  /** A Docker (rather than OCI) media type. */
  public boolean isDocker() {
    return value.toLowerCase(Locale.ROOT).startsWith("application/vnd.docker.");
  }

  @Override
  public String toString() {
    return value;
  }
}
