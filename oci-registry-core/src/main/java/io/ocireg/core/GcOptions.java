package io.ocireg.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link GarbageCollector} run may remove. {@link #defaults()} keeps every manifest (tagged
 * or not) and every referrer, protects everything written in the last hour, removes upload sessions
 * idle for a day, and deletes for real.
 *
 * @param gracePeriod nothing written, pushed, linked or reused more recently than this is removed
 * @param untaggedToKeep empty keeps every untagged manifest; {@code N} keeps the {@code N} most
 *     recently pushed untagged manifests of each repository (with what they reference) and removes
 *     the others; 0 removes them all
 * @param deleteOrphanReferrers whether a manifest whose {@code subject} is gone (or is being
 *     removed) goes too, with its referrer entry, unless it is tagged itself; when off, such
 *     referrers are kept
 * @param removeEmptyRepositories whether a repository without any tag is emptied (its manifests
 *     removed whatever {@code untaggedToKeep} says) and then removed, so that it leaves the catalog
 *     and frees its storage
 * @param uploadMaxAge upload sessions idle for longer are cancelled
 * @param dryRun report what would be removed and the bytes it would free, remove nothing
 */
public record GcOptions(
    Duration gracePeriod,
    Optional<Integer> untaggedToKeep,
    boolean deleteOrphanReferrers,
    boolean removeEmptyRepositories,
    Duration uploadMaxAge,
    boolean dryRun) {

  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(1);
  public static final Duration DEFAULT_UPLOAD_MAX_AGE = Duration.ofHours(24);

  public GcOptions {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(untaggedToKeep, "untaggedToKeep");
    Objects.requireNonNull(uploadMaxAge, "uploadMaxAge");
    if (gracePeriod.isNegative() || uploadMaxAge.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (untaggedToKeep.isPresent() && untaggedToKeep.get() < 0) {
      throw new IllegalArgumentException("untaggedToKeep must not be negative");
    }
  }

  /** Keep every manifest, one hour of grace, sessions idle for a day removed, not a dry run. */
  public static GcOptions defaults() {
    return new GcOptions(
        DEFAULT_GRACE_PERIOD, Optional.empty(), false, false, DEFAULT_UPLOAD_MAX_AGE, false);
  }

  public GcOptions withGracePeriod(Duration gracePeriod) {
    return new GcOptions(
        gracePeriod,
        untaggedToKeep,
        deleteOrphanReferrers,
        removeEmptyRepositories,
        uploadMaxAge,
        dryRun);
  }

  /** Keeps the {@code n} newest untagged manifests per repository (0: none). */
  public GcOptions withUntaggedToKeep(int n) {
    return new GcOptions(
        gracePeriod,
        Optional.of(n),
        deleteOrphanReferrers,
        removeEmptyRepositories,
        uploadMaxAge,
        dryRun);
  }

  /** Keeps every untagged manifest. */
  public GcOptions keepingUntagged() {
    return new GcOptions(
        gracePeriod,
        Optional.empty(),
        deleteOrphanReferrers,
        removeEmptyRepositories,
        uploadMaxAge,
        dryRun);
  }

  public GcOptions withDeleteOrphanReferrers(boolean on) {
    return new GcOptions(
        gracePeriod, untaggedToKeep, on, removeEmptyRepositories, uploadMaxAge, dryRun);
  }

  public GcOptions withRemoveEmptyRepositories(boolean on) {
    return new GcOptions(
        gracePeriod, untaggedToKeep, deleteOrphanReferrers, on, uploadMaxAge, dryRun);
  }

  public GcOptions withUploadMaxAge(Duration age) {
    return new GcOptions(
        gracePeriod, untaggedToKeep, deleteOrphanReferrers, removeEmptyRepositories, age, dryRun);
  }

  public GcOptions withDryRun(boolean on) {
    return new GcOptions(
        gracePeriod,
        untaggedToKeep,
        deleteOrphanReferrers,
        removeEmptyRepositories,
        uploadMaxAge,
        on);
  }
}
