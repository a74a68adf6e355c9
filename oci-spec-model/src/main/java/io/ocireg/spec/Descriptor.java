package io.ocireg.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A content descriptor: media type, digest and size of the content it points at, with optional
 * urls, annotations, artifact type, platform and embedded data.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/descriptor.md">image-spec:
 *     descriptor</a>
 */
public record Descriptor(
    MediaType mediaType,
    Digest digest,
    long size,
    List<String> urls,
    Map<String, String> annotations,
    Optional<MediaType> artifactType,
    Optional<Platform> platform,
    Optional<String> data) {

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    urls = urls == null ? List.of() : List.copyOf(urls);
    annotations =
        annotations == null || annotations.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    artifactType = Objects.requireNonNullElse(artifactType, Optional.empty());
    platform = Objects.requireNonNullElse(platform, Optional.empty());
    data = Objects.requireNonNullElse(data, Optional.empty());
  }

  /** A plain descriptor with no optional fields. */
  public static Descriptor of(MediaType mediaType, Digest digest, long size) {
    return new Descriptor(
        mediaType,
        digest,
        size,
        List.of(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public Descriptor withArtifactType(Optional<MediaType> type) {
    return new Descriptor(mediaType, digest, size, urls, annotations, type, platform, data);
  }

  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(
        mediaType, digest, size, urls, newAnnotations, artifactType, platform, data);
  }

  /** The JSON form of this descriptor, as it appears inside a manifest. */
  public String toJson() {
    return io.ocireg.spec.internal.JsonCodec.descriptorJson(this);
  }
}
