package io.ocireg.storage.fs;

import static io.ocireg.storage.fs.TestData.filesUnder;
import static io.ocireg.storage.fs.TestData.putBlob;
import static io.ocireg.storage.fs.TestData.repo;
import static io.ocireg.storage.fs.TestData.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Page;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.TagRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk layout, the root checks, and that nothing outside the root is ever touched. */
class FileSystemStorageLayoutTest {
  private static final Instant T = Instant.parse("2025-03-04T05:06:07.891Z");

  @TempDir Path dir;

  private FileSystemStorage open(Path root) {
    return FileSystemStorage.builder(root).fsync(false).open();
  }

  @Test
  void writesTheDocumentedLayout() throws IOException {
    Path root = dir.resolve("root");
    try (FileSystemStorage storage = open(root)) {
      Digest blob = putBlob(storage, utf8("layer")).digest();
      byte[] json = utf8("{\"schemaVersion\":2}");
      Digest manifest = Digest.sha256(json);
      RepositoryName r = repo("org/app");
      storage
          .metadata()
          .putManifest(r, new ManifestRecord(manifest, MediaType.OCI_MANIFEST, json, T, 42));
      storage.metadata().putTag(r, new TagRecord(Tag.parse("v1"), manifest, T));
      storage.metadata().linkBlob(r, blob);
      Digest referrer = Digest.sha256(utf8("sbom"));
      storage
          .metadata()
          .putReferrer(r, manifest, Descriptor.of(MediaType.OCI_MANIFEST, referrer, 4));
      BlobUpload upload = storage.uploads().create(r);

      String b = blob.encoded();
      String m = manifest.encoded();
      assertThat(filesUnder(root))
          .containsExactlyInAnyOrder(
              "blobs/sha256/" + b.substring(0, 2) + "/" + b,
              "gc.lock",
              "uploads/" + upload.id() + "/data",
              "uploads/" + upload.id() + "/info",
              "repositories/org/app/_manifests/sha256/" + m,
              "repositories/org/app/_tags/v1",
              "repositories/org/app/_links/sha256/" + b,
              "repositories/org/app/_referrers/sha256/" + m + "/sha256/" + referrer.encoded());
      assertThat(root.resolve("tmp")).isEmptyDirectory();

      // A manifest file is one header line, then the pushed bytes exactly.
      byte[] stored =
          Files.readAllBytes(root.resolve("repositories/org/app/_manifests/sha256/" + m));
      assertThat(new String(stored, StandardCharsets.UTF_8))
          .isEqualTo(
              "v1 application/vnd.oci.image.manifest.v1+json "
                  + T
                  + " 42\n"
                  + new String(json, StandardCharsets.UTF_8));
      assertThat(Files.readString(root.resolve("repositories/org/app/_tags/v1")))
          .isEqualTo(manifest + "\n" + T + "\n");
      assertThat(Files.readString(root.resolve("uploads/" + upload.id() + "/info")))
          .startsWith("repository=org/app\nstartedAt=");
    }
  }

  @Test
  void repositoryListingSortsTheFullNamesNotTheDirectoryWalk() {
    try (FileSystemStorage storage = open(dir)) {
      // Walking directories would give a, a/b, a/b/c, a-b, a.b, a0; lexical order differs.
      List<String> names = List.of("a0", "a/b/c", "a.b", "a", "a-b", "a/b", "a/b-c", "a/b/c/d");
      for (String n : names) {
        storage.metadata().linkBlob(repo(n), Digest.sha256(utf8(n)));
      }

      Page<RepositoryName> all = storage.metadata().listRepositories(Optional.empty(), 100);

      assertThat(all.items())
          .extracting(RepositoryName::value)
          .containsExactly("a", "a-b", "a.b", "a/b", "a/b-c", "a/b/c", "a/b/c/d", "a0");
      Page<RepositoryName> inside =
          storage.metadata().listRepositories(Optional.of(repo("a/b")), 2);
      assertThat(inside.items()).containsExactly(repo("a/b-c"), repo("a/b/c"));
      assertThat(inside.hasMore()).isTrue();
      Page<RepositoryName> last =
          storage.metadata().listRepositories(Optional.of(repo("a/b/c")), 2);
      assertThat(last.items()).containsExactly(repo("a/b/c/d"), repo("a0"));
      assertThat(last.hasMore()).isFalse();
    }
  }

