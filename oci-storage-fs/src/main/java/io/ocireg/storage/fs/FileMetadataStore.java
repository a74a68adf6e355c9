package io.ocireg.storage.fs;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.TagRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-repository records, one small file each, every write an atomic replace. See {@link Layout}
 * for where they live and below for what the files hold.
 */
final class FileMetadataStore implements MetadataStore {
  /** First line of a manifest file: {@code v1 <media type> <pushed at> <content size>\n}. */
  private static final String MANIFEST_HEADER_VERSION = "v1";

  private final FileSystemStorage storage;
  private final Layout layout;
  private final DurableFiles files;
  private final RepositoryWalk walk;

  FileMetadataStore(FileSystemStorage storage, Layout layout, DurableFiles files) {
    this.storage = storage;
    this.layout = layout;
    this.files = files;
    this.walk = new RepositoryWalk(Listings::sortedNames, FileMetadataStore::exists);
  }

  // ---- manifests ----------------------------------------------------------------------------

  @Override
  public void putManifest(RepositoryName repository, ManifestRecord manifest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(manifest, "manifest");
    storage.ensureOpen();
    // One file for header and bytes: a record is replaced as a whole or not at all.
    byte[] header =
        (MANIFEST_HEADER_VERSION
                + " "
                + manifest.mediaType().value()
                + " "
                + manifest.pushedAt()
                + " "
                + manifest.contentSize()
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] content = manifest.content();
    byte[] record = Arrays.copyOf(header, header.length + content.length);
    System.arraycopy(content, 0, record, header.length, content.length);
    files.write(layout.manifest(repository, manifest.digest()), record);
  }

  @Override
  public Optional<ManifestRecord> getManifest(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    Path file = layout.manifest(repository, digest);
    return read(file).map(bytes -> parseManifest(file, digest, bytes));
  }

  @Override
  public boolean deleteManifest(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    return files.delete(layout.manifest(repository, digest));
  }

