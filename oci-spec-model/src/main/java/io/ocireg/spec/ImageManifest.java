package io.ocireg.spec;

import io.ocireg.spec.internal.JsonCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OCI image manifest or a Docker schema 2 manifest: a config and ordered layers, with an
 * optional {@code artifactType}, {@code subject} and annotations.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md">image-spec:
 *     manifest</a>
 */
public record ImageManifest(
    int schemaVersion,
    MediaType mediaType,
    Optional<MediaType> artifactType,
    Descriptor config,
    List<Descriptor> layers,
    Optional<Descriptor> subject,
    Map<String, String> annotations)
    implements Manifest {

  public ImageManifest {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(config, "config");
    artifactType = Objects.requireNonNullElse(artifactType, Optional.empty());
    layers = layers == null ? List.of() : List.copyOf(layers);
    subject = Objects.requireNonNullElse(subject, Optional.empty());
    annotations =
        annotations == null || annotations.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  @Override
  public List<Descriptor> references() {
    List<Descriptor> all = new ArrayList<>(layers.size() + 1);
    all.add(config);
    all.addAll(layers);
    return all;
  }

  @Override
  public Optional<MediaType> effectiveArtifactType() {
    return artifactType.isPresent() ? artifactType : Optional.of(config.mediaType());
  }

  /** Compact JSON of this manifest, for manifests the registry or a test composes. */
  @Override
  public byte[] toJson() {
    return JsonCodec.manifestJson(this);
  }

  /** Sum of the config and layer sizes: what a pull of this image transfers, besides itself. */
  public long contentSize() {
    long total = config.size();
    for (Descriptor l : layers) {
      total += l.size();
    }
    return total;
  }
}
