package io.ocireg.spec;

import io.ocireg.spec.internal.JsonCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed view of a manifest: an {@link ImageManifest} (OCI image manifest or Docker schema 2) or
 * an {@link ImageIndex} (OCI image index or Docker manifest list). The raw bytes stay the truth;
 * this view serves validation, referrers and display.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md">image-spec:
 *     manifest</a>
 */
public sealed interface Manifest permits ImageManifest, ImageIndex {

  int schemaVersion();

  /**
   * The manifest's media type: the type it was pushed with, else its {@code mediaType} field (when
   * both are given they must agree).
   */
  MediaType mediaType();

  /** The {@code artifactType} field, when present. */
  Optional<MediaType> artifactType();

  /** The manifest this one refers to, when it has a {@code subject}. */
  Optional<Descriptor> subject();

  Map<String, String> annotations();

  /**
   * Everything this manifest points at that a registry must hold in the same repository: config and
   * layers of an image manifest, children of an index. Layers with {@code urls} (foreign or
   * non-distributable) are included; the engine decides whether to require them.
   */
  List<Descriptor> references();

  /**
   * The artifact type a referrers listing reports: {@code artifactType}, else for an image manifest
   * its config media type.
   */
  Optional<MediaType> effectiveArtifactType();

  /**
   * Compact JSON of this view, for documents the registry or a test composes. A pushed manifest is
   * served from its own bytes, never from this.
   */
  byte[] toJson();

  /**
   * Parses and validates a manifest pushed with {@code contentType}. Rejects with {@code
   * MANIFEST_INVALID} JSON that does not parse, a {@code mediaType} field that contradicts the
   * content type, a wrong {@code schemaVersion}, malformed descriptors, and media types this
   * registry does not understand.
   */
  static Manifest parse(byte[] json, MediaType contentType) {
    return JsonCodec.parseManifest(json, contentType);
  }
}
