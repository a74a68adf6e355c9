package io.ocireg.ui;

import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.TagRecord;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the repository list, from the metadata records alone (no blob is looked at): the
 * number of tags; the size of the distinct manifests the tags reach, each its own bytes plus the
 * content size recorded at push time (a tagged child of a tagged index counts once, inside its
 * index); and the latest time a tag was set or a tagged manifest pushed.
 */
record RepositorySummary(RepositoryName name, int tags, long size, Optional<Instant> lastPush) {
  /** Tags per storage call: a file store lists its whole tag folder on each (see ManifestPage). */
  private static final int BATCH = 10_000;

  static RepositorySummary read(MetadataStore meta, RepositoryName repository) {
    int count = 0;
    Instant last = null;
    Map<Digest, Boolean> tagged = new LinkedHashMap<>();
    Optional<Tag> after = Optional.empty();
    while (true) {
      Page<TagRecord> page = meta.listTags(repository, after, BATCH);
      for (TagRecord t : page.items()) {
        count++;
        tagged.put(t.digest(), Boolean.TRUE);
        last = later(last, t.updatedAt());
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1).tag());
    }
    Map<Digest, ManifestRecord> records = new LinkedHashMap<>();
    Set<Digest> insideIndexes = new HashSet<>();
    for (Digest d : tagged.keySet()) {
      Optional<ManifestRecord> r = meta.getManifest(repository, d);
      if (r.isEmpty()) {
        continue; // a tag whose manifest is gone weighs nothing
      }
      records.put(d, r.get());
      last = later(last, r.get().pushedAt());
      if (r.get().mediaType().isIndex()) {
        insideIndexes.addAll(children(r.get()));
      }
    }
    long size = 0;
    for (ManifestRecord r : records.values()) {
      if (!insideIndexes.contains(r.digest())) {
        size += r.content().length + r.contentSize();
      }
    }
    return new RepositorySummary(repository, count, size, Optional.ofNullable(last));
  }

  private static List<Digest> children(ManifestRecord record) {
    try {
      Manifest m = Manifest.parse(record.content(), record.mediaType());
      return m instanceof ImageIndex i
          ? i.manifests().stream().map(d -> d.digest()).toList()
          : List.of();
    } catch (RegistryException | IllegalArgumentException e) {
      return List.of();
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  Map<String, Object> row() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name.value());
    m.put("tags", tags);
    m.put("size", size);
    m.put("lastPush", lastPush.map(ManifestFacts::iso).orElse(null));
    return m;
  }
}
