package io.ocireg.spec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The platform of an index entry: os, architecture and optional variant, os version and features.
 *
 * @see <a
 *     href="https://github.com/opencontainers/image-spec/blob/v1.1.0/image-index.md">image-spec:
 *     image index</a>
 */
public record Platform(
    String os,
    String architecture,
    Optional<String> variant,
    Optional<String> osVersion,
    List<String> osFeatures) {

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = Objects.requireNonNullElse(variant, Optional.empty());
    osVersion = Objects.requireNonNullElse(osVersion, Optional.empty());
    osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
  }

  public static Platform of(String os, String architecture) {
    return new Platform(os, architecture, Optional.empty(), Optional.empty(), List.of());
  }

  /** {@code os/architecture[/variant]}, as clients print it. */
  @Override
  public String toString() {
    return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
  }
}
