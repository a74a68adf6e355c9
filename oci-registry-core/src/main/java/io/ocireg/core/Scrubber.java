package io.ocireg.core;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-hashes every stored blob and manifest record and reports those whose content no longer matches
 * its digest (bit rot, a disk that lied, a hand-edited file). With quarantine on, a corrupt blob is
 * removed, so that pulls get {@code BLOB_UNKNOWN} and a push of the same digest stores good bytes
 * again; corrupt manifest records are reported only (the engine already refuses to serve them).
 * Runs online: it only reads, and removes nothing but corrupt blobs.
 */
public final class Scrubber {
  private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
  private static final int PAGE = 1000;

  private final Storage storage;
  private final MetadataStore meta;
  private final GcGuard guard;

  private Scrubber(Registry registry) {
    this.storage = Objects.requireNonNull(registry, "registry").storage();
    this.meta = storage.metadata();
    this.guard = registry.gcGuard;
  }

  /**
   * Removes corrupt blob {@code d} in an exclusive section, as a collection deletes (this process's
   * pushes and, through the storage's collection lock, other processes' are held off), after
   * checking it once more there: a push may have stored good bytes under the digest since.
   */
  private boolean quarantine(Digest d) {
    return guard.exclusive(
        () -> {
          Optional<BlobInfo> info = storage.blobs().stat(d);
          return info.isPresent() && check(d, info.get()).isPresent() && storage.blobs().delete(d);
        });
  }

  /** A scrubber of {@code registry}'s storage. */
  public static Scrubber of(Registry registry) {
    return new Scrubber(registry);
  }

  /** Checks everything; removes corrupt blobs when {@code quarantine} is on. */
  public ScrubReport scrub(boolean quarantine) {
    long start = System.nanoTime();
    long blobs = 0;
    long bytes = 0;
    long manifests = 0;
    long quarantined = 0;
    List<String> corruptBlobs = new ArrayList<>();
    List<String> corruptManifests = new ArrayList<>();

    Optional<Digest> after = Optional.empty();
    while (true) {
      Page<Digest> page = storage.blobs().list(after, PAGE);
      for (Digest d : page.items()) {
        Optional<BlobInfo> info = storage.blobs().stat(d);
        if (info.isEmpty() || !d.isSupported()) {
          continue;
        }
        blobs++;
        Optional<String> problem = check(d, info.get());
        bytes += info.get().size();
        if (problem.isPresent()) {
          LOG.error("blob {} is corrupt: {}", d, problem.get());
          corruptBlobs.add(d + ": " + problem.get());
          if (quarantine && quarantine(d)) {
            quarantined++;
          }
        }
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1));
    }

    Optional<RepositoryName> repoAfter = Optional.empty();
    while (true) {
      Page<RepositoryName> repos = meta.listRepositories(repoAfter, PAGE);
      for (RepositoryName r : repos.items()) {
        Optional<Digest> mAfter = Optional.empty();
        while (true) {
          Page<Digest> page = meta.listManifests(r, mAfter, PAGE);
          for (Digest d : page.items()) {
            Optional<ManifestRecord> record = readManifest(r, d, corruptManifests);
            if (record.isEmpty()) {
              continue;
            }
            manifests++;
            if (d.isSupported() && !Digest.of(d.algorithm(), record.get().content()).equals(d)) {
              LOG.error("manifest {}@{} does not match its digest", r, d);
              corruptManifests.add(r + "@" + d);
            }
          }
          if (!page.hasMore() || page.items().isEmpty()) {
            break;
          }
          mAfter = Optional.of(page.items().get(page.items().size() - 1));
        }
      }
      if (!repos.hasMore() || repos.items().isEmpty()) {
        break;
      }
      repoAfter = Optional.of(repos.items().get(repos.items().size() - 1));
    }
    ScrubReport report =
        new ScrubReport(
            java.time.Duration.ofNanos(System.nanoTime() - start),
            blobs,
            bytes,
            manifests,
            corruptBlobs,
            corruptManifests,
            quarantined);
    LOG.info(report.summary());
    return report;
  }

  private Optional<ManifestRecord> readManifest(RepositoryName r, Digest d, List<String> corrupt) {
    try {
      return meta.getManifest(r, d);
    } catch (StorageException e) {
      corrupt.add(r + "@" + d);
      LOG.error("manifest record {}@{} cannot be read: {}", r, d, e.getMessage());
      return Optional.empty();
    }
  }

  /** Why the blob does not match, or empty when it does. */
  private Optional<String> check(Digest d, BlobInfo info) {
    MessageDigest md = Digest.newMessageDigest(d.algorithm());
    long count = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = storage.blobs().open(d, 0, -1)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        md.update(buffer, 0, n);
        count += n;
      }
    } catch (IOException | UncheckedIOException | StorageException e) {
      if (storage.blobs().stat(d).isEmpty()) {
        return Optional.empty(); // collected meanwhile
      }
      return Optional.of("cannot be read: " + e.getMessage());
    }
    Digest actual = Digest.fromHash(d.algorithm(), md.digest());
    if (!actual.equals(d)) {
      return Optional.of("content hashes to " + actual + " (" + count + " bytes)");
    }
    return Optional.empty();
  }
}
