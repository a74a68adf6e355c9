package io.ocireg.core;

import io.ocireg.spec.Catalog;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.ImageManifest;
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
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry engine: every rule of the OCI distribution spec, once, over a {@link Storage}. The
 * servlet, the UI and the test extension all call it; it knows nothing of HTTP beyond the status
 * carried by {@link RegistryException}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class Registry {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  private final Storage storage;
  private final MetadataStore meta;
  private final RegistryOptions options;
  private final Clock clock;

  private Registry(Storage storage, RegistryOptions options, Clock clock) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.meta = storage.metadata();
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static Registry create(Storage storage) {
    return new Registry(storage, RegistryOptions.defaults(), Clock.systemUTC());
  }

  public static Registry create(Storage storage, RegistryOptions options) {
    return new Registry(storage, options, Clock.systemUTC());
  }

  public static Registry create(Storage storage, RegistryOptions options, Clock clock) {
    return new Registry(storage, options, clock);
  }

  public RegistryOptions options() {
    return options;
  }

  public Storage storage() {
    return storage;
  }

  // ---- blobs -----------------------------------------------------------------------------

  /** The blob as held by {@code repository}; {@code BLOB_UNKNOWN} when it is not there. */
  public BlobInfo blobInfo(RepositoryName repository, Digest digest) {
    if (!meta.isBlobLinked(repository, digest)) {
      throw blobUnknown(digest);
    }
    return storage.blobs().stat(digest).orElseThrow(() -> blobUnknown(digest));
  }

  /** Opens a blob of {@code repository}, whole or the asked range (416 when unsatisfiable). */
  public BlobContent openBlob(RepositoryName repository, Digest digest, Optional<ByteRange> range) {
    BlobInfo info = blobInfo(repository, digest);
    Optional<long[]> served = range.map(r -> r.resolve(info.size()));
    long offset = served.map(r -> r[0]).orElse(0L);
    long length = served.map(r -> r[1] - r[0] + 1).orElse(-1L);
    try {
      return new BlobContent(info, served, storage.blobs().open(digest, offset, length));
    } catch (BlobNotFoundException e) {
      throw blobUnknown(digest);
    }
  }

  /**
   * Removes a blob from {@code repository}. The bytes stay in storage until garbage collection
   * finds no repository linking them.
   */
  public void deleteBlob(RepositoryName repository, Digest digest) {
    if (!meta.unlinkBlob(repository, digest)) {
      throw blobUnknown(digest);
    }
  }

  // ---- uploads ---------------------------------------------------------------------------

  /** Opens an upload session in {@code repository}. */
  public UploadStatus startUpload(RepositoryName repository) {
    BlobUpload upload = storage.uploads().create(repository);
    return new UploadStatus(repository, upload.id(), 0);
  }

  /**
   * Mounts a blob into {@code repository}: from {@code from} when that repository holds it, or,
   * without {@code from} and when enabled, from anywhere in the registry. Empty when there is
   * nothing to mount; the caller then opens an ordinary upload.
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
    Optional<BlobInfo> info = storage.blobs().stat(digest);
    info.ifPresent(i -> meta.linkBlob(repository, digest));
    return info;
  }

  /**
   * Stores a whole blob sent in one request ({@code POST ?digest=} or a session's {@code PUT} with
   * the only chunk). {@code contentLength} is the declared length, or -1.
   */
  public BlobInfo uploadWhole(
      RepositoryName repository, Digest digest, InputStream body, long contentLength) {
    requireSupported(digest);
    BlobUpload upload = storage.uploads().create(repository);
    try {
      appendChecked(upload, 0, body, contentLength);
      return commit(repository, upload, digest);
    } finally {
      upload.cancel();
    }
  }

  /**
   * Appends a chunk ({@code PATCH}). With a {@code Content-Range} the chunk must start where the
   * session ends (else 416) and be as long as it says; without one it is a streamed chunk.
   */
  public UploadStatus appendChunk(
      RepositoryName repository,
      String uploadId,
      Optional<ContentRange> range,
      InputStream body,
      long contentLength) {
    BlobUpload upload = findUpload(repository, uploadId);
    long offset = upload.size();
    if (range.isPresent()) {
      ContentRange r = range.get();
      if (r.first() != offset) {
        throw outOfOrder(upload, r);
      }
      if (contentLength >= 0 && contentLength != r.length()) {
        throw new RegistryException(
                ErrorCode.SIZE_INVALID,
                "Content-Length does not match Content-Range",
                "Content-Length " + contentLength + ", Content-Range " + r.first() + "-" + r.last())
            .withStatus(416);
      }
      long size = appendChecked(upload, offset, body, r.length());
      return new UploadStatus(repository, uploadId, size);
    }
    long size = appendChecked(upload, offset, body, contentLength);
    return new UploadStatus(repository, uploadId, size);
  }

  /**
   * Completes a session ({@code PUT ?digest=}), with an optional final chunk: verifies the digest
   * over everything received, publishes the blob and links it into the repository.
   */
  public BlobInfo completeUpload(
      RepositoryName repository,
      String uploadId,
      Digest digest,
      Optional<ContentRange> range,
      InputStream finalChunk,
      long contentLength) {
    requireSupported(digest);
    BlobUpload upload = findUpload(repository, uploadId);
    long offset = upload.size();
    if (range.isPresent() && range.get().first() != offset) {
      throw outOfOrder(upload, range.get());
    }
    if (contentLength != 0 && finalChunk != null) {
      appendChecked(
          upload, offset, finalChunk, range.map(ContentRange::length).orElse(contentLength));
    }
    try {
      return commit(repository, upload, digest);
    } finally {
      upload.cancel();
    }
  }

  /** Where a session stands ({@code GET} on its location). */
  public UploadStatus uploadStatus(RepositoryName repository, String uploadId) {
    BlobUpload upload = findUpload(repository, uploadId);
    return new UploadStatus(repository, uploadId, upload.size());
  }

  /** Abandons a session ({@code DELETE} on its location). */
  public void cancelUpload(RepositoryName repository, String uploadId) {
    findUpload(repository, uploadId).cancel();
  }

  private BlobUpload findUpload(RepositoryName repository, String uploadId) {
    Optional<BlobUpload> upload =
        uploadId == null || uploadId.isEmpty()
            ? Optional.empty()
            : storage.uploads().find(uploadId);
    // A session may only be continued in the repository that opened it.
    if (upload.isEmpty() || !upload.get().repository().equals(repository)) {
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", "upload " + uploadId);
    }
    return upload.get();
  }

  private long appendChecked(
      BlobUpload upload, long offset, InputStream body, long expectedLength) {
    InputStream in = expectedLength >= 0 ? new CountingInputStream(body, expectedLength) : body;
    try {
      long size = upload.append(offset, in);
      if (expectedLength >= 0 && size - offset != expectedLength) {
        throw new RegistryException(
            ErrorCode.SIZE_INVALID,
            "chunk length does not match the declared length",
            "declared " + expectedLength + ", received " + (size - offset));
      }
      return size;
    } catch (UploadOffsetException e) {
      throw new RegistryException(
              ErrorCode.BLOB_UPLOAD_INVALID,
              "chunk out of order",
              "upload holds " + e.currentSize() + " bytes")
          .withStatus(416);
    } catch (UploadNotFoundException e) {
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", upload.id());
    } catch (CountingInputStream.LengthExceeded e) {
      throw new RegistryException(
          ErrorCode.SIZE_INVALID,
          "chunk is longer than declared",
          "declared " + expectedLength + " bytes");
    }
  }

  private BlobInfo commit(RepositoryName repository, BlobUpload upload, Digest digest) {
    try {
      BlobInfo info = upload.commit(digest);
      meta.linkBlob(repository, digest);
      return info;
    } catch (DigestMismatchException e) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID,
          "provided digest did not match uploaded content",
          "expected " + e.expected() + ", content is " + e.actual());
    } catch (UploadNotFoundException e) {
      throw new RegistryException(
          ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry", upload.id());
    }
  }

  private static RegistryException outOfOrder(BlobUpload upload, ContentRange r) {
    return new RegistryException(
            ErrorCode.BLOB_UPLOAD_INVALID,
            "chunk out of order",
            "chunk starts at " + r.first() + ", upload holds " + upload.size() + " bytes")
        .withStatus(416);
  }

  private static void requireSupported(Digest digest) {
    if (!digest.isSupported()) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID, "unsupported digest algorithm", digest.algorithm());
    }
  }

  // ---- manifests -------------------------------------------------------------------------

  /**
   * Validates and stores a manifest under a tag or digest: size limit (413), JSON and media type
   * checks, digest in the reference matching the body, every referenced blob or child manifest
   * present in the repository; then records the tag and the referrer entry of its subject.
   */
  public PushedManifest putManifest(
      RepositoryName repository, Reference reference, MediaType contentType, byte[] body) {
    if (body.length > options.maxManifestBytes()) {
      throw new RegistryException(
              ErrorCode.MANIFEST_INVALID,
              "manifest too large",
              "limit is " + options.maxManifestBytes() + " bytes")
          .withStatus(413);
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
    checkReferences(repository, manifest);

    Instant now = clock.instant();
    long contentSize = contentSize(repository, manifest);
    meta.putManifest(
        repository, new ManifestRecord(digest, manifest.mediaType(), body, now, contentSize));
    if (reference instanceof Tag tag) {
      meta.putTag(repository, new TagRecord(tag, digest, now));
    }
    Optional<Digest> subject = manifest.subject().map(Descriptor::digest);
    if (subject.isPresent()) {
      meta.putReferrer(
          repository, subject.get(), referrerDescriptor(manifest, digest, body.length));
    }
    LOG.debug("stored manifest {}@{} as {}", repository, digest, reference);
    return new PushedManifest(repository, reference, digest, subject);
  }

  private void checkReferences(RepositoryName repository, Manifest manifest) {
    for (Descriptor d : manifest.references()) {
      if (manifest instanceof ImageIndex) {
        if (meta.getManifest(repository, d.digest()).isPresent()) {
          continue;
        }
        // An index may also point at plain blobs (artifacts); those must be linked.
        if (meta.isBlobLinked(repository, d.digest())) {
          continue;
        }
        throw manifestBlobUnknown(d);
      }
      if (!d.urls().isEmpty() && !meta.isBlobLinked(repository, d.digest())) {
        // Foreign / non-distributable layers live at their urls, not in this registry.
        continue;
      }
      if (!meta.isBlobLinked(repository, d.digest())) {
        throw manifestBlobUnknown(d);
      }
      Optional<BlobInfo> info = storage.blobs().stat(d.digest());
      if (info.isEmpty()) {
        throw manifestBlobUnknown(d);
      }
      if (info.get().size() != d.size()) {
        throw new RegistryException(
            ErrorCode.MANIFEST_INVALID,
            "descriptor size does not match the stored blob",
            d.digest() + ": descriptor says " + d.size() + ", blob has " + info.get().size());
      }
    }
  }

  private long contentSize(RepositoryName repository, Manifest manifest) {
    if (manifest instanceof ImageManifest m) {
      return m.contentSize();
    }
    long total = 0;
    for (Descriptor child : manifest.references()) {
      total += child.size();
      Optional<ManifestRecord> rec = meta.getManifest(repository, child.digest());
      if (rec.isPresent()) {
        total += rec.get().contentSize();
      }
    }
    return total;
  }

  private static Descriptor referrerDescriptor(Manifest manifest, Digest digest, long size) {
    return Descriptor.of(manifest.mediaType(), digest, size)
        .withArtifactType(manifest.effectiveArtifactType())
        .withAnnotations(manifest.annotations());
  }

  /** The stored manifest a tag or digest names; {@code MANIFEST_UNKNOWN} when there is none. */
  public ManifestRecord getManifest(RepositoryName repository, Reference reference) {
    Digest digest = resolve(repository, reference);
    return meta.getManifest(repository, digest).orElseThrow(() -> manifestUnknown(reference));
  }

  /**
   * Deletes by tag (only the tag goes) or by digest (the manifest, every tag pointing at it, and
   * its entry in its subject's referrers).
   */
  public void deleteManifest(RepositoryName repository, Reference reference) {
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
   * Tags of a repository in lexical order: all of them without {@code n}, else at most {@code n}
   * (clamped to the configured maximum) after {@code last}. {@code NAME_UNKNOWN} for a repository
   * that does not exist.
   */
  public TagPage listTags(RepositoryName repository, Optional<Integer> n, Optional<Tag> last) {
    if (!meta.repositoryExists(repository)) {
      throw new RegistryException(
          ErrorCode.NAME_UNKNOWN, "repository name not known to registry", repository.value());
    }
    int limit = n.map(this::clamp).orElse(options.maxPageSize());
    if (limit == 0) {
      return new TagPage(new TagList(repository, List.of()), false);
    }
    Page<TagRecord> page = meta.listTags(repository, last, limit);
    List<Tag> tags = page.items().stream().map(TagRecord::tag).toList();
    return new TagPage(new TagList(repository, tags), page.hasMore());
  }

  /** Repositories in lexical order, at most {@code n} (clamped) after {@code last}. */
  public CatalogPage catalog(Optional<Integer> n, Optional<RepositoryName> last) {
    int limit = n.map(this::clamp).orElse(options.defaultPageSize());
    if (limit == 0) {
      return new CatalogPage(new Catalog(List.of()), false);
    }
    Page<RepositoryName> page = meta.listRepositories(last, limit);
    return new CatalogPage(new Catalog(page.items()), page.hasMore());
  }

  /**
   * The referrers of {@code subject} in {@code repository} as an image index, optionally only those
   * of one {@code artifactType}; an unknown subject has none. At most {@code n} (clamped)
   * descriptors after referrer digest {@code last}.
   */
  public ReferrersPage referrers(
      RepositoryName repository,
      Digest subject,
      Optional<MediaType> artifactType,
      Optional<Integer> n,
      Optional<Digest> last) {
    int limit = n.map(this::clamp).orElse(options.maxPageSize());
    List<Descriptor> out = new ArrayList<>();
    Optional<Digest> after = last;
    boolean more = false;
    while (limit > 0) {
      Page<Descriptor> page = meta.listReferrers(repository, subject, after, limit);
      for (Descriptor d : page.items()) {
        after = Optional.of(d.digest());
        if (artifactType.isEmpty()
            || d.artifactType().map(t -> t.is(artifactType.get())).orElse(false)) {
          if (out.size() == limit) {
            more = true;
            break;
          }
          out.add(d);
        }
      }
      if (more || !page.hasMore() || page.items().isEmpty()) {
        more = more || (out.size() == limit && page.hasMore());
        break;
      }
    }
    return new ReferrersPage(ImageIndex.of(out), artifactType.isPresent(), more);
  }

  private int clamp(int n) {
    if (n < 0) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "invalid n", String.valueOf(n))
          .withStatus(400);
    }
    return Math.min(n, options.maxPageSize());
  }

  // ---- errors ----------------------------------------------------------------------------

  private static RegistryException blobUnknown(Digest digest) {
    return new RegistryException(
        ErrorCode.BLOB_UNKNOWN, "blob unknown to registry", digest.toString());
  }

  private static RegistryException manifestUnknown(Reference reference) {
    return new RegistryException(
        ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry", reference.toString());
  }

  private static RegistryException manifestBlobUnknown(Descriptor d) {
    return new RegistryException(
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        "manifest references a blob unknown to this repository",
        d.digest().toString());
  }

  /** Hashes a stream with the algorithm of {@code digest}; used by checks that re-read content. */
  static Digest hash(InputStream in, String algorithm) {
    MessageDigest md = Digest.newMessageDigest(algorithm);
    byte[] buf = new byte[64 * 1024];
    try (in) {
      int r;
      while ((r = in.read(buf)) > 0) {
        md.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Digest.fromHash(algorithm, md.digest());
  }
}
