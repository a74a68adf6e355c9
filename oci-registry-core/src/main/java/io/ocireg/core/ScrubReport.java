package io.ocireg.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Scrubber} run checked and found.
 *
 * @param duration how long it took
 * @param blobsChecked blobs re-hashed
 * @param bytesChecked bytes re-hashed
 * @param manifestsChecked manifest records re-hashed
 * @param corruptBlobs blobs whose content does not hash to their digest (or could not be read), as
 *     {@code sha256:... : reason}
 * @param corruptManifests manifest records whose bytes do not hash to their digest, as {@code
 *     repo@sha256:...}
 * @param quarantined corrupt blobs removed so that they are {@code BLOB_UNKNOWN} until pushed again
 */
public record ScrubReport(
    Duration duration,
    long blobsChecked,
    long bytesChecked,
    long manifestsChecked,
    List<String> corruptBlobs,
    List<String> corruptManifests,
    long quarantined) {

  public ScrubReport {
    Objects.requireNonNull(duration, "duration");
    corruptBlobs = List.copyOf(corruptBlobs);
    corruptManifests = List.copyOf(corruptManifests);
  }

  /** Whether everything checked matched its digest. */
  public boolean clean() {
    return corruptBlobs.isEmpty() && corruptManifests.isEmpty();
  }

  /** The report as one log line. */
  public String summary() {
    return "scrub: checked "
        + blobsChecked
        + " blobs ("
        + bytesChecked
        + " bytes) and "
        + manifestsChecked
        + " manifests; "
        + corruptBlobs.size()
        + " corrupt blobs, "
        + corruptManifests.size()
        + " corrupt manifests, "
        + quarantined
        + " quarantined; "
        + duration.toMillis()
        + " ms";
  }

  /** The report as a JSON object. */
  public String toJson() {
    return "{\"durationMillis\":"
        + duration.toMillis()
        + ",\"blobsChecked\":"
        + blobsChecked
        + ",\"bytesChecked\":"
        + bytesChecked
        + ",\"manifestsChecked\":"
        + manifestsChecked
        + ",\"corruptBlobs\":"
        + array(corruptBlobs)
        + ",\"corruptManifests\":"
        + array(corruptManifests)
        + ",\"quarantined\":"
        + quarantined
        + ",\"clean\":"
        + clean()
        + "}";
  }

  private static String array(List<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ",").append('"').append(Json.escape(values.get(i))).append('"');
    }
    return b.append(']').toString();
  }
}
