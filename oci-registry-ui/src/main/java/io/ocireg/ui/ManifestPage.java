package io.ocireg.ui;

import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Page;
import io.ocireg.storage.TagRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET api/manifest/{name}?ref=}: one manifest as the tag page shows it: its JSON, config
 * summary, layers, annotations, children, referrers and subject.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md">image-spec:
 *     manifest</a>
 */
final class ManifestPage {
  /** Most referrers listed. */
  static final int MAX_REFERRERS = 1000;

  /** Most tags of the manifest listed; {@code tagsTotal} counts them all. */
  static final int MAX_TAGS = 100;

  /**
   * Tags read per storage call when counting a digest's tags: a file store lists its whole tag
   * folder on each call, so fewer, larger pages cost far less (a few MB of records at a time).
   */
  private static final int BATCH = 10_000;

  private final Registry registry;
  private final Configs configs;

  ManifestPage(Registry registry, Configs configs) {
    this.registry = registry;
    this.configs = configs;
  }

  Map<String, Object> page(RepositoryName repository, String reference, boolean canDelete) {
    ManifestRecord record = registry.getManifest(repository, reference);
    ManifestFacts facts = ManifestFacts.of(repository, record, configs, Configs.unlimited());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", repository.value());
    out.put("reference", reference);
    out.put("digest", record.digest().toString());
    out.put("mediaType", record.mediaType().value());
    out.put("kind", facts.kind());
    out.put("artifactType", facts.artifactType().map(MediaType::value).orElse(null));
    out.put("platforms", facts.platforms());
    out.put("size", facts.size());
    out.put("pushedAt", ManifestFacts.iso(record.pushedAt()));
    tags(repository, record.digest(), out);
    out.put("canDelete", canDelete);
    // The stored bytes as a JSON value (they parsed when pushed); a string if they no longer do.
    out.put(
        "manifest",
        Json.parse(record.content())
            .<Object>map(n -> n)
            .orElseGet(
                () -> new String(record.content(), java.nio.charset.StandardCharsets.UTF_8)));
    Optional<Manifest> parsed = facts.parsed();
    out.put("config", null);
    out.put("layers", List.of());
    out.put("children", List.of());
    if (parsed.isPresent() && parsed.get() instanceof ImageManifest m) {
      out.put("config", config(repository, m.config()));
      out.put("layers", m.layers().stream().map(ManifestPage::layer).toList());
    } else if (parsed.isPresent() && parsed.get() instanceof ImageIndex i) {
      List<Map<String, Object>> children = new ArrayList<>();
      for (Descriptor d : i.manifests()) {
        children.add(child(repository, d));
      }
      out.put("children", children);
    }
    out.put("annotations", parsed.map(Manifest::annotations).orElse(Map.of()));
    out.put("referrers", referrers(repository, record));
    out.put(
        "subject", parsed.flatMap(Manifest::subject).map(ManifestPage::descriptor).orElse(null));
    return out;
  }

  /**
   * Adds {@code tags} (the first {@link #MAX_TAGS} pointing at {@code digest}, in lexical order),
   * {@code tagsTotal} and {@code tagsComplete}, holding no more than a page of tags at a time.
   */
  private void tags(RepositoryName repository, Digest digest, Map<String, Object> out) {
    List<String> shown = new ArrayList<>();
    int total = 0;
    Optional<Tag> after = Optional.empty();
    while (true) {
      Page<TagRecord> page = registry.storage().metadata().listTags(repository, after, BATCH);
      for (TagRecord t : page.items()) {
        if (t.digest().equals(digest)) {
          total++;
          if (shown.size() < MAX_TAGS) {
            shown.add(t.tag().value());
          }
        }
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1).tag());
    }
    out.put("tags", shown);
    out.put("tagsTotal", total);
    out.put("tagsComplete", total == shown.size());
  }

  private Map<String, Object> config(RepositoryName repository, Descriptor config) {
    Map<String, Object> m = descriptor(config);
    Optional<Configs.Summary> s = configs.summary(repository, config);
    m.put("os", s.map(Configs.Summary::os).orElse(null));
    m.put("architecture", s.map(Configs.Summary::architecture).orElse(null));
    m.put("variant", s.map(Configs.Summary::variant).orElse(null));
    m.put("created", s.map(Configs.Summary::created).orElse(null));
    m.put("entrypoint", s.map(Configs.Summary::entrypoint).orElse(null));
    m.put("cmd", s.map(Configs.Summary::cmd).orElse(null));
    m.put("labels", s.map(Configs.Summary::labels).orElse(null));
    return m;
  }

  private static Map<String, Object> layer(Descriptor d) {
    Map<String, Object> m = descriptor(d);
    if (!d.urls().isEmpty()) {
      m.put("urls", d.urls());
    }
    if (!d.annotations().isEmpty()) {
      m.put("annotations", d.annotations());
    }
    return m;
  }

  private Map<String, Object> child(RepositoryName repository, Descriptor d) {
    Map<String, Object> m = descriptor(d);
    m.put("platform", d.platform().map(p -> p.toString()).orElse(null));
    m.put("artifactType", d.artifactType().map(MediaType::value).orElse(null));
    Optional<ManifestRecord> stored =
        registry.storage().metadata().getManifest(repository, d.digest());
    // The kind needs no config: none is read for a child.
    m.put(
        "kind",
        stored
            .map(r -> ManifestFacts.of(repository, r, configs, Configs.none()).kind())
            .orElse(null));
    m.put("present", stored.isPresent());
    if (!d.annotations().isEmpty()) {
      m.put("annotations", d.annotations());
    }
    return m;
  }

  private List<Map<String, Object>> referrers(RepositoryName repository, ManifestRecord record) {
    List<Descriptor> found;
    try {
      found =
          registry
              .referrers(
                  repository,
                  record.digest(),
                  Optional.empty(),
                  Optional.of(MAX_REFERRERS),
                  Optional.empty())
              .index()
              .manifests();
    } catch (RegistryException e) {
      return List.of(); // the referrers API is switched off
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Descriptor d : found) {
      Map<String, Object> m = descriptor(d);
      m.put("artifactType", d.artifactType().map(MediaType::value).orElse(null));
      m.put("annotations", d.annotations());
      out.add(m);
    }
    return out;
  }

  static Map<String, Object> descriptor(Descriptor d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("digest", d.digest().toString());
    m.put("mediaType", d.mediaType().value());
    m.put("size", d.size());
    return m;
  }
}
