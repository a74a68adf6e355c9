package io.ocireg.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.core.BlobContent;
import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the summary of image config blobs (os, architecture, created, entrypoint, cmd, labels).
 * Only OCI and Docker image configs of at most {@link #MAX_BYTES} are read. A blob is content
 * addressed, so the platform read once is remembered (for a bounded number of configs).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/config.md">image-spec:
 *     image configuration</a>
 */
final class Configs {
  static final int MAX_BYTES = 1 << 20;
  private static final int REMEMBERED = 4096;

  /** What the pages show of an image config; absent fields are null. */
  record Summary(
      String os,
      String architecture,
      String variant,
      String created,
      List<String> entrypoint,
      List<String> cmd,
      Map<String, String> labels) {

    /** {@code os/architecture[/variant]}, or empty when the config names neither. */
    Optional<String> platform() {
      if (os == null && architecture == null) {
        return Optional.empty();
      }
      return Optional.of(
          (os == null ? "unknown" : os)
              + "/"
              + (architecture == null ? "unknown" : architecture)
              + (variant == null ? "" : "/" + variant));
    }
  }

  private final Registry registry;
  // Only the platform, which listings need for every tag: a summary holds labels of any size.
  private final Map<Digest, Optional<String>> platforms =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Optional<String>> eldest) {
          return size() > REMEMBERED;
        }
      };

  Configs(Registry registry) {
    this.registry = registry;
  }

  /** Whether {@code type} is an image config this reads. */
  static boolean isImageConfig(MediaType type) {
    return type.is(MediaType.OCI_CONFIG) || type.is(MediaType.DOCKER_CONFIG);
  }

  /** The summary of the config {@code config} of a manifest in {@code repository}, if readable. */
  Optional<Summary> summary(RepositoryName repository, Descriptor config) {
    if (!isImageConfig(config.mediaType()) || config.size() > MAX_BYTES) {
      return Optional.empty();
    }
    return read(repository, config.digest());
  }

  /** {@code os/architecture[/variant]} of an image config, read once per digest. */
  Optional<String> platform(RepositoryName repository, Descriptor config) {
    synchronized (platforms) {
      Optional<String> known = platforms.get(config.digest());
      if (known != null) {
        return known;
      }
    }
    Optional<Summary> read = summary(repository, config);
    Optional<String> platform = read.flatMap(Summary::platform);
    if (read.isPresent()) {
      // Content addressed: what it says never changes. An unreadable one is tried again.
      synchronized (platforms) {
        platforms.put(config.digest(), platform);
      }
    }
    return platform;
  }

  private Optional<Summary> read(RepositoryName repository, Digest digest) {
    byte[] bytes;
    try (BlobContent blob = registry.openBlob(repository, digest, Optional.empty());
        InputStream in = blob.stream()) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (RegistryException | StorageException | IOException e) {
      // Missing or unreadable: the page shows the descriptor only.
      return Optional.empty();
    }
    if (bytes.length > MAX_BYTES) {
      return Optional.empty();
    }
    return Json.parse(bytes).filter(JsonNode::isObject).map(Configs::summary);
  }

  private static Summary summary(JsonNode root) {
    JsonNode config = root.path("config");
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode l = config.path("Labels");
    if (l.isObject()) {
      l.fields()
          .forEachRemaining(
              e ->
                  labels.put(
                      e.getKey(),
                      e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    }
    return new Summary(
        text(root, "os"),
        text(root, "architecture"),
        text(root, "variant"),
        text(root, "created"),
        strings(config.path("Entrypoint")),
        strings(config.path("Cmd")),
        labels);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() ? v.asText() : null;
  }

  private static List<String> strings(JsonNode node) {
    if (!node.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    return out;
  }
}
