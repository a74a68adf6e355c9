package io.ocireg.storage.memory;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.TagRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Metadata records behind one lock: they are small, and one lock makes every write atomic with
 * respect to every listing.
 */
final class MemoryMetadataStore implements MetadataStore {

  /** Everything one repository holds; every map is keyed by the items' wire form. */
  private static final class Repo {
    final TreeMap<String, ManifestRecord> manifests = new TreeMap<>();
    final TreeMap<String, TagRecord> tags = new TreeMap<>();
    final TreeMap<String, Digest> links = new TreeMap<>();
    final HashMap<String, Instant> linkedAt = new HashMap<>();
    final TreeMap<String, TreeMap<String, Descriptor>> referrers = new TreeMap<>();

    boolean exists() {
      return !manifests.isEmpty() || !tags.isEmpty() || !links.isEmpty();
    }

    boolean isEmpty() {
      return !exists() && referrers.isEmpty();
    }
  }

  private final Object lock = new Object();
  private final TreeMap<String, Repo> repos = new TreeMap<>();
  private final Clock clock;

  MemoryMetadataStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void putManifest(RepositoryName repository, ManifestRecord manifest) {
    Objects.requireNonNull(manifest, "manifest");
    synchronized (lock) {
      repo(repository).manifests.put(manifest.digest().toString(), copy(manifest));
    }
  }