  @Test
  void parentOfANestedRepositoryIsNotARepositoryByItsDirectory() {
    try (FileSystemStorage storage = open(dir)) {
      storage
          .metadata()
          .putTag(repo("a/b/c"), new TagRecord(Tag.parse("t"), Digest.sha256(utf8("x")), T));
      storage.metadata().deleteTag(repo("a/b/c"), Tag.parse("t"));
      storage
          .metadata()
          .putTag(repo("a/b/c/d"), new TagRecord(Tag.parse("t"), Digest.sha256(utf8("x")), T));

      // The directories of a, a/b and a/b/c remain, but only a/b/c/d holds anything.
      assertThat(storage.metadata().repositoryExists(repo("a/b/c"))).isFalse();
      assertThat(storage.metadata().listRepositories(Optional.empty(), 10).items())
          .containsExactly(repo("a/b/c/d"));
    }
  }

  @Test
  void hostileInputsTouchNothingOutsideTheRoot() throws IOException {
    Path root = dir.resolve("data/root");
    Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("etc/passwd"), "decoy");
    Files.writeString(dir.resolve("data/sibling"), "decoy");
    try (FileSystemStorage storage = open(root)) {
      BlobUpload upload = storage.uploads().create(repo("a"));
      upload.append(0, new ByteArrayInputStream(utf8("abc")));
      Map<String, String> before = snapshotOutside(root);

      for (String id :
          List.of(
              "../../etc",
              "../../etc/passwd",
              "..",
              "../sibling",
              "/etc/passwd",
              "..\\..\\etc",
              upload.id() + "/../../../sibling",
              "%2e%2e%2f%2e%2e",
              "",
              " ",
              upload.id().toUpperCase(java.util.Locale.ROOT))) {
        assertThat(storage.uploads().find(id)).as("find(%s)", id).isEmpty();
      }
      assertThat(storage.uploads().find(null)).isEmpty();
      // Ordinary use as well: everything it writes stays under the root.
      putBlob(storage, utf8("inside"));
      storage
          .metadata()
          .putTag(repo("a/b"), new TagRecord(Tag.parse("_x.."), Digest.sha256(utf8("x")), T));
      storage.metadata().linkBlob(repo("a/b"), Digest.parse("weird+alg.x_y-z:A=_-"));
      storage.metadata().listRepositories(Optional.empty(), 10);
      upload.commit(Digest.sha256(utf8("abc")));

      assertThat(snapshotOutside(root)).isEqualTo(before);
      assertThat(Files.readString(dir.resolve("etc/passwd"))).isEqualTo("decoy");
    }
  }

  @Test
  void pathSegmentsAreCheckedEvenThoughValuesAreValidated() {
    Layout layout = new Layout(dir);

    for (String bad : new String[] {"..", ".", "", "a/b", "a\\b", "/", "a b", "a\u0000", "é"}) {
      assertThatThrownBy(() -> layout.resolve(dir, bad))
          .as("segment %s", bad)
          .isInstanceOf(StorageException.class);
    }
    assertThat(layout.resolve(dir, "a", "..b", "c")).isEqualTo(dir.resolve("a/..b/c"));
    assertThat(Layout.isUploadId("123e4567-e89b-12d3-a456-426614174000")).isTrue();
    assertThat(Layout.isUploadId("123E4567-E89B-12D3-A456-426614174000")).isFalse();
    assertThat(Layout.isUploadId("../../etc")).isFalse();
    assertThat(Layout.isUploadId(null)).isFalse();
    assertThat(layout.upload("..")).isEmpty();
  }

  @Test
  void strayFilesAreNeverListedAsBlobsAndTempFilesAreSweptAtOpen() throws IOException {
    Path root = dir.resolve("root");
    Digest stored;
    try (FileSystemStorage storage = open(root)) {
      stored = putBlob(storage, utf8("real")).digest();
      BlobUpload pending = storage.uploads().create(repo("a"));
      pending.append(0, new ByteArrayInputStream(utf8("pending")));
      // What a crash could leave: a temp file, and junk next to the blobs.
      Files.writeString(root.resolve("tmp/w-123.tmp"), "half written");
      Path shard = root.resolve("blobs/sha256/" + stored.encoded().substring(0, 2));
      Files.writeString(shard.resolve("not-a-digest"), "junk");
      Files.writeString(shard.resolve("ffff"), "wrong length for sha256");

      assertThat(storage.blobs().list(Optional.empty(), 10).items()).containsExactly(stored);
      assertThat(storage.blobs().stat(Digest.sha256(utf8("pending")))).isEmpty();
    }
    try (FileSystemStorage storage = open(root)) {
      assertThat(root.resolve("tmp")).isEmptyDirectory();
      assertThat(storage.blobs().list(Optional.empty(), 10).items()).containsExactly(stored);
    }
  }

  @Test
  void halfEndedSessionsAreNeverFoundAndAreSweptAtOpen() throws IOException {
    Path root = dir.resolve("root");
    String committedId;
    String cancelledId;
    try (FileSystemStorage storage = open(root)) {
      BlobUpload a = storage.uploads().create(repo("a"));
      BlobUpload b = storage.uploads().create(repo("a"));
      committedId = a.id();
      cancelledId = b.id();
    }
    // A crash after the data moved to the blobs, and one after info was deleted.
    Files.delete(root.resolve("uploads/" + committedId + "/data"));
    Files.delete(root.resolve("uploads/" + cancelledId + "/info"));
    try (FileSystemStorage storage = open(root)) {
      assertThat(storage.uploads().find(committedId)).isEmpty();
      assertThat(storage.uploads().find(cancelledId)).isEmpty();
      assertThat(root.resolve("uploads")).isEmptyDirectory();
    }
  }

  @Test
  void openCreatesAMissingRootWithItsParents() {
    Path root = dir.resolve("x/y/z");

    try (FileSystemStorage storage = open(root)) {
      storage.checkUsable();
    }

    assertThat(root.resolve("blobs")).isDirectory();
    assertThat(root.resolve("uploads")).isDirectory();
    assertThat(root.resolve("repositories")).isDirectory();
    assertThat(root.resolve("tmp")).isDirectory();
  }

  @Test
  void openRejectsARootThatIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");

    assertThatThrownBy(() -> FileSystemStorage.open(file))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> FileSystemStorage.open(file.resolve("below")))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void openRejectsARootThatIsNotWritable() throws IOException {
    Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX only");
    Path root = Files.createDirectory(dir.resolve("readonly"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      // Permission bits do not bind the superuser; there is nothing to check then.
      Assumptions.assumeFalse(Files.isWritable(root), "running with rights that ignore modes");

      assertThatThrownBy(() -> FileSystemStorage.open(root))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("not writable");
    } finally {
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void closedStorageRefusesUse() {
    FileSystemStorage storage = open(dir);
    storage.close();
    storage.close();

    assertThatThrownBy(storage::checkUsable).isInstanceOf(StorageException.class);
    assertThatThrownBy(storage::blobs).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void corruptRecordsAreReportedAsStorageFailures() throws IOException {
    try (FileSystemStorage storage = open(dir)) {
      storage
          .metadata()
          .putTag(repo("a"), new TagRecord(Tag.parse("v1"), Digest.sha256(utf8("m")), T));
      Files.writeString(dir.resolve("repositories/a/_tags/v1"), "garbage");

      assertThatThrownBy(() -> storage.metadata().getTag(repo("a"), Tag.parse("v1")))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("corrupt");
    }
  }

  /** Path, size and modification time of everything under {@link #dir} but outside {@code root}. */
  private Map<String, String> snapshotOutside(Path root) throws IOException {
    Map<String, String> snapshot = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(p -> !p.startsWith(root)).toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        snapshot.put(
            dir.relativize(p).toString(),
            (a.isDirectory() ? "dir " : a.size() + " ") + a.lastModifiedTime().toMillis());
      }
    }
    return snapshot;
  }
}
