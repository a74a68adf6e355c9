package io.ocireg.core;

import io.ocireg.spec.Catalog;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Reference;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.spec.TagList;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobNotFoundException;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.DigestMismatchException;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import io.ocireg.storage.UploadNotFoundException;
import io.ocireg.storage.UploadOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry engine: every rule of the OCI distribution spec, once, over a {@link Storage}. The
 * servlet, the UI and the test extension all call it; it knows nothing of HTTP beyond the status
 * carried by {@link RegistryException}. It is safe to share between threads. It keeps the count of
 * open upload sessions behind {@link RegistryOptions#maxOpenUploads()} in memory: engines that
 * share a storage each count their own sessions between purges (see {@link #purgeStaleUploads}).
 *
 * <p>Upload sessions follow one rule set. {@link #appendChunk} never ends a session: a chunk that
 * is refused (out of order, wrong length, unreadable body) leaves it at its previous size. {@link
 * #completeUpload} ends the session whatever the outcome, except when the session can still be
 * resumed: an out-of-order or malformed final chunk (416), one over the blob size limit (413), a
 * final chunk whose body could not be read (the client went away), or a storage failure while
 * appending it. {@link #uploadWhole} always ends the session it opens.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  /**
   * Upload ids are made by the storage; anything else in a URL is refused before it reaches the
   * storage (no separators, no leading dot, bounded length).
   */
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_=-][A-Za-z0-9_.=-]{0,255}");

  /** Smallest read of referrer entries when filtering by artifact type. */
  private static final int FILTERED_BATCH = 256;

  /** Page size of the session listings a purge walks. */
  private static final int PURGE_BATCH = 1000;

  /**
   * Manifest, tag and referrer writes of one repository are serialized, so that a delete by digest
   * cannot interleave with a push of the same manifest and leave a tag pointing at nothing. Striped
   * by repository name: bounded memory, rare false sharing.
   */
  private final ReentrantLock[] repositoryLocks = new ReentrantLock[64];

  private final List<Consumer<RepositoryName>> changeListeners = new CopyOnWriteArrayList<>();

  /** Coordinates garbage collection with the write paths (see {@link GarbageCollector}). */
  final GcGuard gcGuard;

  private final Storage storage;
  private final MetadataStore meta;
  private final RegistryOptions options;
  private final Clock clock;
  private final OpenUploads sessionCount;

  private Registry(Storage storage, RegistryOptions options, Clock clock) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.meta = storage.metadata();
    this.gcGuard = new GcGuard(storage.collectionLock());
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sessionCount = new OpenUploads(options.maxOpenUploads());
    for (int i = 0; i < repositoryLocks.length; i++) {
      repositoryLocks[i] = new ReentrantLock();
    }
  }

  private ReentrantLock lockOf(RepositoryName repository) {
    return repositoryLocks[Math.floorMod(repository.hashCode(), repositoryLocks.length)];
  }

  /**
   * The access filter of a caller who may read every repository (no access control): the only one
   * with which a mount without {@code from} may look in the whole registry.
   */
  public static final Predicate<RepositoryName> EVERY_REPOSITORY = r -> true;

  /** An engine over {@code storage} with {@link RegistryOptions#defaults()}. */
  public static Registry create(Storage storage) {
    return new Registry(storage, RegistryOptions.defaults(), Clock.systemUTC());
  }

  /** An engine over {@code storage} with {@code options}. */
  public static Registry create(Storage storage, RegistryOptions options) {
    return new Registry(storage, options, Clock.systemUTC());
  }

  /** An engine whose push times come from {@code clock} (for tests). */
  public static Registry create(Storage storage, RegistryOptions options, Clock clock) {
    return new Registry(storage, options, clock);
  }

  /**
   * Registers {@code listener} to hear of every repository whose manifests or tags this engine
   * changes: a manifest stored (with its tag), a manifest or tag deleted, or one swept by a
   * collection, just after the change, so that a view that remembers something about a repository
   * (such as the web UI's tag count and size) can forget it at once. A listener runs on the thread
   * that made the change, possibly under the repository's write lock: it must be quick, must not
   * throw and must not call back into the engine. Changes by other processes on the same storage
   * are not reported.
   *
   * @return an action that unregisters the listener
   */
  public Runnable onRepositoryChanged(Consumer<RepositoryName> listener) {
    Objects.requireNonNull(listener, "listener");
    changeListeners.add(listener);
    return () -> changeListeners.remove(listener);
  }

  /** Tells the {@link #onRepositoryChanged} listeners that {@code repository} changed. */
  void repositoryChanged(RepositoryName repository) {
    for (Consumer<RepositoryName> listener : changeListeners) {
      try {
        listener.accept(repository);
      } catch (RuntimeException e) {
        // The change is made: a failing view must not turn it into an error.
        LOG.warn("a change listener failed for {}: {}", repository, e.toString());
      }
    }
  }

  /** The switches and limits this engine applies. */
  public RegistryOptions options() {
    return options;
  }

  /** The storage under this engine. */
  public Storage storage() {
    return storage;
  }

  /** The clock of push times and of garbage collection's grace period. */
  Clock clock() {
    return clock;
  }

  /**
   * Records that a write path reuses {@code digest} in {@code repository}: pins it for a collection
   * in progress, moves the blob's time forward and renews the link (for a collector in another
   * process). Called in a shared section of {@link #gcGuard}. Returns whether the blob is stored.
   */
  private boolean reuseBlob(RepositoryName repository, Digest digest, Instant now) {
    gcGuard.pin(GcGuard.blobKey(digest));
    gcGuard.pin(GcGuard.linkKey(repository, digest));
    if (!storage.blobs().touch(digest, now)) {
      return false;
    }
    meta.linkBlob(repository, digest, now);
    return true;
  }

  // ---- blobs -----------------------------------------------------------------------------

  /** The blob as held by {@code repository}; {@code BLOB_UNKNOWN} when it is not there. */
  public BlobInfo blobInfo(RepositoryName repository, Digest digest) {
    if (!meta.isBlobLinked(repository, digest)) {
      throw blobUnknown(digest);
    }
    return storage.blobs().stat(digest).orElseThrow(() -> blobUnknown(digest));
  }

  /**
   * Opens a blob of {@code repository}, whole or the asked range; a range that selects nothing is a
   * 416 error.
   */
  public BlobContent openBlob(RepositoryName repository, Digest digest, Optional<ByteRange> range) {
    BlobInfo info = blobInfo(repository, digest);
    Optional<long[]> served = range.map(r -> r.resolve(info.size()));
    long offset = served.map(r -> r[0]).orElse(0L);
    long length = served.map(r -> r[1] - r[0] + 1).orElse(-1L);
    try {
      InputStream in = storage.blobs().open(digest, offset, length);
      if (served.isEmpty()) {
        // A whole read is checked against its digest before its last bytes are handed out.
        in = new VerifyingInputStream(in, info);
      }
      return new BlobContent(info, served, in);
    } catch (BlobNotFoundException e) {
      throw blobUnknown(digest);
    }
  }

  /**
   * Removes a blob from {@code repository} ({@code BLOB_UNKNOWN} when it is not there). The bytes
   * stay in storage, still linked by other repositories, until garbage collection finds no
   * repository linking them. Manifests of the repository that reference the blob are left as they
   * are: the spec makes such images unresolvable, not undeletable.
   */
  public void deleteBlob(RepositoryName repository, Digest digest) {
    requireDeletesEnabled();
    if (!meta.unlinkBlob(repository, digest)) {
      throw blobUnknown(digest);
    }
  }

  // ---- uploads ---------------------------------------------------------------------------

  /**
   * Opens an upload session in {@code repository} ({@code POST /blobs/uploads/}); 429 {@code
   * TOOMANYREQUESTS} when {@link RegistryOptions#maxOpenUploads()} sessions are open.
   */
  public UploadStatus startUpload(RepositoryName repository) {
    BlobUpload upload = openUpload(repository);
    return new UploadStatus(repository, upload.id(), 0);
  }

  /**
   * Answers {@code POST /blobs/uploads/} from its raw query parameters (each empty when absent):
   *
   * <ul>
   *   <li>With {@code mount}, a blob mount as {@link #mount} does. {@code mount} must be a digest
   *       ({@code DIGEST_INVALID}); an empty {@code from} is no {@code from}; a {@code from} that
   *       is not a valid name is only a failed hint, never an error nor a wider mount, so it opens
   *       an ordinary session; so does a mount that finds nothing, as the spec asks. {@code mount}
   *       takes precedence over {@code digest}, which is then ignored with the body: the spec
   *       defines the failed mount's answer as a session (202), and a client sending both means a
   *       mount first.
   *   <li>Otherwise with {@code digest}, the whole blob in this request, as {@link #uploadWhole}
   *       stores it; {@code digest} must be valid ({@code DIGEST_INVALID}). With {@link
   *       RegistryOptions#singlePostUpload()} off, an ordinary session instead, as from a registry
   *       that does not know the parameter (neither it nor the body is read), which the spec
   *       allows.
   *   <li>Otherwise an ordinary session, as {@link #startUpload} opens it.
   * </ul>
   *
   * @see <a
   *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#mounting-a-blob-from-another-repository">
   *     distribution-spec: mounting a blob from another repository</a>
   */
  public UploadStart startOrMount(
      RepositoryName repository,
      Optional<String> mount,
      Optional<String> from,
      Optional<String> digest,
      InputStream body,
      long contentLength) {
    return startOrMount(repository, mount, from, digest, body, contentLength, EVERY_REPOSITORY);
  }

  /**
   * {@link #startOrMount(RepositoryName, Optional, Optional, Optional, InputStream, long)} for a
   * caller that may pull only from the repositories {@code mayPull} accepts: a mount from any other
   * repository is an ordinary upload session (202), so that no blob leaks from a repository the
   * caller cannot read, and neither does its existence. A mount without {@code from} looks in the
   * whole registry, so unless {@code mayPull} is {@link #EVERY_REPOSITORY} it is a session too.
   */
  public UploadStart startOrMount(
      RepositoryName repository,
      Optional<String> mount,
      Optional<String> from,
      Optional<String> digest,
      InputStream body,
      long contentLength,
      Predicate<RepositoryName> mayPull) {
    if (mount.isPresent()) {
      Digest blob = parseDigest(mount.get());
      Optional<String> source = from.filter(s -> !s.isEmpty());
      boolean allowed =
          source.isEmpty()
              ? mayPull == EVERY_REPOSITORY
              : RepositoryName.isValid(source.get())
                  && mayPull.test(RepositoryName.parse(source.get()));
      if (allowed) {
        Optional<BlobInfo> mounted = mount(repository, blob, source.map(RepositoryName::parse));
        if (mounted.isPresent()) {
          return new UploadStart.Mounted(mounted.get());
        }
      }
    } else if (digest.isPresent() && options.singlePostUpload()) {
      Digest blob = parseDigest(digest.get());
      return new UploadStart.Stored(uploadWhole(repository, blob, body, contentLength));
    }
    return new UploadStart.Started(startUpload(repository));
  }

  /**
   * Mounts a blob into {@code repository}: from {@code from} when that repository holds it, or,
   * without {@code from} and when {@link RegistryOptions#mountWithoutFrom()} is on, from anywhere
   * in the registry. A {@code from} that does not hold the blob is not widened to the whole
   * registry. Empty when there is nothing to mount; the caller then opens an ordinary upload (202),
   * as the spec asks.
   */
  public Optional<BlobInfo> mount(
      RepositoryName repository, Digest digest, Optional<RepositoryName> from) {
    if (from.isPresent()) {
      if (!meta.isBlobLinked(from.get(), digest)) {
        return Optional.empty();
      }
    } else if (!options.mountWithoutFrom()) {
      return Optional.empty();
    }
    return gcGuard.shared(
        () -> {
          Optional<BlobInfo> info = storage.blobs().stat(digest);
          if (info.isPresent() && !reuseBlob(repository, digest, clock.instant())) {
            return Optional.<BlobInfo>empty(); // collected between the two calls
          }
          return info;
        });
  }

  /**
   * Stores a whole blob sent in one request ({@code POST /blobs/uploads/?digest=}). {@code
   * contentLength} is the declared length, or -1 when unknown; a body of another length is {@code
   * SIZE_INVALID}, content that does not hash to {@code digest} is {@code DIGEST_INVALID}. The
   * session this opens internally always ends, and nothing is stored unless the call succeeds. (A
   * {@code PUT} on a session opened by {@code POST} goes through {@link #completeUpload}.)
   */
  public BlobInfo uploadWhole(
      RepositoryName repository, Digest digest, InputStream body, long contentLength) {
    requireSupported(digest);
    BlobUpload upload = openUpload(repository);
    try {
      append(upload, 0, body, contentLength);
      return commit(repository, upload, digest);
    } finally {
      end(upload);
    }
  }

  /**
   * Appends a chunk ({@code PATCH}). With a {@code Content-Range} the chunk must start where the
   * session ends (else 416 {@code BLOB_UPLOAD_INVALID}) and be exactly as long as the range says;
   * without one it is a streamed chunk of {@code contentLength} bytes, or of any length when that
   * is -1. A {@code Content-Length} that disagrees with the range, or a body of another length than
   * declared, is {@code SIZE_INVALID}. A refused chunk, or one whose body cannot be read to its end
   * (the client went away), leaves the session at its previous size; the session stays open either
   * way.
   */
  public UploadStatus appendChunk(
      RepositoryName repository,
      String uploadId,
      Optional<ContentRange> range,
      InputStream body,
      long contentLength) {
    BlobUpload upload = findUpload(repository, uploadId);
    long size = appendBody(upload, range, body, contentLength);
    return new UploadStatus(repository, upload.id(), size);
  }

  /**
   * Completes a session ({@code PUT ?digest=}), with an optional final chunk (a {@code null} or
   * empty body, or {@code contentLength} 0 without a range, means none): verifies the digest over
   * everything received, publishes the blob and links it into the repository. The final chunk
   * follows the rules of {@link #appendChunk}.
   *
   * <p>The session ends on success and on every failure except those it can recover from: a 416
   * (the final chunk is out of order), a 413 (the final chunk would pass {@link
   * RegistryOptions#maxBlobBytes()}), a final chunk that could not be read, and a storage failure
   * while appending it. A wrong digest ends it with nothing stored.
   */
  public BlobInfo completeUpload(
      RepositoryName repository,
      String uploadId,
      Digest digest,
      Optional<ContentRange> range,
      InputStream finalChunk,
      long contentLength) {
    BlobUpload upload = findUpload(repository, uploadId);
    if (!digest.isSupported()) {
      end(upload);
      throw unsupportedDigest(digest);
    }
    boolean hasChunk = finalChunk != null && (range.isPresent() || contentLength != 0);
    if (hasChunk) {
      try {
        appendBody(upload, range, finalChunk, contentLength);
      } catch (RegistryException e) {
        if (!resumable(e)) {
          end(upload);
        }
        throw e;
      }
    }
    try {
      return commit(repository, upload, digest);
    } finally {
      end(upload);
    }
  }

  /**
   * {@link #completeUpload(RepositoryName, String, Digest, Optional, InputStream, long)} with the
   * raw {@code digest} query parameter: a {@code PUT} without one, or with an empty or malformed
   * one, is {@code DIGEST_INVALID}, and the session is left as it was.
   */
  public BlobInfo completeUpload(
      RepositoryName repository,
      String uploadId,
      Optional<String> digest,
      Optional<ContentRange> range,
      InputStream finalChunk,
      long contentLength) {
    String raw =
        digest
            .filter(s -> !s.isEmpty())
            .orElseThrow(
                () ->
                    new RegistryException(
                        ErrorCode.DIGEST_INVALID,
                        "digest query parameter is required to close an upload"));
    return completeUpload(repository, uploadId, parseDigest(raw), range, finalChunk, contentLength);
  }

  /** Where a session stands ({@code GET} on its location). */
  public UploadStatus uploadStatus(RepositoryName repository, String uploadId) {
    BlobUpload upload = findUpload(repository, uploadId);
    return new UploadStatus(repository, upload.id(), upload.size());
  }

  /** Abandons a session ({@code DELETE} on its location). */
  public void cancelUpload(RepositoryName repository, String uploadId) {
    end(findUpload(repository, uploadId));
  }

  /**
   * Cancels every upload session last written more than {@code olderThan} ago (as {@link
   * io.ocireg.storage.UploadStore#listStale} reports), and returns how many it removed. Meant to
   * run on a schedule; a session a client writes to again at the very moment it is listed may still
   * be cancelled, after {@code olderThan} of silence.
   *
   * <p>It then recounts the open sessions behind {@link RegistryOptions#maxOpenUploads()} from the
   * storage's listing: between purges the engine counts only the sessions it opened and has not
   * seen end, so sessions left by an earlier process, or ended behind its back, are counted right
   * only from the next purge on. That keeps the storage out of every {@code POST}, at the cost of a
   * count that may be off between purges (and, when the storage holds more sessions than the limit,
   * of counting only up to the limit).
   */
  public int purgeStaleUploads(Duration olderThan) {
    Objects.requireNonNull(olderThan, "olderThan");
    Instant cutoff = clock.instant().minus(olderThan);
    int removed = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      Page<String> page = storage.uploads().listStale(cutoff, after, PURGE_BATCH);
      for (String id : page.items()) {
        Optional<BlobUpload> upload = storage.uploads().find(id);
        if (upload.isPresent()) {
          upload.get().cancel();
          removed++;
        }
        sessionCount.ended(id);
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        break;
      }
      after = Optional.of(page.items().get(page.items().size() - 1));
    }
    recountUploads();
    if (removed > 0) {
      LOG.info("purged {} upload sessions idle for more than {}", removed, olderThan);
    }
    return removed;
  }

  /** Upload sessions counted against {@link RegistryOptions#maxOpenUploads()} right now. */
  public int openUploads() {
    return sessionCount.count();
  }

  /** Brings the open-session count in line with the storage's listing of every open session. */
  private void recountUploads() {
    NavigableSet<String> before = sessionCount.snapshot();
    // Every open session was written before tomorrow (a day covers clock skew between hosts).
    Instant everything = clock.instant().plus(Duration.ofDays(1));
    Optional<String> after = Optional.empty();
    while (true) {
      Page<String> page = storage.uploads().listStale(everything, after, PURGE_BATCH);
      boolean last = !page.hasMore() || page.items().isEmpty();
      sessionCount.reconcile(before, after.orElse(null), page.items(), last);
      if (last) {
        return;
      }
      after = Optional.of(page.items().get(page.items().size() - 1));
    }
  }

  /** Opens a session counted against {@link RegistryOptions#maxOpenUploads()}. */
  private BlobUpload openUpload(RepositoryName repository) {
    sessionCount.reserve();
    BlobUpload upload;
    try {
      upload = storage.uploads().create(repository);
    } catch (RuntimeException | Error e) {
      sessionCount.release();
      throw e;
    }
    sessionCount.opened(upload.id());
    return upload;
  }

  /** Ends a session (safe twice and after commit) and stops counting it. */
  private void end(BlobUpload upload) {
    try {
      upload.cancel();
    } finally {
      sessionCount.ended(upload.id());
    }
  }

  private BlobUpload findUpload(RepositoryName repository, String uploadId) {
    Optional<BlobUpload> upload =
        uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()
            ? Optional.empty()
            : storage.uploads().find(uploadId);
    if (upload.isEmpty() && uploadId != null) {
      // Ended behind the engine's back (another engine, a purge elsewhere): stop counting it.
      sessionCount.ended(uploadId);
    }
    // A session may only be continued in the repository that opened it.
    if (upload.isEmpty() || !upload.get().repository().equals(repository)) {
      throw uploadUnknown(uploadId);
    }
    return upload.get();
  }

  /**
   * Appends a chunk as {@link #appendChunk} describes; returns the session's new size. A chunk that
   * would take the session past {@link RegistryOptions#maxBlobBytes()} is refused (413 {@code
   * SIZE_INVALID}): before its body is read when its length is known, else as soon as the excess
   * arrives, in both cases leaving the session at its previous size.
   */
  private long appendBody(
      BlobUpload upload, Optional<ContentRange> range, InputStream body, long contentLength) {
    long offset = upload.size();
    if (range.isEmpty()) {
      return append(upload, offset, body, contentLength);
    }
    ContentRange r = range.get();
    if (r.first() != offset) {
      throw outOfOrder(r.first(), offset);
    }
    if (contentLength >= 0 && contentLength != r.length()) {
      throw new RegistryException(
          ErrorCode.SIZE_INVALID,
          "Content-Length does not match Content-Range",
          "Content-Length " + contentLength + ", Content-Range " + r.first() + "-" + r.last());
    }
    return append(upload, offset, body, r.length());
  }

  /**
   * Appends {@code body} at {@code offset}, exactly {@code expectedLength} bytes of it unless that
   * is -1, and never past {@link RegistryOptions#maxBlobBytes()}. Client faults become registry
   * errors; storage faults pass through unchanged.
   */
  private long append(BlobUpload upload, long offset, InputStream body, long expectedLength) {
    long room = Math.max(0, options.maxBlobBytes() - offset);
    if (expectedLength > room) {
      throw blobTooLarge();
    }
    BodyStream in =
        new BodyStream(body == null ? InputStream.nullInputStream() : body, expectedLength, room);
    try {
      return upload.append(offset, in);
    } catch (UploadOffsetException e) {
      throw outOfOrder(offset, e.currentSize());
    } catch (UploadNotFoundException e) {
      throw uploadUnknown(upload.id());
    } catch (RuntimeException e) {
      throw switch (in.failure()) {
        case LONGER_THAN_DECLARED ->
            sizeInvalid("chunk is longer than declared", in.declared() + " bytes declared");
        case SHORTER_THAN_DECLARED ->
            sizeInvalid(
                "chunk is shorter than declared",
                in.declared() + " bytes declared, " + in.count() + " received");
        case OVER_LIMIT -> blobTooLarge();
        case SOURCE_UNREADABLE ->
            new RegistryException(
                    ErrorCode.BLOB_UPLOAD_INVALID,
                    "upload body could not be read",
                    "received " + in.count() + " bytes of the chunk before the body failed")
                .withCause(e);
        case NONE -> e;
      };
    }
  }

  private BlobInfo commit(RepositoryName repository, BlobUpload upload, Digest digest) {
    return gcGuard.shared(() -> commitShared(repository, upload, digest));
  }

  private BlobInfo commitShared(RepositoryName repository, BlobUpload upload, Digest digest) {
    Instant started = clock.instant();
    BlobInfo info;
    try {
      info = upload.commit(digest);
    } catch (DigestMismatchException e) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID,
          "provided digest did not match uploaded content",
          "expected " + e.expected() + ", content is " + e.actual());
    } catch (UploadNotFoundException e) {
      throw uploadUnknown(upload.id());
    }
    gcGuard.pin(GcGuard.blobKey(digest));
    gcGuard.pin(GcGuard.linkKey(repository, digest));
    if (info.storedAt().isBefore(started)) {
      // The digest was stored already: this push reuses an old blob, which must look fresh.
      storage.blobs().touch(digest, clock.instant());
    }
    meta.linkBlob(repository, digest, clock.instant());
    return info;
  }

  /**
   * Whether a failed final chunk leaves a session the client can still resume: out of order (416),
   * unreadable, or over the blob size limit (413, which leaves the session as it was, like a
   * refused {@code PATCH}).
   */
  private static boolean resumable(RegistryException e) {
    return e.status() == 416 || e.status() == 413 || e.code() == ErrorCode.BLOB_UPLOAD_INVALID;
  }

  private RegistryException blobTooLarge() {
    return new RegistryException(
            ErrorCode.SIZE_INVALID,
            "blob too large",
            "limit is " + options.maxBlobBytes() + " bytes")
        .withStatus(413);
  }

  private static RegistryException outOfOrder(long chunkStart, long sessionSize) {
    return new RegistryException(
            ErrorCode.BLOB_UPLOAD_INVALID,
            "chunk out of order",
            "chunk starts at " + chunkStart + ", upload holds " + sessionSize + " bytes")
        .withStatus(416);
  }

  private static RegistryException sizeInvalid(String message, String detail) {
    return new RegistryException(ErrorCode.SIZE_INVALID, message, detail);
  }

  private static RegistryException uploadUnknown(String uploadId) {
    return new RegistryException(
        ErrorCode.BLOB_UPLOAD_UNKNOWN,
        "blob upload unknown to registry",
        "upload " + (uploadId == null ? "" : Abbreviation.of(uploadId)));
  }

  private static void requireSupported(Digest digest) {
    if (!digest.isSupported()) {
      throw unsupportedDigest(digest);
    }
  }

  private static RegistryException unsupportedDigest(Digest digest) {
    return new RegistryException(
        ErrorCode.DIGEST_INVALID,
        "unsupported digest algorithm",
        Abbreviation.of(digest.algorithm()));
  }

  /** A digest from client input; a malformed one is {@code DIGEST_INVALID}. */
  private static Digest parseDigest(String raw) {
    try {
      return Digest.parse(raw);
    } catch (InvalidValueException e) {
      throw e.toRegistryException();
    }
  }

  // ---- manifests -------------------------------------------------------------------------

  /**
   * {@link #putManifest(RepositoryName, Reference, MediaType, InputStream, long)} under the raw
   * reference of the request path: a reference that is neither a valid tag nor a valid digest is
   * 400, {@code DIGEST_INVALID} when it has a colon (a digest was meant), else {@code
   * MANIFEST_INVALID}, so that the client learns it cannot push under that name.
   */
  public PushedManifest putManifest(
      RepositoryName repository,
      String rawReference,
      MediaType contentType,
      InputStream body,
      long contentLength) {
    Reference reference;
    try {
      reference = Reference.parse(rawReference);
    } catch (InvalidValueException e) {
      throw e.toRegistryException();
    }
    return putManifest(repository, reference, contentType, body, contentLength);
  }

  /**
   * Reads a manifest body of at most {@link RegistryOptions#maxManifestBytes()} bytes and pushes it
   * as {@link #putManifest(RepositoryName, Reference, MediaType, byte[])} does. A body over the
   * limit is refused (413) as soon as that is known, without buffering it; {@code contentLength} is
   * the declared length, or -1.
   */
  public PushedManifest putManifest(
      RepositoryName repository,
      Reference reference,
      MediaType contentType,
      InputStream body,
      long contentLength) {
    int max = options.maxManifestBytes();
    if (contentLength > max) {
      throw manifestTooLarge();
    }
    byte[] bytes;
    try {
      bytes = body.readNBytes(max == Integer.MAX_VALUE ? max : max + 1);
    } catch (IOException e) {
      throw new RegistryException(
              ErrorCode.MANIFEST_INVALID, "manifest invalid", "body could not be read")
          .withCause(e);
    }
    if (bytes.length > max) {
      throw manifestTooLarge();
    }
    if (contentLength >= 0 && bytes.length != contentLength) {
      throw new RegistryException(
          ErrorCode.SIZE_INVALID,
          "provided length did not match content length",
          "Content-Length " + contentLength + ", body " + bytes.length + " bytes");
    }
    return putManifest(repository, reference, contentType, bytes);
  }

  /**
   * Validates and stores a manifest under a tag or digest, byte for byte: size limit (413 {@code
   * MANIFEST_INVALID}); a digest reference must be of a supported algorithm and match the body
   * ({@code DIGEST_INVALID}); JSON, schema and media type checks ({@code MANIFEST_INVALID}, also
   * for Docker types when {@link RegistryOptions#acceptDockerMediaTypes()} is off); every config,
   * layer or child manifest present in the repository with the size its descriptor says ({@code
   * MANIFEST_BLOB_UNKNOWN}, {@code MANIFEST_INVALID}); layers with {@code urls} need not be; at
   * most {@link RegistryOptions#maxManifestReferences()} of them ({@code MANIFEST_INVALID}). The
   * {@code subject} need not exist. Then records the tag and the referrer entry of the subject.
   * Pushing the same manifest again changes nothing but its push time.
   *
   * @param contentType the request's {@code Content-Type}, or {@code null} when it had none (the
   *     manifest's {@code mediaType} field then decides)
   */
  public PushedManifest putManifest(
      RepositoryName repository, Reference reference, MediaType contentType, byte[] body) {
    Objects.requireNonNull(body, "body");
    if (body.length > options.maxManifestBytes()) {
      throw manifestTooLarge();
    }
    Digest digest;
    if (reference instanceof Digest d) {
      requireSupported(d);
      digest = Digest.of(d.algorithm(), body);
      if (!digest.equals(d)) {
        throw new RegistryException(
            ErrorCode.DIGEST_INVALID,
            "manifest digest does not match the reference",
            "reference " + d + ", body is " + digest);
      }
    } else {
      digest = Digest.sha256(body);
    }
    Manifest manifest = Manifest.parse(body, contentType);
    if (!options.acceptDockerMediaTypes() && manifest.mediaType().isDocker()) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "Docker media types are not accepted by this registry",
          manifest.mediaType().value());
    }
    // Checked before any lookup: each descriptor costs the storage a read or two.
    if (manifest.references().size() > options.maxManifestReferences()) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "manifest lists too many descriptors",
          manifest.references().size()
              + " descriptors, limit is "
              + options.maxManifestReferences());
    }
    ReentrantLock lock = lockOf(repository);
    lock.lock();
    try {
      return gcGuard.shared(() -> storeManifest(repository, reference, manifest, digest, body));
    } finally {
      lock.unlock();
    }
  }

  private PushedManifest storeManifest(
      RepositoryName repository,
      Reference reference,
      Manifest manifest,
      Digest digest,
      byte[] body) {
    gcGuard.pin(GcGuard.manifestKey(repository, digest));
    Map<Digest, ManifestRecord> children = checkReferences(repository, manifest);
    if (options.immutableTags() && reference instanceof Tag tag) {
      Optional<TagRecord> current = meta.getTag(repository, tag);
      if (current.isPresent() && !current.get().digest().equals(digest)) {
        throw new RegistryException(
            ErrorCode.MANIFEST_INVALID,
            "tag is immutable",
            tag + " already points at " + current.get().digest());
      }
    }

    Instant now = clock.instant();
    long contentSize = contentSize(manifest, children);
    reuseChildren(repository, children.values(), now);
    // Manifest first, then what points at it: a crash in between leaves at worst an untagged
    // manifest, which a repeated push completes.
    meta.putManifest(
        repository, new ManifestRecord(digest, manifest.mediaType(), body, now, contentSize));
    if (reference instanceof Tag tag) {
      meta.putTag(repository, new TagRecord(tag, digest, now));
    }
    // Without the referrers API the subject is stored as pushed but not indexed nor acknowledged
    // (no OCI-Subject): clients then maintain the tag-schema index themselves.
    Optional<Digest> subject =
        manifest.subject().map(Descriptor::digest).filter(s -> options.referrersEnabled());
    if (subject.isPresent()) {
      meta.putReferrer(
          repository, subject.get(), referrerDescriptor(manifest, digest, body.length));
    }
    LOG.debug("stored manifest {}@{} as {}", repository, digest, reference);
    repositoryChanged(repository);
    return new PushedManifest(repository, reference, digest, subject);
  }

  /**
   * An index reuses its stored children and, through them, what they reference: each is pinned for
   * a collection in this process and has its time moved forward for one in another process (a
   * manifest's push time, a blob's stored time and link), as a reused blob does. A collection that
   * marked them dead before this push then keeps them when it re-checks. A child image whose config
   * or layer is gone is refused ({@code MANIFEST_BLOB_UNKNOWN}): the index would not pull whole,
   * and the client pushes the child again.
   */
  private void reuseChildren(
      RepositoryName repository, Collection<ManifestRecord> children, Instant now) {
    Set<Digest> seen = new HashSet<>();
    Deque<ManifestRecord> work = new ArrayDeque<>(children);
    while (!work.isEmpty()) {
      ManifestRecord child = work.pop();
      if (!seen.add(child.digest())) {
        continue;
      }
      Manifest parsed;
      try {
        parsed = Manifest.parse(child.content(), child.mediaType());
      } catch (RegistryException | IllegalArgumentException e) {
        parsed = null; // stored before a stricter parser: a collection keeps all of its repository
      }
      if (parsed instanceof ImageIndex) {
        for (Descriptor d : parsed.references()) {
          gcGuard.pin(GcGuard.manifestKey(repository, d.digest()));
          Optional<ManifestRecord> nested = meta.getManifest(repository, d.digest());
          if (nested.isPresent()) {
            work.push(nested.get());
          } else if (meta.isBlobLinked(repository, d.digest())) {
            reuseBlob(repository, d.digest(), now);
          }
          // Otherwise deleted since: an index may keep listing a child that is gone.
        }
      } else if (parsed != null) {
        for (Descriptor d : parsed.references()) {
          boolean foreign = !d.urls().isEmpty() && !meta.isBlobLinked(repository, d.digest());
          if (!foreign && !reuseBlob(repository, d.digest(), now)) {
            throw manifestBlobUnknown(d);
          }
        }
      }
      if (child.pushedAt().isBefore(now)) {
        meta.putManifest(
            repository,
            new ManifestRecord(
                child.digest(), child.mediaType(), child.content(), now, child.contentSize()));
      }
    }
  }

  /**
   * Checks every descriptor of {@code manifest} against the repository; returns the child manifests
   * of an index that are stored, each read once however often it is listed, for {@link
   * #contentSize}.
   */
  private Map<Digest, ManifestRecord> checkReferences(
      RepositoryName repository, Manifest manifest) {
    boolean index = manifest instanceof ImageIndex;
    Map<Digest, Optional<ManifestRecord>> read = new HashMap<>();
    Map<Digest, ManifestRecord> children = new HashMap<>();
    for (Descriptor d : manifest.references()) {
      if (index) {
        gcGuard.pin(GcGuard.manifestKey(repository, d.digest()));
        Optional<ManifestRecord> child =
            read.computeIfAbsent(d.digest(), digest -> meta.getManifest(repository, digest));
        if (child.isPresent()) {
          children.put(d.digest(), child.get());
          requireSize(d, child.get().content().length);
          continue;
        }
        // An index may also point at plain blobs (artifacts); those must be linked.
      } else if (!d.urls().isEmpty() && !meta.isBlobLinked(repository, d.digest())) {
        // Foreign / non-distributable layers live at their urls, not in this registry.
        continue;
      }
      if (!meta.isBlobLinked(repository, d.digest())) {
        throw manifestBlobUnknown(d);
      }
      BlobInfo info = storage.blobs().stat(d.digest()).orElseThrow(() -> manifestBlobUnknown(d));
      requireSize(d, info.size());
      // The manifest will reference it: keep a collection from taking it (see GarbageCollector).
      if (!reuseBlob(repository, d.digest(), clock.instant())) {
        throw manifestBlobUnknown(d);
      }
    }
    return children;
  }

  private static void requireSize(Descriptor d, long actual) {
    if (actual != d.size()) {
      throw new RegistryException(
          ErrorCode.MANIFEST_INVALID,
          "descriptor size does not match the stored content",
          Abbreviation.of(d.digest().toString())
              + ": descriptor says "
              + d.size()
              + ", content has "
              + actual);
    }
  }

  /** Bytes a manifest pulls in: its descriptors, and for an index its stored children's too. */
  private static long contentSize(Manifest manifest, Map<Digest, ManifestRecord> children) {
    if (manifest instanceof ImageManifest m) {
      return m.contentSize();
    }
    long total = 0;
    for (Descriptor child : manifest.references()) {
      total += child.size();
      ManifestRecord rec = children.get(child.digest());
      if (rec != null) {
        total += rec.contentSize();
      }
    }
    return total;
  }

  /**
   * The descriptor a referrers listing shows for a manifest: its media type, digest and size, its
   * {@code artifactType} (for an image manifest without one, its config media type), and its
   * annotations.
   */
  private static Descriptor referrerDescriptor(Manifest manifest, Digest digest, long size) {
    return Descriptor.of(manifest.mediaType(), digest, size)
        .withArtifactType(manifest.effectiveArtifactType())
        .withAnnotations(manifest.annotations());
  }

  /**
   * The stored manifest the raw reference of a request path names. A reference that is neither a
   * valid tag nor a valid digest names nothing that could exist, so it is {@code MANIFEST_UNKNOWN}
   * (404) like any missing manifest, which is what the OCI conformance suite expects.
   */
  public ManifestRecord getManifest(RepositoryName repository, String rawReference) {
    return getManifest(repository, existingReference(rawReference));
  }

  /** The stored manifest a tag or digest names; {@code MANIFEST_UNKNOWN} when there is none. */
  public ManifestRecord getManifest(RepositoryName repository, Reference reference) {
    Digest digest = resolve(repository, reference);
    ManifestRecord record =
        meta.getManifest(repository, digest).orElseThrow(() -> manifestUnknown(reference));
    // Never serve bytes as a digest they no longer hash to (a scrub reports such records).
    if (!Digest.of(digest.algorithm(), record.content()).equals(digest)) {
      LOG.error("stored manifest {}@{} does not match its digest", repository, digest);
      throw new io.ocireg.storage.StorageException(
          "stored manifest " + repository + "@" + digest + " does not match its digest");
    }
    return record;
  }

  /**
   * {@link #deleteManifest(RepositoryName, Reference)} by the raw reference of a request path; one
   * that is neither a valid tag nor a valid digest is {@code MANIFEST_UNKNOWN}, as for {@link
   * #getManifest(RepositoryName, String)}.
   */
  public void deleteManifest(RepositoryName repository, String rawReference) {
    deleteManifest(repository, existingReference(rawReference));
  }

  /**
   * Deletes by tag (only the tag goes) or by digest (the manifest, every tag pointing at it, and
   * its entry in its subject's referrers); {@code MANIFEST_UNKNOWN} when there is nothing to
   * delete.
   *
   * <p>A manifest that an index of the repository still lists may be deleted: the spec gives no
   * error for it, CNCF Distribution allows it, and refusing would need a scan of every index. The
   * index then stays, with a child that pulls as {@code MANIFEST_UNKNOWN}. Manifests whose {@code
   * subject} is the deleted one keep their referrer entries, as referrers of a missing subject are
   * allowed.
   */
  public void deleteManifest(RepositoryName repository, Reference reference) {
    requireDeletesEnabled();
    ReentrantLock lock = lockOf(repository);
    lock.lock();
    try {
      deleteLocked(repository, reference);
      repositoryChanged(repository);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Deletes the manifest {@code digest} with every tag pointing at it, as {@link
   * #deleteManifest(RepositoryName, Reference)} does, but only if {@code expected} accepts the tags
   * pointing at it at that moment: the check and the delete happen under the repository's write
   * lock, so no tag moved onto the manifest meanwhile is deleted unseen.
   *
   * @return the tags deleted with the manifest; empty (and nothing deleted) when {@code expected}
   *     refused them
   */
  public Optional<List<TagRecord>> deleteManifestIf(
      RepositoryName repository, Digest digest, Predicate<List<TagRecord>> expected) {
    requireDeletesEnabled();
    Objects.requireNonNull(expected, "expected");
    ReentrantLock lock = lockOf(repository);
    lock.lock();
    try {
      if (meta.getManifest(repository, digest).isEmpty()) {
        throw manifestUnknown(digest);
      }
      List<TagRecord> tags = tagsPointingAt(repository, digest);
      if (!expected.test(tags)) {
        return Optional.empty();
      }
      deleteLocked(repository, digest);
      repositoryChanged(repository);
      return Optional.of(tags);
    } finally {
      lock.unlock();
    }
  }

  private void deleteLocked(RepositoryName repository, Reference reference) {
    if (reference instanceof Tag tag) {
      if (!meta.deleteTag(repository, tag)) {
        throw manifestUnknown(reference);
      }
      return;
    }
    Digest digest = (Digest) reference;
    ManifestRecord record =
        meta.getManifest(repository, digest).orElseThrow(() -> manifestUnknown(reference));
    for (TagRecord t : tagsPointingAt(repository, digest)) {
      meta.deleteTag(repository, t.tag());
    }
    try {
      Manifest.parse(record.content(), record.mediaType())
          .subject()
          .ifPresent(s -> meta.deleteReferrer(repository, s.digest(), digest));
    } catch (RegistryException e) {
      LOG.warn("stored manifest {}@{} no longer parses: {}", repository, digest, e.getMessage());
    }
    meta.deleteManifest(repository, digest);
  }

  /** Every tag of {@code repository} that points at {@code digest}. */
  public List<TagRecord> tagsPointingAt(RepositoryName repository, Digest digest) {
    List<TagRecord> out = new ArrayList<>();
    Optional<Tag> after = Optional.empty();
    while (true) {
      Page<TagRecord> page = meta.listTags(repository, after, 1000);
      for (TagRecord t : page.items()) {
        if (t.digest().equals(digest)) {
          out.add(t);
        }
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        return out;
      }
      after = Optional.of(page.items().get(page.items().size() - 1).tag());
    }
  }

  /** A reference that may name a stored manifest; an invalid one is {@code MANIFEST_UNKNOWN}. */
  private static Reference existingReference(String rawReference) {
    try {
      return Reference.parse(rawReference);
    } catch (InvalidValueException e) {
      throw new RegistryException(
          ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry", e.getMessage());
    }
  }

  private Digest resolve(RepositoryName repository, Reference reference) {
    if (reference instanceof Digest d) {
      return d;
    }
    return meta.getTag(repository, (Tag) reference)
        .map(TagRecord::digest)
        .orElseThrow(() -> manifestUnknown(reference));
  }

  // ---- listings --------------------------------------------------------------------------

  /**
   * {@link #listTags(RepositoryName, Optional, Optional)} after the raw {@code last} of a request:
   * an opaque lexical cursor, as the spec uses it. Any string is one, a valid tag or not; the page
   * holds the tags that sort after it, and an empty cursor lists from the start.
   */
  public TagPage listTags(RepositoryName repository, Optional<Integer> n, String cursor) {
    return listTags(
        repository, n, cursor.isEmpty() ? Optional.empty() : ListingCursor.tagAfter(cursor));
  }

  /**
   * Tags of a repository in lexical order, after {@code last} (exclusive) when given: at most
   * {@code n} (clamped to {@link RegistryOptions#maxPageSize()}), or at most that maximum without
   * {@code n}. {@code n = 0} is an empty page without more. {@code NAME_UNKNOWN} for a repository
   * that does not exist; a negative {@code n} is a 400.
   */
  public TagPage listTags(RepositoryName repository, Optional<Integer> n, Optional<Tag> last) {
    int limit = n.map(this::clamp).orElse(options.maxPageSize());
    if (!meta.repositoryExists(repository)) {
      throw new RegistryException(
          ErrorCode.NAME_UNKNOWN, "repository name not known to registry", repository.value());
    }
    if (limit == 0) {
      return new TagPage(new TagList(repository, List.of()), false);
    }
    Page<TagRecord> page = meta.listTags(repository, last, limit);
    List<Tag> tags = page.items().stream().map(TagRecord::tag).toList();
    return new TagPage(new TagList(repository, tags), page.hasMore());
  }

  /**
   * {@link #catalog(Optional, Optional)} after the raw {@code last} of a request, an opaque lexical
   * cursor as for {@link #listTags(RepositoryName, Optional, String)}: any string, a valid name or
   * not; an empty one lists from the start.
   */
  public CatalogPage catalog(Optional<Integer> n, String cursor) {
    return catalog(n, cursor.isEmpty() ? Optional.empty() : ListingCursor.repositoryAfter(cursor));
  }

  /**
   * Repositories in lexical order after {@code last} (exclusive): at most {@code n} (clamped to
   * {@link RegistryOptions#maxPageSize()}), or {@link RegistryOptions#defaultPageSize()} (clamped
   * too) without {@code n}. {@code n = 0} is an empty page without more.
   */
  public CatalogPage catalog(Optional<Integer> n, Optional<RepositoryName> last) {
    return catalog(n, last, EVERY_REPOSITORY);
  }

  /**
   * {@link #catalog(Optional, String)} of only the repositories {@code visible} accepts (those the
   * caller may pull).
   */
  public CatalogPage catalog(
      Optional<Integer> n, String cursor, Predicate<RepositoryName> visible) {
    return catalog(
        n, cursor.isEmpty() ? Optional.empty() : ListingCursor.repositoryAfter(cursor), visible);
  }

  /**
   * {@link #catalog(Optional, Optional)} of only the repositories {@code visible} accepts. Pages
   * stay full: hidden repositories are skipped while reading on, and {@code hasMore} is true only
   * when a visible repository follows the page.
   */
  public CatalogPage catalog(
      Optional<Integer> n, Optional<RepositoryName> last, Predicate<RepositoryName> visible) {
    int limit =
        n.map(this::clamp).orElse(Math.min(options.defaultPageSize(), options.maxPageSize()));
    if (limit == 0) {
      return new CatalogPage(new Catalog(List.of()), false);
    }
    if (visible == EVERY_REPOSITORY) {
      Page<RepositoryName> page = meta.listRepositories(last, limit);
      return new CatalogPage(new Catalog(page.items()), page.hasMore());
    }
    List<RepositoryName> shown = new ArrayList<>();
    Optional<RepositoryName> cursor = last;
    int batch = Math.max(limit, Math.min(100, options.maxPageSize()));
    while (true) {
      Page<RepositoryName> page = meta.listRepositories(cursor, batch);
      for (RepositoryName r : page.items()) {
        if (!visible.test(r)) {
          continue;
        }
        if (shown.size() == limit) {
          return new CatalogPage(new Catalog(shown), true);
        }
        shown.add(r);
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        return new CatalogPage(new Catalog(shown), false);
      }
      cursor = Optional.of(page.items().get(page.items().size() - 1));
    }
  }

  /**
   * The referrers of {@code subject} in {@code repository} as an image index, ordered by referrer
   * digest, optionally only those whose {@code artifactType} is {@code artifactType}. An unknown
   * subject or repository has none (never a 404). At most {@code n} (clamped to {@link
   * RegistryOptions#maxPageSize()}, which is also the page size without {@code n}) descriptors
   * after referrer digest {@code last} (exclusive); {@code hasMore} says whether further matching
   * referrers follow.
   *
   * @see <a
   *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers">
   *     distribution-spec: listing referrers</a>
   */
  public ReferrersPage referrers(
      RepositoryName repository,
      Digest subject,
      Optional<MediaType> artifactType,
      Optional<Integer> n,
      Optional<Digest> last) {
    if (!options.referrersEnabled()) {
      // What a registry without the API answers; clients take it as "use the tag schema".
      throw new RegistryException(ErrorCode.UNSUPPORTED, "referrers API is disabled")
          .withStatus(404);
    }
    int limit = n.map(this::clamp).orElse(options.maxPageSize());
    List<Descriptor> out = new ArrayList<>();
    if (limit == 0) {
      return new ReferrersPage(ImageIndex.of(out), artifactType.isPresent(), false);
    }
    // One matching referrer beyond the page decides hasMore; without a filter, one read does it.
    // With a filter, larger reads save round trips past referrers of other types.
    int batch = (int) Math.min((long) limit + 1, Integer.MAX_VALUE);
    if (artifactType.isPresent()) {
      batch = Math.max(batch, FILTERED_BATCH);
    }
    Optional<Digest> after = last;
    while (true) {
      Page<Descriptor> page = meta.listReferrers(repository, subject, after, batch);
      for (Descriptor d : page.items()) {
        if (artifactType.isEmpty() || artifactType.get().is(d.artifactType().orElse(null))) {
          if (out.size() == limit) {
            return new ReferrersPage(ImageIndex.of(out), artifactType.isPresent(), true);
          }
          out.add(d);
        }
      }
      if (!page.hasMore() || page.items().isEmpty()) {
        return new ReferrersPage(ImageIndex.of(out), artifactType.isPresent(), false);
      }
      after = Optional.of(page.items().get(page.items().size() - 1).digest());
    }
  }

  private int clamp(int n) {
    if (n < 0) {
      throw new RegistryException(
              ErrorCode.UNSUPPORTED, "n must be a non-negative integer", String.valueOf(n))
          .withStatus(400);
    }
    return Math.min(n, options.maxPageSize());
  }

  // ---- errors ----------------------------------------------------------------------------

  private void requireDeletesEnabled() {
    if (!options.deletesEnabled()) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "deletes are disabled");
    }
  }

  private RegistryException manifestTooLarge() {
    return new RegistryException(
            ErrorCode.MANIFEST_INVALID,
            "manifest too large",
            "limit is " + options.maxManifestBytes() + " bytes")
        .withStatus(413);
  }

  private static RegistryException blobUnknown(Digest digest) {
    return new RegistryException(
        ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", Abbreviation.of(digest.toString()));
  }

  private static RegistryException manifestUnknown(Reference reference) {
    return new RegistryException(
        ErrorCode.MANIFEST_UNKNOWN,
        "manifest unknown to registry",
        Abbreviation.of(reference.toString()));
  }

  private static RegistryException manifestBlobUnknown(Descriptor d) {
    return new RegistryException(
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        "manifest references a blob unknown to this repository",
        Abbreviation.of(d.digest().toString()));
  }
}
