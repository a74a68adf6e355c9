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
 * {@code GET api/tags/{name}?n=&last=}: one page of the tags of a repository, in lexical order,
 * with what each one's manifest is; and on the first page the manifests no tag points at (children
 * of indexes, referrers, images whose tag moved on), at most {@link #MAX_UNTAGGED}.
 */
final class RepositoryPage {
  private static final int BATCH = 1000;

  /** Tags per storage call when scanning: a file store lists its whole tag folder on each. */
  private static final int TAG_BATCH = 10_000;

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  /** Most untagged manifests listed: a repository of pushes by digest can hold very many. */
  static final int MAX_UNTAGGED = 1000;

  /** Most manifests looked at for the untagged ones. */
  static final int MAX_CONSIDERED = 10_000;

  private final MetadataStore meta;
  private final Configs configs;

  RepositoryPage(MetadataStore meta, Configs configs) {
    this.meta = meta;
    this.configs = configs;
  }

  Map<String, Object> page(RepositoryName repository, boolean canDelete, String n, String last) {
    int limit = RepositoryList.size(n, DEFAULT_PAGE, MAX_PAGE);
    Optional<Tag> after = Optional.empty();
    if (last != null && !last.isEmpty()) {
      if (!Tag.isValid(last)) {
        throw RepositoryList.badRequest("last must be a tag", last);
      }
      after = Optional.of(Tag.parse(last));
    }
    if (!meta.repositoryExists(repository)) {
      throw new RegistryException(
          ErrorCode.NAME_UNKNOWN, "repository name not known to registry", repository.value());
    }
    // One budget of config reads for the whole answer: the rows beyond it say "not known".
    Configs.Budget budget = configs.budget();
    Map<Digest, Optional<ManifestFacts>> facts = new HashMap<>();
    List<Map<String, Object>> tags = new ArrayList<>();
    Page<TagRecord> page = meta.listTags(repository, after, limit);
    for (TagRecord t : page.items()) {
      Optional<ManifestFacts> f =
          facts.computeIfAbsent(t.digest(), d -> facts(repository, d, budget));
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
        row.put("platformsKnown", true);
        row.put("size", 0);
      }
      // When this tag got its current content: the push by tag, or a later retag.
      row.put("pushedAt", ManifestFacts.iso(t.updatedAt()));
      tags.add(row);
    }
    boolean more = page.hasMore() && !page.items().isEmpty();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", repository.value());
    out.put("canDelete", canDelete);
    out.put("tags", tags);
    out.put("next", more ? page.items().get(page.items().size() - 1).tag().value() : null);
    if (after.isEmpty()) {
      untagged(repository, budget, out);
    }
    return out;
  }

  /**
   * Adds {@code untagged} and {@code untaggedComplete}: the manifests first (at most {@link
   * #MAX_CONSIDERED}), then the tags only until each of those is known to be tagged, so a
   * repository of many tags on few manifests costs a page of tags, not all of them.
   */
  private void untagged(RepositoryName repository, Configs.Budget budget, Map<String, Object> out) {
    Set<Digest> unseen = new LinkedHashSet<>(); // in the storage's order
    boolean allConsidered = true;
    Optional<Digest> cursor = Optional.empty();
    outer:
    while (true) {
      Page<Digest> page = meta.listManifests(repository, cursor, BATCH);
      for (Digest d : page.items()) {
        if (unseen.size() == MAX_CONSIDERED) {
          allConsidered = false;
          break outer;
        }
        unseen.add(d);
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      cursor = Optional.of(page.items().get(page.items().size() - 1));
    }
    Optional<Tag> after = Optional.empty();
    // Small first: the tags of a few manifests are usually found in the first page.
    int batch = 100;
    while (!unseen.isEmpty()) {
      Page<TagRecord> page = meta.listTags(repository, after, batch);
      batch = Math.min(batch * 10, TAG_BATCH);
      for (TagRecord t : page.items()) {
        unseen.remove(t.digest());
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1).tag());
    }
    List<Map<String, Object>> untagged = new ArrayList<>();
    for (Digest d : unseen) {
      if (untagged.size() == MAX_UNTAGGED) {
        break;
      }
      facts(repository, d, budget).ifPresent(f -> untagged.add(f.row()));
    }
    out.put("untagged", untagged);
    out.put("untaggedComplete", allConsidered && unseen.size() <= MAX_UNTAGGED);
  }

  private Optional<ManifestFacts> facts(
      RepositoryName repository, Digest digest, Configs.Budget budget) {
    Optional<ManifestRecord> record = meta.getManifest(repository, digest);
    return record.map(r -> ManifestFacts.of(repository, r, configs, budget));
  }
}
