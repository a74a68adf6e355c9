package io.ocireg.ui;

import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Platform;
import io.ocireg.spec.Reference;
import io.ocireg.spec.RepositoryName;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images, indexes, artifacts and referrers pushed through the engine, as a client would. */
final class TestImages {
  /** The reference that pushes a manifest by its own digest, untagged. */
  static final String BY_DIGEST = "";

  private final Registry registry;

  TestImages(Registry registry) {
    this.registry = registry;
  }

  /** What a push stored: the manifest's digest, its bytes and the descriptor pointing at it. */
  record Pushed(Digest digest, byte[] bytes, Descriptor descriptor, long contentSize) {
    /** The size the UI reports: manifest bytes plus everything it references. */
    long totalSize() {
      return bytes.length + contentSize;
    }
  }

  Descriptor blob(String repository, MediaType type, byte[] content) {
    Digest digest = Digest.sha256(content);
    registry.uploadWhole(
        RepositoryName.parse(repository),
        digest,
        new ByteArrayInputStream(content),
        content.length);
    return Descriptor.of(type, digest, content.length);
  }

  /** An image config blob for {@code os/architecture} with {@code labels}. */
  Descriptor config(String repository, String os, String architecture, Map<String, String> labels) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Entrypoint", List.of("/bin/sh", "-c"));
    config.put("Cmd", List.of("echo hello"));
    config.put("Labels", labels);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("created", "2026-01-02T03:04:05Z");
    root.put("architecture", architecture);
    root.put("os", os);
    root.put("config", config);
    root.put("rootfs", Map.of("type", "layers", "diff_ids", List.of()));
    return blob(repository, MediaType.OCI_CONFIG, Json.write(root));
  }

  /** A one-layer image for {@code os/architecture}, pushed under {@code reference}. */
  Pushed image(String repository, String reference, String os, String architecture) {
    return image(repository, reference, os, architecture, Map.of(), Map.of());
  }

  Pushed image(
      String repository,
      String reference,
      String os,
      String architecture,
      Map<String, String> labels,
      Map<String, String> annotations) {
    Descriptor config = config(repository, os, architecture, labels);
    Descriptor layer =
        blob(
            repository,
            MediaType.OCI_LAYER_GZIP,
            ("layer of " + repository + " " + os + "/" + architecture)
                .getBytes(StandardCharsets.UTF_8));
    ImageManifest m =
        new ImageManifest(
            2,
            MediaType.OCI_MANIFEST,
            Optional.empty(),
            config,
            List.of(layer),
            Optional.empty(),
            annotations);
    return push(repository, reference, m, m.contentSize());
  }

  /** An index of {@code children} (each with its platform), pushed under {@code reference}. */
  Pushed index(
      String repository, String reference, List<Pushed> children, List<Platform> platforms) {
    List<Descriptor> entries = new ArrayList<>();
    long content = 0;
    for (int i = 0; i < children.size(); i++) {
      Descriptor d = children.get(i).descriptor();
      entries.add(
          new Descriptor(
              d.mediaType(),
              d.digest(),
              d.size(),
              List.of(),
              Map.of(),
              Optional.empty(),
              Optional.of(platforms.get(i)),
              Optional.empty()));
      content += d.size() + children.get(i).contentSize();
    }
    ImageIndex index =
        new ImageIndex(
            2, MediaType.OCI_INDEX, Optional.empty(), entries, Optional.empty(), Map.of());
    return push(repository, reference, index, content);
  }

  /**
   * An artifact (OCI 1.1 style: {@code artifactType}, empty config) with one blob, optionally
   * referring to {@code subject}, pushed under {@code reference}.
   */
  Pushed artifact(
      String repository,
      String reference,
      String artifactType,
      Optional<Pushed> subject,
      Map<String, String> annotations) {
    Descriptor empty = blob(repository, MediaType.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
    Descriptor payload =
        blob(
            repository,
            MediaType.of("application/vnd.example.payload"),
            ("payload " + reference).getBytes(StandardCharsets.UTF_8));
    ImageManifest m =
        new ImageManifest(
            2,
            MediaType.OCI_MANIFEST,
            Optional.of(MediaType.of(artifactType)),
            empty,
            List.of(payload),
            subject.map(Pushed::descriptor),
            annotations);
    return push(repository, reference, m, m.contentSize());
  }

  private Pushed push(String repository, String reference, Manifest manifest, long contentSize) {
    byte[] bytes = manifest.toJson();
    Digest digest = Digest.sha256(bytes);
    registry.putManifest(
        RepositoryName.parse(repository),
        reference.equals(BY_DIGEST) ? digest : Reference.parse(reference),
        manifest.mediaType(),
        bytes);
    return new Pushed(
        digest, bytes, Descriptor.of(manifest.mediaType(), digest, bytes.length), contentSize);
  }
}
