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
 * addressed, so what one says is remembered by digest, in at most {@link #REMEMBERED_BYTES} (an
 * estimate of the memory the summaries take). A listing reads at most {@link #READS_PER_ANSWER}
 * configs that are not remembered ({@link Budget}); its other rows say their platform is not known.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/config.md">image-spec:
 *     image configuration</a>
 */
final class Configs {
  static final int MAX_BYTES = 1 << 20;

  /** Memory the remembered summaries may take, roughly. */
  static final long REMEMBERED_BYTES = 8L << 20;

  /** Configs one listing may read beyond those remembered. */
  static final int READS_PER_ANSWER = 100;

  /** How many configs one answer may still read; not shared between threads. */
  static final class Budget {
    private int left;

    Budget(int reads) {
      this.left = reads;
    }

    /** Takes one read from the budget; false when none is left. */
    boolean take() {
      if (left <= 0) {
        return false;
      }
      left--;
      return true;
    }
  }

  /** A platform, or the knowledge that it was not looked up (the budget ran out). */
  record Platform(Optional<String> value, boolean known) {
    static final Platform UNKNOWN = new Platform(Optional.empty(), false);
  }

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
  private final long rememberedBytes;
  // Guarded by itself; weighed in remembered, which is guarded by the same lock.
  private final LinkedHashMap<Digest, Remembered> summaries = new LinkedHashMap<>(64, 0.75f, true);
  private long remembered;

  /** A config's summary (empty: not an image config this reads) and its estimated weight. */
  private record Remembered(Optional<Summary> summary, long weight) {}

  Configs(Registry registry) {
    this(registry, REMEMBERED_BYTES);
  }

  Configs(Registry registry, long rememberedBytes) {
    this.registry = registry;
    this.rememberedBytes = rememberedBytes;
  }

  /** The budget of one listing. */
  Budget budget() {
    return new Budget(READS_PER_ANSWER);
  }

  /** A budget without limit, for an answer about one manifest. */
  static Budget unlimited() {
    return new Budget(Integer.MAX_VALUE);
  }

  /** A budget of nothing: only what is remembered. */
  static Budget none() {
    return new Budget(0);
  }

  /** How many bytes the remembered summaries are estimated to take. */
  long rememberedBytes() {
    synchronized (summaries) {
      return remembered;
    }
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
    synchronized (summaries) {
      Remembered known = summaries.get(config.digest());
      if (known != null) {
        return known.summary();
      }
    }
    Optional<Summary> read = read(repository, config.digest());
    if (read.isPresent()) {
      // Content addressed: what it says never changes. An unreadable one is tried again.
      remember(config.digest(), read);
    }
    return read;
  }

  /**
   * {@code os/architecture[/variant]} of an image config: remembered, or read when {@code budget}
   * allows it, else {@link Platform#UNKNOWN}.
   */
  Platform platform(RepositoryName repository, Descriptor config, Budget budget) {
    if (!isImageConfig(config.mediaType()) || config.size() > MAX_BYTES) {
      return new Platform(Optional.empty(), true);
    }
    synchronized (summaries) {
      Remembered known = summaries.get(config.digest());
      if (known != null) {
        return new Platform(known.summary().flatMap(Summary::platform), true);
      }
    }
    if (!budget.take()) {
      return Platform.UNKNOWN;
    }
    return new Platform(summary(repository, config).flatMap(Summary::platform), true);
  }

  private void remember(Digest digest, Optional<Summary> summary) {
    long weight = 160 + summary.map(Configs::weight).orElse(0L);
    if (weight > rememberedBytes) {
      return;
    }
    synchronized (summaries) {
      Remembered old = summaries.put(digest, new Remembered(summary, weight));
      remembered += weight - (old == null ? 0 : old.weight());
      var it = summaries.values().iterator();
      while (remembered > rememberedBytes && it.hasNext()) {
        remembered -= it.next().weight();
        it.remove();
      }
    }
  }

  /** Roughly the bytes a summary takes: two per character plus an object header per string. */
  private static long weight(Summary s) {
    long w = 0;
    for (String v : new String[] {s.os(), s.architecture(), s.variant(), s.created()}) {
      w += chars(v);
    }
    for (List<String> list : java.util.Arrays.asList(s.entrypoint(), s.cmd())) {
      if (list != null) {
        for (String v : list) {
          w += chars(v);
        }
      }
    }
    for (Map.Entry<String, String> e : s.labels().entrySet()) {
      w += chars(e.getKey()) + chars(e.getValue()) + 32;
    }
    return w;
  }

  private static long chars(String s) {
    return s == null ? 0 : 48 + 2L * s.length();
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
