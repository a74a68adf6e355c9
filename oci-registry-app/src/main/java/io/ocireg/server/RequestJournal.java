package io.ocireg.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request an {@link OciRegistryServer} served, in arrival order, with query helpers for what
 * tests of registry clients assert most: blobs mounted rather than uploaded, the chunks of an
 * upload, the manifests pushed, the {@code Accept} headers sent.
 *
 * <p>Thread-safe. Bounded: it keeps the latest {@link #capacity()} requests ({@value
 * #DEFAULT_CAPACITY} unless the builder says otherwise) and counts the older ones it dropped in
 * {@link #dropped()}. Readers see every request whose response the client has received: a query
 * first waits (up to {@link #QUIET_WAIT}) for requests still being answered, since a client may
 * hold a complete response before the server has finished its bookkeeping.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#endpoints">
 *     distribution-spec: endpoints</a>
 */
public final class RequestJournal {
  /** How many requests a journal keeps unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /** The longest a query waits for in-flight requests to be recorded. */
  public static final Duration QUIET_WAIT = Duration.ofSeconds(5);

  private static final Pattern UPLOAD_START = Pattern.compile("/v2/(.+)/blobs/uploads/?");
  private static final Pattern UPLOAD_SESSION = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

  /** A blob that a {@code POST ?mount=} linked into a repository instead of an upload (201). */
  public record BlobMount(String repository, String digest, Optional<String> from) {}

  /**
   * A blob upload that ended in 201: the sizes of the bodies that carried its bytes, in order (the
   * {@code PATCH} chunks, then the closing {@code PUT}'s body when it had one, or the single {@code
   * POST}'s body).
   */
  public record BlobUpload(
      String repository, String digest, List<Long> chunkSizes, boolean singleRequest) {
    public BlobUpload {
      chunkSizes = List.copyOf(chunkSizes);
    }

    /** How many requests carried bytes of this blob. */
    public int chunkCount() {
      return chunkSizes.size();
    }
  }

  /** A manifest {@code PUT} that was accepted (201). */
  public record ManifestPush(
      String repository, String reference, Optional<String> mediaType, Optional<String> digest) {}

  private final int capacity;
  private final Deque<RecordedRequest> entries = new ArrayDeque<>();
  private long dropped;
  private int inFlight;
  private volatile boolean enabled = true;

  /** An empty journal keeping at most {@code capacity} requests. */
  public RequestJournal(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** How many requests this journal keeps. */
  public int capacity() {
    return capacity;
  }

  /** Turns recording on or off at run time; on by default. */
  public void setEnabled(boolean on) {
    enabled = on;
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** Forgets every recorded request and the dropped count. */
  public synchronized void reset() {
    entries.clear();
    dropped = 0;
  }

  /** How many requests were dropped to respect the capacity since the last reset. */
  public synchronized long dropped() {
    awaitQuiet();
    return dropped;
  }

  /** Every recorded request, oldest first. */
  public synchronized List<RecordedRequest> requests() {
    awaitQuiet();
    return List.copyOf(entries);
  }

  /** The recorded requests that satisfy {@code filter}, oldest first. */
  public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
    return requests().stream().filter(filter).toList();
  }

  /** The recorded requests with {@code method} whose raw path matches {@code pathRegex} whole. */
  public List<RecordedRequest> requests(String method, String pathRegex) {
    Pattern p = Pattern.compile(pathRegex);
    return requests(r -> r.method().equals(method) && p.matcher(r.path()).matches());
  }

  /** Blobs linked by a cross-repository mount (201 to {@code POST ?mount=}). */
  public List<BlobMount> mounts() {
    List<BlobMount> out = new ArrayList<>();
    for (RecordedRequest r : requests()) {
      Matcher m = UPLOAD_START.matcher(r.path());
      if (r.method().equals("POST") && r.status() == 201 && m.matches()) {
        Optional<String> mount = r.queryParameter("mount");
        if (mount.isPresent()) {
          out.add(new BlobMount(m.group(1), mount.get(), r.queryParameter("from")));
        }
      }
    }
    return out;
  }

  /** Whether a blob with {@code digest} was mounted into any repository. */
  public boolean wasMounted(String digest) {
    return mounts().stream().anyMatch(m -> m.digest().equals(digest));
  }

  /** Blob uploads that completed (201), by single {@code POST} or by session, oldest first. */
  public List<BlobUpload> uploads() {
    List<BlobUpload> out = new ArrayList<>();
    // Chunks accepted so far per session path; a session ends with its PUT.
    Map<String, List<Long>> chunks = new LinkedHashMap<>();
    for (RecordedRequest r : requests()) {
      Matcher start = UPLOAD_START.matcher(r.path());
      Matcher session = UPLOAD_SESSION.matcher(r.path());
      if (r.method().equals("POST") && start.matches()) {
        Optional<String> digest = r.queryParameter("digest");
        if (r.status() == 201 && digest.isPresent() && r.queryParameter("mount").isEmpty()) {
          out.add(new BlobUpload(start.group(1), digest.get(), List.of(r.requestBytes()), true));
        }
      } else if (session.matches() && r.method().equals("PATCH") && r.status() == 202) {
        chunks.computeIfAbsent(r.path(), k -> new ArrayList<>()).add(r.requestBytes());
      } else if (session.matches() && r.method().equals("PUT") && r.status() == 201) {
        List<Long> sizes = new ArrayList<>(chunks.getOrDefault(r.path(), List.of()));
        chunks.remove(r.path());
        if (r.requestBytes() > 0) {
          sizes.add(r.requestBytes());
        }
        String digest = r.queryParameter("digest").orElse("");
        out.add(new BlobUpload(session.group(1), digest, sizes, false));
      }
    }
    return out;
  }

  /** The completed upload of the blob {@code digest}, the latest when there were several. */
  public Optional<BlobUpload> upload(String digest) {
    List<BlobUpload> all = uploads();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).digest().equals(digest)) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  /** Manifests the registry accepted (201 to {@code PUT .../manifests/<reference>}). */
  public List<ManifestPush> manifestPushes() {
    List<ManifestPush> out = new ArrayList<>();
    for (RecordedRequest r : requests()) {
      Matcher m = MANIFEST.matcher(r.path());
      if (r.method().equals("PUT") && r.status() == 201 && m.matches()) {
        out.add(
            new ManifestPush(
                m.group(1),
                m.group(2),
                r.header("Content-Type"),
                r.responseHeader("Docker-Content-Digest")));
      }
    }
    return out;
  }

  /** The {@code Accept} headers of manifest {@code GET} and {@code HEAD} requests, in order. */
  public List<String> acceptHeaders() {
    List<String> out = new ArrayList<>();
    for (RecordedRequest r : requests()) {
      boolean read = r.method().equals("GET") || r.method().equals("HEAD");
      if (read && MANIFEST.matcher(r.path()).matches()) {
        r.header("Accept").ifPresent(out::add);
      }
    }
    return out;
  }

  // ---- recording (the server's side) -----------------------------------------------------

  /** Marks a request as being answered; every call is paired with {@link #end}. */
  synchronized void begin() {
    inFlight++;
  }

  /** Records a finished request (when enabled) and ends its in-flight mark. */
  synchronized void end(RecordedRequest request) {
    inFlight--;
    if (enabled && request != null) {
      if (entries.size() == capacity) {
        entries.removeFirst();
        dropped++;
      }
      entries.addLast(request);
    }
    notifyAll();
  }

  private void awaitQuiet() {
    long deadline = System.nanoTime() + QUIET_WAIT.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
