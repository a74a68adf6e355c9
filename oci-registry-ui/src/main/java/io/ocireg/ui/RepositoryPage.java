package io.ocireg.ui;

import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.TagRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET api/tags/{name}}: every tag of a repository with what its manifest is, and the
 * manifests no tag points at (children of indexes, referrers, images whose tag moved on).
 */
final class RepositoryPage {
  private static final int BATCH = 1000;

  /** Most untagged manifests listed: a repository of pushes by digest can hold very many. */
  static final int MAX_UNTAGGED = 1000;

  private final MetadataStore meta;
  private final Configs configs;

  RepositoryPage(MetadataStore meta, Configs configs) {
    this.meta = meta;
    this.configs = configs;
  }

  Map<String, Object> page(RepositoryName repository, boolean canDelete) {
    if (!meta.repositoryExists(repository)) {
      throw new RegistryException(
          ErrorCode.NAME_UNKNOWN, "repository name not known to registry", repository.value());
    }
    Map<Digest, Optional<ManifestFacts>> facts = new HashMap<>();
    List<Map<String, Object>> tags = new ArrayList<>();
    Set<Digest> tagged = new LinkedHashSet<>();
    Optional<Tag> after = Optional.empty();
    while (true) {
      Page<TagRecord> page = meta.listTags(repository, after, BATCH);
      for (TagRecord t : page.items()) {
        tagged.add(t.digest());
        Optional<ManifestFacts> f = facts.computeIfAbsent(t.digest(), d -> facts(repository, d));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tag", t.tag().value());
        if (f.isPresent()) {
          row.putAll(f.get().row());
        } else {
          // A tag left pointing at a manifest that is gone (a storage repair can leave one).
          row.put("digest", t.digest().toString());
          row.put("mediaType", null);
          row.put("kind", null);
          row.put("artifactType", null);
          row.put("platforms", List.of());
          row.put("size", 0);
        }
        // When this tag got its current content: the push by tag, or a later retag.
        row.put("pushedAt", ManifestFacts.iso(t.updatedAt()));
        tags.add(row);
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1).tag());
    }
    List<Map<String, Object>> untagged = new ArrayList<>();
    boolean untaggedComplete = true;
    Optional<Digest> cursor = Optional.empty();
    outer:
    while (true) {
      Page<Digest> page = meta.listManifests(repository, cursor, BATCH);
      for (Digest d : page.items()) {
        if (tagged.contains(d)) {
          continue;
        }
        if (untagged.size() == MAX_UNTAGGED) {
          untaggedComplete = false;
          break outer;
        }
        facts(repository, d).ifPresent(f -> untagged.add(f.row()));
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      cursor = Optional.of(page.items().get(page.items().size() - 1));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", repository.value());
    out.put("canDelete", canDelete);
    out.put("tags", tags);
    out.put("untagged", untagged);
    out.put("untaggedComplete", untaggedComplete);
    return out;
  }

  private Optional<ManifestFacts> facts(RepositoryName repository, Digest digest) {
    Optional<ManifestRecord> record = meta.getManifest(repository, digest);
    return record.map(r -> ManifestFacts.of(repository, r, configs));
  }
}