  @Override
  public Optional<ManifestRecord> getManifest(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      return read(repository, r -> r.manifests.get(digest.toString()))
          .map(MemoryMetadataStore::copy);
    }
  }

  @Override
  public boolean deleteManifest(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      return remove(repository, r -> r.manifests.remove(digest.toString()) != null);
    }
  }

  @Override
  public Page<Digest> listManifests(RepositoryName repository, Optional<Digest> after, int limit) {
    synchronized (lock) {
      Page<ManifestRecord> page =
          page(repository, r -> r.manifests, after.map(Digest::toString), limit);
      return new Page<>(page.items().stream().map(ManifestRecord::digest).toList(), page.hasMore());
    }
  }

  @Override
  public void putTag(RepositoryName repository, TagRecord tag) {
    Objects.requireNonNull(tag, "tag");
    synchronized (lock) {
      repo(repository).tags.put(tag.tag().toString(), tag);
    }
  }

  @Override
  public Optional<TagRecord> getTag(RepositoryName repository, Tag tag) {
    Objects.requireNonNull(tag, "tag");
    synchronized (lock) {
      return read(repository, r -> r.tags.get(tag.toString()));
    }
  }

  @Override
  public boolean deleteTag(RepositoryName repository, Tag tag) {
    Objects.requireNonNull(tag, "tag");
    synchronized (lock) {
      return remove(repository, r -> r.tags.remove(tag.toString()) != null);
    }
  }

  @Override
  public Page<TagRecord> listTags(RepositoryName repository, Optional<Tag> after, int limit) {
    synchronized (lock) {
      return page(repository, r -> r.tags, after.map(Tag::toString), limit);
    }
  }

  @Override
  public void linkBlob(RepositoryName repository, Digest digest) {
    linkBlob(repository, digest, clock.instant());
  }

  @Override
  public void linkBlob(RepositoryName repository, Digest digest, Instant at) {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(at, "at");
    synchronized (lock) {
      Repo repo = repo(repository);
      repo.links.put(digest.toString(), digest);
      repo.linkedAt.merge(digest.toString(), at, (old, now) -> now.isAfter(old) ? now : old);
    }
  }

  @Override
  public Optional<Instant> blobLinkedAt(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      return read(
          repository,
          r -> r.links.containsKey(digest.toString()) ? r.linkedAt.get(digest.toString()) : null);
    }
  }

  @Override
  public boolean isBlobLinked(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      return read(repository, r -> r.links.get(digest.toString())).isPresent();
    }
  }

  @Override
  public boolean unlinkBlob(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(digest, "digest");
    synchronized (lock) {
      return remove(
          repository,
          r -> {
            r.linkedAt.remove(digest.toString());
            return r.links.remove(digest.toString()) != null;
          });
    }
  }

  @Override
  public Page<Digest> listBlobLinks(RepositoryName repository, Optional<Digest> after, int limit) {
    synchronized (lock) {
      return page(repository, r -> r.links, after.map(Digest::toString), limit);
    }
  }

  @Override
  public void putReferrer(RepositoryName repository, Digest subject, Descriptor referrer) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(referrer, "referrer");
    synchronized (lock) {
      repo(repository)
          .referrers
          .computeIfAbsent(subject.toString(), s -> new TreeMap<>())
          .put(referrer.digest().toString(), referrer);
    }
  }

  @Override
  public boolean deleteReferrer(RepositoryName repository, Digest subject, Digest referrer) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(referrer, "referrer");
    synchronized (lock) {
      return remove(
          repository,
          r -> {
            TreeMap<String, Descriptor> of = r.referrers.get(subject.toString());
            if (of == null || of.remove(referrer.toString()) == null) {
              return false;
            }
            if (of.isEmpty()) {
              r.referrers.remove(subject.toString());
            }
            return true;
          });
    }
  }

  @Override
  public Page<Descriptor> listReferrers(
      RepositoryName repository, Digest subject, Optional<Digest> after, int limit) {
    Objects.requireNonNull(subject, "subject");
    synchronized (lock) {
      return page(
          repository,
          r -> r.referrers.getOrDefault(subject.toString(), new TreeMap<>()),
          after.map(Digest::toString),
          limit);
    }
  }

  @Override
  public boolean repositoryExists(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    synchronized (lock) {
      Repo repo = repos.get(repository.toString());
      return repo != null && repo.exists();
    }
  }

  @Override
  public Page<RepositoryName> listRepositories(Optional<RepositoryName> after, int limit) {
    synchronized (lock) {
      TreeMap<String, RepositoryName> existing = new TreeMap<>();
      repos.forEach(
          (name, repo) -> {
            if (repo.exists()) {
              existing.put(name, RepositoryName.parse(name));
            }
          });
      return Pages.page(existing, after.map(RepositoryName::toString), limit);
    }
  }

  @Override
  public boolean pruneRepository(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    synchronized (lock) {
      Repo repo = repos.get(repository.toString());
      if (repo != null && repo.exists()) {
        return false;
      }
      repos.remove(repository.toString());
      return true;
    }
  }

  private Repo repo(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    return repos.computeIfAbsent(repository.toString(), n -> new Repo());
  }

  private <T> Optional<T> read(RepositoryName repository, Function<Repo, T> reader) {
    Objects.requireNonNull(repository, "repository");
    Repo repo = repos.get(repository.toString());
    return repo == null ? Optional.empty() : Optional.ofNullable(reader.apply(repo));
  }

  private boolean remove(RepositoryName repository, Function<Repo, Boolean> remover) {
    Objects.requireNonNull(repository, "repository");
    Repo repo = repos.get(repository.toString());
    if (repo == null) {
      return false;
    }
    boolean removed = remover.apply(repo);
    if (repo.isEmpty()) {
      repos.remove(repository.toString());
    }
    return removed;
  }

  private <V> Page<V> page(
      RepositoryName repository,
      Function<Repo, TreeMap<String, V>> map,
      Optional<String> after,
      int limit) {
    Objects.requireNonNull(repository, "repository");
    Repo repo = repos.get(repository.toString());
    return Pages.page(repo == null ? new TreeMap<>() : map.apply(repo), after, limit);
  }

  // The record holds a mutable array; copies keep callers from changing what is stored.
  private static ManifestRecord copy(ManifestRecord m) {
    return new ManifestRecord(
        m.digest(), m.mediaType(), m.content().clone(), m.pushedAt(), m.contentSize());
  }
}
