package io.ocireg.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link GarbageCollector} run found and removed (or, in a dry run, would remove).
 *
 * @param startedAt when the run started
 * @param duration how long it took
 * @param dryRun whether nothing was removed
 * @param repositoriesMarked repositories walked
 * @param manifestsMarked manifests found live
 * @param blobsMarked distinct blobs referenced by live manifests
 * @param manifestsSwept manifests removed
 * @param tagsSwept tags removed because the manifest they named was gone
 * @param linksSwept blob links removed from repositories
 * @param blobsSwept blobs removed from storage
 * @param referrersSwept referrer entries removed
 * @param repositoriesSwept repositories removed
 * @param uploadsSwept upload sessions cancelled for being idle
 * @param keptRecent candidates kept because they were written or reused within the grace period, or
 *     while the run was going on
 * @param bytesFreed bytes of blobs and manifests removed
 * @param swept what was removed, such as {@code blob sha256:...} or {@code manifest
 *     repo@sha256:...} (at most {@link #MAX_LISTED} entries)
 */
public record GcReport(
    Instant startedAt,
    Duration duration,
    boolean dryRun,
    long repositoriesMarked,
    long manifestsMarked,
    long blobsMarked,
    long manifestsSwept,
    long tagsSwept,
    long linksSwept,
    long blobsSwept,
    long referrersSwept,
    long repositoriesSwept,
    long uploadsSwept,
    long keptRecent,
    long bytesFreed,
    List<String> swept) {

  /** Most entries listed in {@link #swept()}. */
  public static final int MAX_LISTED = 10_000;

  public GcReport {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    swept = List.copyOf(swept);
  }

  /** The report as one log line. */
  public String summary() {
    return (dryRun ? "garbage collection (dry run): " : "garbage collection: ")
        + "marked "
        + manifestsMarked
        + " manifests and "
        + blobsMarked
        + " blobs in "
        + repositoriesMarked
        + " repositories; "
        + (dryRun ? "would sweep " : "swept ")
        + manifestsSwept
        + " manifests, "
        + tagsSwept
        + " tags, "
        + linksSwept
        + " links, "
        + blobsSwept
        + " blobs, "
        + referrersSwept
        + " referrers, "
        + repositoriesSwept
        + " repositories, "
        + uploadsSwept
        + " uploads; "
        + bytesFreed
        + " bytes "
        + (dryRun ? "would be freed" : "freed")
        + "; kept "
        + keptRecent
        + " recent; "
        + duration.toMillis()
        + " ms";
  }

  /** The report as a JSON object. */
  public String toJson() {
    StringBuilder b = new StringBuilder("{");
    b.append("\"startedAt\":\"").append(startedAt).append('"');
    b.append(",\"durationMillis\":").append(duration.toMillis());
    b.append(",\"dryRun\":").append(dryRun);
    b.append(",\"marked\":{\"repositories\":")
        .append(repositoriesMarked)
        .append(",\"manifests\":")
        .append(manifestsMarked)
        .append(",\"blobs\":")
        .append(blobsMarked)
        .append('}');
    b.append(",\"swept\":{\"manifests\":")
        .append(manifestsSwept)
        .append(",\"tags\":")
        .append(tagsSwept)
        .append(",\"links\":")
        .append(linksSwept)
        .append(",\"blobs\":")
        .append(blobsSwept)
        .append(",\"referrers\":")
        .append(referrersSwept)
        .append(",\"repositories\":")
        .append(repositoriesSwept)
        .append(",\"uploads\":")
        .append(uploadsSwept)
        .append('}');
    b.append(",\"keptRecent\":").append(keptRecent);
    b.append(",\"bytesFreed\":").append(bytesFreed);
    b.append(",\"items\":[");
    for (int i = 0; i < swept.size(); i++) {
      b.append(i == 0 ? "" : ",").append('"').append(Json.escape(swept.get(i))).append('"');
    }
    return b.append("]}").toString();
  }
}
