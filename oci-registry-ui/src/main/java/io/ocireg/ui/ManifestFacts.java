package io.ocireg.ui;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Platform;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.ManifestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the pages say about one stored manifest, from its record alone (plus the config summary of
 * an image): kind, artifact type, platforms, size and push time. The size is the manifest's own
 * bytes plus the {@linkplain ManifestRecord#contentSize() content size} the engine recorded at push
 * time, so no blob is looked at.
 *
 * @param kind {@code image}, {@code index} or {@code artifact}
 * @param artifactType for an artifact, its {@code artifactType} (else its config media type); for
 *     an index, its {@code artifactType} when it has one
 * @param platformsKnown false when the platforms were not looked up (the listing's budget of config
 *     reads ran out)
 * @param parsed the parsed manifest; empty for a stored manifest that no longer parses
 */
record ManifestFacts(
    Digest digest,
    MediaType mediaType,
    String kind,
    Optional<MediaType> artifactType,
    List<String> platforms,
    boolean platformsKnown,
    long size,
    Instant pushedAt,
    Optional<Manifest> parsed) {

  static final String IMAGE = "image";
  static final String INDEX = "index";
  static final String ARTIFACT = "artifact";

  /**
   * The facts of {@code record}; an image's platform is read from its config only when remembered
   * or when {@code budget} allows (else {@link #platformsKnown} is false).
   */
  static ManifestFacts of(
      RepositoryName repository, ManifestRecord record, Configs configs, Configs.Budget budget) {
    Optional<Manifest> parsed;
    try {
      parsed = Optional.of(Manifest.parse(record.content(), record.mediaType()));
    } catch (RegistryException | IllegalArgumentException e) {
      parsed = Optional.empty();
    }
    String kind = record.mediaType().isIndex() ? INDEX : IMAGE;
    Optional<MediaType> artifactType = Optional.empty();
    List<String> platforms = new ArrayList<>();
    boolean known = true;
    if (parsed.isPresent() && parsed.get() instanceof ImageManifest m) {
      if (m.artifactType().isPresent() || !Configs.isImageConfig(m.config().mediaType())) {
        kind = ARTIFACT;
        artifactType = m.effectiveArtifactType();
      } else {
        Configs.Platform p = configs.platform(repository, m.config(), budget);
        p.value().ifPresent(platforms::add);
        known = p.known();
      }
    } else if (parsed.isPresent() && parsed.get() instanceof ImageIndex i) {
      artifactType = i.artifactType();
      for (Descriptor child : i.manifests()) {
        child
            .platform()
            .filter(ManifestFacts::isRealPlatform)
            .map(Platform::toString)
            .filter(p -> !platforms.contains(p))
            .ifPresent(platforms::add);
      }
    }
    return new ManifestFacts(
        record.digest(),
        record.mediaType(),
        kind,
        artifactType,
        platforms,
        known,
        record.content().length + record.contentSize(),
        record.pushedAt(),
        parsed);
  }

  /** ISO-8601 in UTC to the millisecond, which every browser's {@code Date} parses. */
  static String iso(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  /** Attestation entries of an index carry {@code unknown/unknown}; they are no platform. */
  static boolean isRealPlatform(Platform p) {
    return !(p.os().equals("unknown") && p.architecture().equals("unknown"));
  }

  /** The JSON row of a listing: the fields common to tags and untagged manifests. */
  Map<String, Object> row() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("digest", digest.toString());
    m.put("mediaType", mediaType.value());
    m.put("kind", kind);
    m.put("artifactType", artifactType.map(MediaType::value).orElse(null));
    m.put("platforms", platforms);
    m.put("platformsKnown", platformsKnown);
    m.put("size", size);
    m.put("pushedAt", iso(pushedAt));
    return m;
  }
}