  @Override
  public Page<Digest> listManifests(RepositoryName repository, Optional<Digest> after, int limit) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    return Listings.digests(layout.manifests(repository), false, after, limit);
  }

  private ManifestRecord parseManifest(Path file, Digest digest, byte[] bytes) {
    int nl = indexOf(bytes, (byte) '\n');
    if (nl < 0) {
      throw corrupt(file, "no header line");
    }
    String[] header = new String(bytes, 0, nl, StandardCharsets.UTF_8).split(" ", -1);
    if (header.length != 4 || !header[0].equals(MANIFEST_HEADER_VERSION)) {
      throw corrupt(file, "unknown header");
    }
    try {
      return new ManifestRecord(
          digest,
          MediaType.of(header[1]),
          Arrays.copyOfRange(bytes, nl + 1, bytes.length),
          Instant.parse(header[2]),
          Long.parseLong(header[3]));
    } catch (InvalidValueException | DateTimeParseException | NumberFormatException e) {
      throw corrupt(file, e.getMessage());
    }
  }

  // ---- tags ---------------------------------------------------------------------------------

  @Override
  public void putTag(RepositoryName repository, TagRecord tag) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    storage.ensureOpen();
    String text = tag.digest() + "\n" + tag.updatedAt() + "\n";
    files.write(layout.tag(repository, tag.tag()), text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<TagRecord> getTag(RepositoryName repository, Tag tag) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    storage.ensureOpen();
    Path file = layout.tag(repository, tag);
    return read(file).map(bytes -> parseTag(file, tag, bytes));
  }

  @Override
  public boolean deleteTag(RepositoryName repository, Tag tag) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(tag, "tag");
    storage.ensureOpen();
    return files.delete(layout.tag(repository, tag));
  }

  @Override
  public Page<TagRecord> listTags(RepositoryName repository, Optional<Tag> after, int limit) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    int want = Listings.fetchSize(limit);
    Path dir = layout.tags(repository);
    List<TagRecord> out = new ArrayList<>();
    for (String name : Listings.sortedNames(dir)) {
      if (after.isPresent() && name.compareTo(after.get().value()) <= 0) {
        continue;
      }
      if (!Tag.isValid(name)) {
        continue;
      }
      Tag tag = Tag.parse(name);
      Path file = layout.tag(repository, tag);
      Optional<TagRecord> record = read(file).map(bytes -> parseTag(file, tag, bytes));
      if (record.isEmpty()) {
        continue; // deleted while listing
      }
      out.add(record.get());
      if (out.size() >= want) {
        break;
      }
    }
    return Listings.page(out, limit);
  }

  private TagRecord parseTag(Path file, Tag tag, byte[] bytes) {
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
    if (lines.length < 2) {
      throw corrupt(file, "expected a digest line and a time line");
    }
    try {
      return new TagRecord(tag, Digest.parse(lines[0]), Instant.parse(lines[1]));
    } catch (InvalidValueException | DateTimeParseException e) {
      throw corrupt(file, e.getMessage());
    }
  }

  // ---- blob links ---------------------------------------------------------------------------

  @Override
  public void linkBlob(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    Path link = layout.link(repository, digest);
    if (!Files.isRegularFile(link)) {
      files.write(link, (digest + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void linkBlob(RepositoryName repository, Digest digest, Instant at) {
    Objects.requireNonNull(at, "at");
    linkBlob(repository, digest);
    // The link's time is its file's modification time: renewing it is one metadata update.
    if (!files.touch(layout.link(repository, digest), at)) {
      linkBlob(repository, digest); // unlinked in between: link again, stamped now
    }
  }

  @Override
  public Optional<Instant> blobLinkedAt(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    return files.modifiedAt(layout.link(repository, digest));
  }

  @Override
  public boolean isBlobLinked(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    return Files.isRegularFile(layout.link(repository, digest));
  }

  @Override
  public boolean unlinkBlob(RepositoryName repository, Digest digest) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
    storage.ensureOpen();
    return files.delete(layout.link(repository, digest));
  }

  @Override
  public Page<Digest> listBlobLinks(RepositoryName repository, Optional<Digest> after, int limit) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    return Listings.digests(layout.links(repository), false, after, limit);
  }

  // ---- referrers ----------------------------------------------------------------------------

  @Override
  public void putReferrer(RepositoryName repository, Digest subject, Descriptor referrer) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(referrer, "referrer");
    storage.ensureOpen();
    files.write(
        layout.referrer(repository, subject, referrer.digest()),
        referrer.toJson().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean deleteReferrer(RepositoryName repository, Digest subject, Digest referrer) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(referrer, "referrer");
    storage.ensureOpen();
    return files.delete(layout.referrer(repository, subject, referrer));
  }

  @Override
  public Page<Descriptor> listReferrers(
      RepositoryName repository, Digest subject, Optional<Digest> after, int limit) {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    Path dir = layout.referrers(repository, subject);
    List<Descriptor> out = new ArrayList<>();
    Optional<Digest> cursor = after;
    int want = Listings.fetchSize(limit);
    // Page through the names so that entries deleted while listing do not shorten the page.
    while (out.size() < want) {
      Page<Digest> names = Listings.digests(dir, false, cursor, want - out.size());
      for (Digest d : names.items()) {
        Path file = layout.referrer(repository, subject, d);
        read(file).map(bytes -> parseDescriptor(file, bytes)).ifPresent(out::add);
      }
      if (!names.hasMore() || names.items().isEmpty()) {
        break;
      }
      cursor = Optional.of(names.items().get(names.items().size() - 1));
    }
    return Listings.page(out, limit);
  }

  private Descriptor parseDescriptor(Path file, byte[] bytes) {
    // The one JSON codec reads descriptors inside manifests; wrap the stored one in an index.
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaType.OCI_INDEX.value()
            + "\",\"manifests\":["
            + new String(bytes, StandardCharsets.UTF_8)
            + "]}";
    try {
      Manifest index = Manifest.parse(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_INDEX);
      List<Descriptor> descriptors = ((ImageIndex) index).manifests();
      if (descriptors.size() != 1) {
        throw corrupt(file, "expected one descriptor");
      }
      return descriptors.get(0);
    } catch (RegistryException | IllegalArgumentException e) {
      throw corrupt(file, e.getMessage());
    }
  }

  // ---- repositories -------------------------------------------------------------------------

  @Override
  public boolean repositoryExists(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    storage.ensureOpen();
    return exists(layout.repository(repository));
  }

  @Override
  public boolean pruneRepository(RepositoryName repository) {
    Objects.requireNonNull(repository, "repository");
    storage.ensureOpen();
    Path dir = layout.repository(repository);
    if (exists(dir)) {
      return false;
    }
    try {
      pruneReferrers(repository, dir.resolve(Layout.REFERRERS));
      // Empty directories only: a concurrent write that created a file keeps its directory, so
      // nothing written meanwhile is removed here (a write whose directory goes away retries).
      for (String part : new String[] {Layout.MANIFESTS, Layout.LINKS, Layout.TAGS}) {
        deleteEmptyDirectories(dir.resolve(part));
      }
      for (Path d = dir; !d.equals(layout.repositories); d = d.getParent()) {
        if (!deleteIfEmpty(d)) {
          break;
        }
      }
      files.syncDirectory(layout.repositories);
    } catch (IOException e) {
      throw files.failure("cannot prune", dir, e);
    }
    return true;
  }

  @Override
  public List<RepositoryName> pruneRepositoryRemains() {
    storage.ensureOpen();
    List<RepositoryName> pruned = new ArrayList<>();
    pruneRemains(layout.repositories, "", pruned);
    return pruned;
  }

  /**
   * Depth first, so that a parent left with nothing but the remains of its children goes too. A
   * directory is the remains of a repository when it holds one of the {@code _} entries and the
   * repository no longer exists.
   */
  private void pruneRemains(Path dir, String name, List<RepositoryName> pruned) {
    for (String child : Listings.sortedNames(dir)) {
      if (Layout.isRepositoryComponent(child)) {
        pruneRemains(dir.resolve(child), name.isEmpty() ? child : name + "/" + child, pruned);
      }
    }
    if (name.isEmpty() || !RepositoryName.isValid(name)) {
      return;
    }
    boolean remains = false;
    for (String part :
        new String[] {Layout.MANIFESTS, Layout.TAGS, Layout.LINKS, Layout.REFERRERS}) {
      remains |= Files.isDirectory(dir.resolve(part), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
    if (remains && !exists(dir) && pruneRepository(RepositoryName.parse(name))) {
      pruned.add(RepositoryName.parse(name));
    }
  }

  /**
   * Removes the referrer entries whose referrer manifest is not stored. A push stores the manifest
   * before its entry, so an entry of a manifest pushed meanwhile is kept.
   */
  private void pruneReferrers(RepositoryName repository, Path referrers) throws IOException {
    for (String subjectAlg : Listings.sortedNames(referrers)) {
      for (String subjectEnc : Listings.sortedNames(referrers.resolve(subjectAlg))) {
        Path subjectDir = referrers.resolve(subjectAlg).resolve(subjectEnc);
        for (String alg : Listings.sortedNames(subjectDir)) {
          for (String enc : Listings.sortedNames(subjectDir.resolve(alg))) {
            String wire = alg + ":" + enc;
            if (!Digest.isValid(wire) || getManifest(repository, Digest.parse(wire)).isEmpty()) {
              files.delete(subjectDir.resolve(alg).resolve(enc));
            }
          }
        }
      }
    }
    deleteEmptyDirectories(referrers);
  }

  /** Deletes {@code dir} and the directories under it that hold no file, deepest first. */
  private static void deleteEmptyDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    for (String child : Listings.sortedNames(dir)) {
      deleteEmptyDirectories(dir.resolve(child));
    }
    deleteIfEmpty(dir);
  }

  private static boolean deleteIfEmpty(Path dir) throws IOException {
    try {
      return Files.deleteIfExists(dir);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      return false;
    }
  }

  /** The existence rule: at least one manifest, tag or blob link (referrers do not count). */
  static boolean exists(Path repositoryDir) {
    return Listings.isNonEmpty(repositoryDir.resolve(Layout.TAGS))
        || Listings.hasGrandchild(repositoryDir.resolve(Layout.MANIFESTS))
        || Listings.hasGrandchild(repositoryDir.resolve(Layout.LINKS));
  }

  @Override
  public Page<RepositoryName> listRepositories(Optional<RepositoryName> after, int limit) {
    Objects.requireNonNull(after, "after");
    storage.ensureOpen();
    return walk.page(layout.repositories, after.map(RepositoryName::value), limit);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private Optional<byte[]> read(Path file) {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      if (Files.isDirectory(file)) {
        return Optional.empty();
      }
      throw files.failure("cannot read", file, e);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private StorageException corrupt(Path file, String why) {
    Path shown = file.startsWith(layout.root) ? layout.root.relativize(file) : file;
    return new StorageException("corrupt record " + shown + ": " + why);
  }
}
