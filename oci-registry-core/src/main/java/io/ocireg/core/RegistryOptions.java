package io.ocireg.core;

/**
 * The engine's switches and limits; {@link #defaults()} gives a 4 MiB manifest limit, pages of at
 * most 1000 (100 for the catalog without {@code n}), Docker media types accepted, mounts without
 * {@code from} allowed, the referrers API, single-request uploads and deletes on, tags mutable. The
 * switches let tests meet the behaviours of the registries clients will meet.
 *
 * @param maxManifestBytes largest manifest accepted; a bigger one is refused with 413
 * @param maxPageSize largest page served by tag, catalog and referrers listings; a client's {@code
 *     n} is clamped to it, and tag and referrers listings without {@code n} serve pages of this
 *     size
 * @param defaultPageSize page size of the catalog when the client gives no {@code n}
 * @param acceptDockerMediaTypes whether Docker schema 2 manifests and manifest lists are accepted
 * @param mountWithoutFrom whether {@code POST ?mount=} without {@code from} mounts a blob the
 *     registry holds in any repository
 * @param referrersEnabled whether the referrers API is served; off, {@code /referrers/} answers 404
 *     and a pushed manifest with a {@code subject} is stored without a referrer entry and without
 *     {@code OCI-Subject}, so clients fall back to the tag schema, as with registries before v1.1
 * @param singlePostUpload whether {@code POST ?digest=} stores a blob in one request; off, it opens
 *     an ordinary session (202), which the spec allows
 * @param immutableTags whether a tag, once pushed, keeps its digest: re-pointing it is refused with
 *     400 {@code MANIFEST_INVALID} (as ECR and Artifact Registry answer); pushing the same digest
 *     again and deleting the tag stay allowed
 * @param deletesEnabled whether manifests and blobs may be deleted; off, such a {@code DELETE} is
 *     405 {@code UNSUPPORTED}, as CNCF Distribution answers with deletes disabled
 * @param maxOpenUploads most upload sessions open at once ({@link #DEFAULT_MAX_OPEN_UPLOADS} by
 *     default); a further {@code POST /blobs/uploads/} is refused with 429 {@code TOOMANYREQUESTS}.
 *     The engine counts the sessions it opened and has not seen end, and recounts from storage at
 *     every {@link Registry#purgeStaleUploads purge} (see there)
 * @param maxBlobBytes largest blob accepted (unlimited by default); a chunk or whole-blob upload
 *     that would grow past it is refused with 413 {@code SIZE_INVALID}
 * @param maxManifestReferences most descriptors (config, layers or child manifests) one manifest
 *     may list ({@link #DEFAULT_MAX_MANIFEST_REFERENCES} by default); more is 400 {@code
 *     MANIFEST_INVALID}
 */
public record RegistryOptions(
    int maxManifestBytes,
    int maxPageSize,
    int defaultPageSize,
    boolean acceptDockerMediaTypes,
    boolean mountWithoutFrom,
    boolean referrersEnabled,
    boolean singlePostUpload,
    boolean immutableTags,
    boolean deletesEnabled,
    int maxOpenUploads,
    long maxBlobBytes,
    int maxManifestReferences) {

  public static final int DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  /** Open upload sessions allowed at once by default: far more than clients keep open. */
  public static final int DEFAULT_MAX_OPEN_UPLOADS = 10_000;

  /**
   * Descriptors allowed in one manifest by default: far beyond real images (layer counts stop near
   * 128, platform indexes hold tens), while bounding the storage lookups a single push causes.
   */
  public static final int DEFAULT_MAX_MANIFEST_REFERENCES = 10_000;

  public RegistryOptions {
    if (maxManifestBytes <= 0
        || maxPageSize <= 0
        || defaultPageSize <= 0
        || maxOpenUploads <= 0
        || maxBlobBytes <= 0
        || maxManifestReferences <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /**
   * Limits and the two older switches; the referrers API, single-request uploads and deletes on,
   * tags mutable.
   */
  public RegistryOptions(
      int maxManifestBytes,
      int maxPageSize,
      int defaultPageSize,
      boolean acceptDockerMediaTypes,
      boolean mountWithoutFrom) {
    this(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        true,
        true,
        false,
        true,
        DEFAULT_MAX_OPEN_UPLOADS,
        Long.MAX_VALUE,
        DEFAULT_MAX_MANIFEST_REFERENCES);
  }

  /** The options of a registry nobody configured. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(DEFAULT_MAX_MANIFEST_BYTES, 1000, 100, true, true);
  }

  public RegistryOptions withAcceptDockerMediaTypes(boolean on) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        on,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withMountWithoutFrom(boolean on) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        on,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withReferrersEnabled(boolean on) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        on,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withSinglePostUpload(boolean on) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        on,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withImmutableTags(boolean on) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        on,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withDeletesEnabled(boolean on) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        on,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withMaxManifestBytes(int bytes) {
    return new RegistryOptions(
        bytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withMaxOpenUploads(int sessions) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        sessions,
        maxBlobBytes,
        maxManifestReferences);
  }

  public RegistryOptions withMaxBlobBytes(long bytes) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        bytes,
        maxManifestReferences);
  }

  public RegistryOptions withMaxManifestReferences(int descriptors) {
    return new RegistryOptions(
        maxManifestBytes,
        maxPageSize,
        defaultPageSize,
        acceptDockerMediaTypes,
        mountWithoutFrom,
        referrersEnabled,
        singlePostUpload,
        immutableTags,
        deletesEnabled,
        maxOpenUploads,
        maxBlobBytes,
        descriptors);
  }
}
