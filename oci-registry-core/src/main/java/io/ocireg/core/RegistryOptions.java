package io.ocireg.core;

/**
 * The engine's switches and limits; {@link #defaults()} gives a 4 MiB manifest limit, pages of at
 * most 1000 (100 for the catalog without {@code n}), Docker media types accepted and mounts without
 * {@code from} allowed.
 *
 * @param maxManifestBytes largest manifest accepted; a bigger one is refused with 413
 * @param maxPageSize largest page served by tag, catalog and referrers listings; a client's {@code
 *     n} is clamped to it, and tag and referrers listings without {@code n} serve pages of this
 *     size
 * @param defaultPageSize page size of the catalog when the client gives no {@code n}
 * @param acceptDockerMediaTypes whether Docker schema 2 manifests and manifest lists are accepted
 * @param mountWithoutFrom whether {@code POST ?mount=} without {@code from} mounts a blob the
 *     registry holds in any repository
 */
public record RegistryOptions(
    int maxManifestBytes,
    int maxPageSize,
    int defaultPageSize,
    boolean acceptDockerMediaTypes,
    boolean mountWithoutFrom) {

  public static final int DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  public RegistryOptions {
    if (maxManifestBytes <= 0 || maxPageSize <= 0 || defaultPageSize <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** The options of a registry nobody configured. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(DEFAULT_MAX_MANIFEST_BYTES, 1000, 100, true, true);
  }
}
