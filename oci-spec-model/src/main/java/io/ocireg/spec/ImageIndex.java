package io.ocireg.spec;

import io.ocireg.spec.internal.JsonCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI image index or a Docker manifest list: a list of manifest descriptors, typically one per
 * platform, with an optional {@code artifactType}, {@code subject} and annotations. Also the shape
 * of a referrers listing.
 *
 * @see <a
 *     href="https://github.com/opencontainers/image-spec/blob/v1.1.0/image-index.md">image-spec:
 *     image index</a>
 */
public record ImageIndex(
    int schemaVersion,
    MediaType mediaType,
    Optional<MediaType> artifactType,
    List<Descriptor> manifests,
    Optional<Descriptor> subject,
    Map<String, String> annotations)
    implements Manifest {

  public ImageIndex {
    Objects.requireNonNull(mediaType, "mediaType");
    artifactType = Objects.requireNonNullElse(artifactType, Optional.empty());
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    subject = Objects.requireNonNullElse(subject, Optional.empty());
    annotations =
        annotations == null || annotations.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  /** An OCI image index holding {@code manifests}, as a referrers response carries them. */
  public static ImageIndex of(List<Descriptor> manifests) {
    return new ImageIndex(
        2, MediaType.OCI_INDEX, Optional.empty(), manifests, Optional.empty(), Map.of());
  }

  @Override
  public List<Descriptor> references() {
    return manifests;
  }

  @Override
  public Optional<MediaType> effectiveArtifactType() {
    return artifactType;
  }

  /** The canonical JSON of this index (used for responses the registry composes itself). */
  @Override
  public byte[] toJson() {
    return JsonCodec.indexJson(this);
  }
}
