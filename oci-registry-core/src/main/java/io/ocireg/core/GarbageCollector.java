package io.ocireg.core;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online mark-and-sweep garbage collection of a {@link Registry}'s storage, while it keeps serving.
 *
 * <p><b>Mark</b>: for every repository, the tagged manifests, those pushed within the grace period
 * and the untagged ones {@link GcOptions} keeps are roots; from them the mark follows index
 * children, configs and layers, and referrers of live manifests. Any failure while marking aborts
 * the run before anything is deleted ({@link GarbageCollectionException.Reason#MARK_FAILED}).
 *
 * <p><b>Sweep</b>, in an order that leaves storage consistent after a crash at any point: manifests
 * that are not live (referrer entry first, then the record), tags left naming nothing, blob links
 * that no live manifest of their repository references, blobs that no repository links and no live
 * manifest references, idle upload sessions, and, when asked, repositories left empty (and the
 * remains of those an interrupted run emptied but did not prune).
 *
 * <p><b>Safety against concurrent pushes.</b> Nothing written, pushed, linked or reused within the
 * grace period is removed. In this process, the engine's write paths (commit, mount, manifest push)
 * run in shared sections and pin what they create or reuse; the sweep re-checks every candidate in
 * an exclusive section immediately before deleting it, and skips it when it was pinned or touched
 * since it was marked. A push that reuses an old blob therefore either lands before the re-check
 * (and the blob stays) or after the delete (and is refused as {@code BLOB_UNKNOWN} / {@code
 * MANIFEST_BLOB_UNKNOWN}, never acknowledged). The sections also hold the storage's {@link
 * io.ocireg.storage.CollectionLock}, so a collector in another process on the same storage (the
 * command line) excludes this process's write paths the same way; it cannot see the pins, and
 * relies instead on the times the write paths store in that section ({@link
 * io.ocireg.storage.BlobStore#touch}, {@link MetadataStore#blobLinkedAt}, push times, renewed for
 * the children an index reuses), which its re-check reads. See {@code docs/gc.md}.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final int PAGE = 1000;

  /** Deletions per exclusive section: pushes wait for at most one batch. */
  private static final int BATCH = 32;

  private final Registry registry;
  private final Storage storage;
  private final MetadataStore meta;
  private final GcGuard guard;
  private final Clock clock;

  private GarbageCollector(Registry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.storage = registry.storage();
    this.meta = storage.metadata();
    this.guard = registry.gcGuard;
    this.clock = registry.clock();
  }

  /** A collector of {@code registry}'s storage, coordinated with its write paths. */
  public static GarbageCollector of(Registry registry) {
    return new GarbageCollector(registry);
  }

  /**
   * Runs one collection and returns its report (also logged as one line). Throws {@link
   * GarbageCollectionException} when another collection of this engine is running, or when marking
   * failed (nothing is swept then).
   */
  public GcReport collect(GcOptions options) {
    Objects.requireNonNull(options, "options");
    if (!guard.tryStartRun()) {
      throw new GarbageCollectionException(
          GarbageCollectionException.Reason.ALREADY_RUNNING,
          "a garbage collection is already running",
          null);
    }
    try {
      GcReport report = new Run(options).run();
      LOG.info(report.summary());
      return report;
    } finally {
      guard.endRun();
    }
  }

  /** A manifest as the mark sees it. */
  private record Node(
      Digest digest,
      Instant pushedAt,
      List<Digest> references,
      Optional<Digest> subject,
      boolean parsed,
      int size) {}

  /** What the mark decided for one repository. */
  private record RepositoryPlan(
      RepositoryName name,
      List<Node> deadManifests,
      List<Tag> danglingTags,
      List<Digest> deadLinks,
      int manifests,
      int links,
      int tags) {}

  /** One collection. */
  private final class Run {
    private final GcOptions o;
    private final Instant startedAt;
    private final Instant cutoff;
    private final long startNanos = System.nanoTime();

    private final Set<String> liveBlobs = new HashSet<>();
    private final Map<String, Integer> linkCounts = new HashMap<>();
    private final List<RepositoryPlan> plans = new ArrayList<>();
    private final List<String> items = new ArrayList<>();
    private long manifestsMarked;
    private long manifestsSwept;
    private long tagsSwept;
    private long linksSwept;
    private long blobsSwept;
    private long referrersSwept;
    private long repositoriesSwept;
    private long uploadsSwept;
    private long keptRecent;
    private long bytesFreed;

    Run(GcOptions o) {
      this.o = o;
      this.startedAt = clock.instant();
      this.cutoff = startedAt.minus(o.gracePeriod());
    }

    GcReport run() {
      try {
        forEachRepository(this::mark);
      } catch (RuntimeException e) {
        LOG.error("garbage collection aborted: marking failed, nothing was swept", e);
        throw new GarbageCollectionException(
            GarbageCollectionException.Reason.MARK_FAILED,
            "marking failed, nothing was swept: " + e.getMessage(),
            e);
      }
      for (RepositoryPlan plan : plans) {
        sweepManifests(plan);
        sweepTags(plan);
        sweepLinks(plan);
      }
      sweepBlobs();
      sweepUploads();
      if (o.removeEmptyRepositories()) {
        for (RepositoryPlan plan : plans) {
          sweepRepository(plan);
        }
        sweepRepositoryRemains();
      }
      return new GcReport(
          startedAt,
          Duration.ofNanos(System.nanoTime() - startNanos),
          o.dryRun(),
          plans.size(),
          manifestsMarked,
          liveBlobs.size(),
          manifestsSwept,
          tagsSwept,
          linksSwept,
          blobsSwept,
          referrersSwept,
          repositoriesSwept,
          uploadsSwept,
          keptRecent,
          bytesFreed,
          items);
    }

    // ---- mark ------------------------------------------------------------------------------

    private void mark(RepositoryName repository) {
      Map<Digest, Node> nodes = new HashMap<>();
      GarbageCollector.<Digest, Digest>forEach(
          after -> meta.listManifests(repository, after, PAGE),
          d -> meta.getManifest(repository, d).ifPresent(r -> nodes.put(d, node(repository, r))),
          d -> d);
      Set<Digest> tagged = new HashSet<>();
      List<Tag> dangling = new ArrayList<>();
      int[] tagCount = {0};
      GarbageCollector.<TagRecord, Tag>forEach(
          after -> meta.listTags(repository, after, PAGE),
          t -> {
            tagCount[0]++;
            if (nodes.containsKey(t.digest())) {
              tagged.add(t.digest());
            } else if (t.updatedAt().isBefore(cutoff)) {
              dangling.add(t.tag());
            }
          },
          TagRecord::tag);

      boolean emptied = o.removeEmptyRepositories() && tagCount[0] == 0;
      Set<Digest> live = new HashSet<>();
      Deque<Digest> work = new ArrayDeque<>();
      Set<Digest> children = new HashSet<>();
      boolean keepAllLinks = false;
      for (Node n : nodes.values()) {
        for (Digest r : n.references()) {
          if (nodes.containsKey(r)) {
            children.add(r);
          }
        }
      }
      List<Node> untaggedTop = new ArrayList<>();
      for (Node n : nodes.values()) {
        boolean root = tagged.contains(n.digest()) || !n.pushedAt().isBefore(cutoff);
        if (!n.parsed()) {
          // Its references are unknown: keep it and everything the repository links.
          root = true;
          keepAllLinks = true;
        }
        if (!root && !emptied) {
          if (n.subject().isPresent()) {
            root = !o.deleteOrphanReferrers();
          } else if (o.untaggedToKeep().isEmpty()) {
            root = true;
          } else if (!children.contains(n.digest())) {
            untaggedTop.add(n);
          }
        }
        if (root && live.add(n.digest())) {
          work.add(n.digest());
        }
      }
      if (!emptied && o.untaggedToKeep().isPresent()) {
        untaggedTop.sort(
            Comparator.comparing(Node::pushedAt)
                .reversed()
                .thenComparing(n -> n.digest().toString()));
        for (Node n :
            untaggedTop.subList(0, Math.min(o.untaggedToKeep().get(), untaggedTop.size()))) {
          if (live.add(n.digest())) {
            work.add(n.digest());
          }
        }
      }
      Set<String> repositoryBlobs = new HashSet<>();
      boolean changed = true;
      while (changed) {
        while (!work.isEmpty()) {
          Node n = nodes.get(work.pop());
          for (Digest r : n.references()) {
            repositoryBlobs.add(r.toString());
            if (nodes.containsKey(r) && live.add(r)) {
              work.add(r);
            }
          }
        }
        // Referrers of live manifests are live, and so are theirs.
        changed = false;
        for (Node n : nodes.values()) {
          if (n.subject().isPresent() && live.contains(n.subject().get()) && live.add(n.digest())) {
            work.add(n.digest());
            changed = true;
          }
        }
      }
      manifestsMarked += live.size();
      liveBlobs.addAll(repositoryBlobs);

      List<Digest> deadLinks = new ArrayList<>();
      int[] linkCount = {0};
      boolean keepLinks = keepAllLinks;
      GarbageCollector.<Digest, Digest>forEach(
          after -> meta.listBlobLinks(repository, after, PAGE),
          d -> {
            linkCount[0]++;
            linkCounts.merge(d.toString(), 1, Integer::sum);
            if (!keepLinks && !repositoryBlobs.contains(d.toString())) {
              deadLinks.add(d);
            }
          },
          d -> d);
      List<Node> deadManifests =
          nodes.values().stream()
              .filter(n -> !live.contains(n.digest()))
              .sorted(Comparator.comparing(n -> n.digest().toString()))
              .toList();
      plans.add(
          new RepositoryPlan(
              repository,
              deadManifests,
              dangling,
              deadLinks,
              nodes.size(),
              linkCount[0],
              tagCount[0]));
    }

    private Node node(RepositoryName repository, ManifestRecord record) {
      try {
        Manifest m = Manifest.parse(record.content(), record.mediaType());
        return new Node(
            record.digest(),
            record.pushedAt(),
            m.references().stream().map(Descriptor::digest).toList(),
            m.subject().map(Descriptor::digest),
            true,
            record.content().length);
      } catch (RegistryException | IllegalArgumentException e) {
        LOG.warn(
            "stored manifest {}@{} does not parse; keeping it and every blob of {}",
            repository,
            record.digest(),
            repository);
        return new Node(
            record.digest(),
            record.pushedAt(),
            List.of(),
            Optional.empty(),
            false,
            record.content().length);
      }
    }

    // ---- sweep -----------------------------------------------------------------------------

    private void sweepManifests(RepositoryPlan plan) {
      RepositoryName r = plan.name();
      inBatches(
          plan.deadManifests(),
          n -> {
            if (guard.isPinned(GcGuard.manifestKey(r, n.digest()))) {
              keptRecent++;
              return;
            }
            Optional<ManifestRecord> now = meta.getManifest(r, n.digest());
            if (now.isEmpty()) {
              return;
            }
            if (!now.get().pushedAt().isBefore(cutoff)) {
              keptRecent++;
              return;
            }
            swept("manifest " + r + "@" + n.digest());
            manifestsSwept++;
            bytesFreed += now.get().content().length;
            if (o.dryRun()) {
              if (n.subject().isPresent()) {
                referrersSwept++;
              }
              return;
            }
            // Entry first: a crash in between leaves an unlisted manifest the next run removes.
            if (n.subject().isPresent() && meta.deleteReferrer(r, n.subject().get(), n.digest())) {
              referrersSwept++;
            }
            meta.deleteManifest(r, n.digest());
            registry.repositoryChanged(r);
          });
    }

    private void sweepTags(RepositoryPlan plan) {
      RepositoryName r = plan.name();
      inBatches(
          plan.danglingTags(),
          t -> {
            Optional<TagRecord> now = meta.getTag(r, t);
            if (now.isEmpty()
                || !now.get().updatedAt().isBefore(cutoff)
                || meta.getManifest(r, now.get().digest()).isPresent()) {
              return;
            }
            swept("tag " + r + ":" + t);
            tagsSwept++;
            if (!o.dryRun()) {
              meta.deleteTag(r, t);
              registry.repositoryChanged(r);
            }
          });
    }

    private void sweepLinks(RepositoryPlan plan) {
      RepositoryName r = plan.name();
      inBatches(
          plan.deadLinks(),
          d -> {
            if (guard.isPinned(GcGuard.linkKey(r, d))) {
              keptRecent++;
              return;
            }
            Optional<Instant> linkedAt = meta.blobLinkedAt(r, d);
            if (linkedAt.isEmpty()) {
              linkCounts.merge(d.toString(), -1, Integer::sum);
              return;
            }
            if (!linkedAt.get().isBefore(cutoff)) {
              keptRecent++;
              return;
            }
            swept("link " + r + "@" + d);
            linksSwept++;
            linkCounts.merge(d.toString(), -1, Integer::sum);
            if (!o.dryRun()) {
              meta.unlinkBlob(r, d);
            }
          });
    }

    private void sweepBlobs() {
      List<Digest> candidates = new ArrayList<>();
      GarbageCollector.<Digest, Digest>forEach(
          after -> storage.blobs().list(after, PAGE),
          d -> {
            if (!liveBlobs.contains(d.toString())
                && linkCounts.getOrDefault(d.toString(), 0) <= 0) {
              candidates.add(d);
            }
          },
          d -> d);
      inBatches(
          candidates,
          d -> {
            if (guard.isPinned(GcGuard.blobKey(d))) {
              keptRecent++;
              return;
            }
            Optional<BlobInfo> now = storage.blobs().stat(d);
            if (now.isEmpty()) {
              return;
            }
            if (!now.get().storedAt().isBefore(cutoff)) {
              keptRecent++;
              return;
            }
            swept("blob " + d);
            blobsSwept++;
            bytesFreed += now.get().size();
            if (!o.dryRun()) {
              storage.blobs().delete(d);
            }
          });
    }

    private void sweepUploads() {
      if (o.dryRun()) {
        Instant stale = clock.instant().minus(o.uploadMaxAge());
        GarbageCollector.<String, String>forEach(
            after -> storage.uploads().listStale(stale, after, PAGE),
            id -> uploadsSwept++,
            id -> id);
        return;
      }
      uploadsSwept = registry.purgeStaleUploads(o.uploadMaxAge());
    }

    private void sweepRepository(RepositoryPlan plan) {
      RepositoryName r = plan.name();
      if (o.dryRun()) {
        if (plan.tags() == 0
            && plan.deadManifests().size() == plan.manifests()
            && plan.deadLinks().size() == plan.links()) {
          swept("repository " + r);
          repositoriesSwept++;
        }
        return;
      }
      guard.exclusive(
          () -> {
            if (!meta.repositoryExists(r) && meta.pruneRepository(r)) {
              swept("repository " + r);
              repositoriesSwept++;
            }
            return null;
          });
    }

    /**
     * What an earlier run left when it was stopped after emptying a repository and before pruning
     * it: no listing names such a repository any more, so no plan covers it.
     */
    private void sweepRepositoryRemains() {
      if (o.dryRun()) {
        return;
      }
      guard.exclusive(
          () -> {
            for (RepositoryName r : meta.pruneRepositoryRemains()) {
              swept("repository " + r);
              repositoriesSwept++;
            }
            return null;
          });
    }

    private void swept(String item) {
      if (items.size() < GcReport.MAX_LISTED) {
        items.add(item);
      }
    }

    /** Runs {@code action} on each item, {@link #BATCH} at a time in an exclusive section. */
    private <T> void inBatches(List<T> all, Consumer<T> action) {
      for (int i = 0; i < all.size(); i += BATCH) {
        List<T> batch = all.subList(i, Math.min(all.size(), i + BATCH));
        if (o.dryRun()) {
          batch.forEach(action);
          continue;
        }
        guard.exclusive(
            () -> {
              batch.forEach(action);
              return null;
            });
      }
    }
  }

  private void forEachRepository(Consumer<RepositoryName> action) {
    GarbageCollector.<RepositoryName, RepositoryName>forEach(
        after -> meta.listRepositories(after, PAGE), action, r -> r);
  }

  /** Walks a paginated listing to its end. */
  private static <T, K> void forEach(
      java.util.function.Function<Optional<K>, Page<T>> lister,
      Consumer<T> action,
      java.util.function.Function<T, K> key) {
    Optional<K> after = Optional.empty();
    while (true) {
      Page<T> page = lister.apply(after);
      page.items().forEach(action);
      if (!page.hasMore() || page.items().isEmpty()) {
        return;
      }
      after = Optional.of(key.apply(page.items().get(page.items().size() - 1)));
    }
  }
}
