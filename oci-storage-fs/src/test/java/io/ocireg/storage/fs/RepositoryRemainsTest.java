package io.ocireg.storage.fs;

import static io.ocireg.storage.fs.TestData.putBlob;
import static io.ocireg.storage.fs.TestData.repo;
import static io.ocireg.storage.fs.TestData.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.TagRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directories a repository leaves behind when its last manifest, tag and link were deleted but
 * it was never pruned (a collection killed in between): no listing names it any more, so only a
 * walk of the directories finds them.
 */
class RepositoryRemainsTest {
  @TempDir Path root;

  private FileSystemStorage storage;
  private MetadataStore meta;

  private FileSystemStorage open() {
    storage = FileSystemStorage.open(root);
    meta = storage.metadata();
    return storage;
  }

  @AfterEach
  void close() {
    if (storage != null) {
      storage.close();
    }
  }

  /** Stores a manifest, a tag and a link in {@code r}, then deletes them without pruning. */
  private void emptied(RepositoryName r) {
    fill(r);
    for (Digest m : meta.listManifests(r, Optional.empty(), 100).items()) {
      meta.deleteManifest(r, m);
    }
    for (Digest l : meta.listBlobLinks(r, Optional.empty(), 100).items()) {
      meta.unlinkBlob(r, l);
    }
    for (TagRecord t : meta.listTags(r, Optional.empty(), 100).items()) {
      meta.deleteTag(r, t.tag());
    }
    assertThat(meta.repositoryExists(r)).isFalse();
  }

  private void fill(RepositoryName r) {
    Digest blob = putBlob(storage, utf8("layer of " + r)).digest();
    meta.linkBlob(r, blob);
    byte[] json = utf8("{\"schemaVersion\":2,\"r\":\"" + r + "\"}");
    Digest m = Digest.sha256(json);
    meta.putManifest(r, new ManifestRecord(m, MediaType.OCI_MANIFEST, json, Instant.now(), 0));
    meta.putTag(r, new TagRecord(Tag.parse("latest"), m, Instant.now()));
  }

  private Path dir(String name) {
    return root.resolve("repositories").resolve(name);
  }

  @Test
  void removesWhatAnEmptiedRepositoryLeftAndNothingElse() {
    open();
    emptied(repo("gone/app"));
    fill(repo("kept/app"));
    assertThat(dir("gone/app")).isDirectory();
    assertThat(meta.listRepositories(Optional.empty(), 10).items())
        .containsExactly(repo("kept/app"));

    assertThat(meta.pruneRepositoryRemains()).containsExactly(repo("gone/app"));

    assertThat(dir("gone")).doesNotExist();
    assertThat(meta.repositoryExists(repo("kept/app"))).isTrue();
    assertThat(meta.getTag(repo("kept/app"), Tag.parse("latest"))).isPresent();
    assertThat(meta.pruneRepositoryRemains()).isEmpty();
  }

  @Test
  void keepsAParentThatStillExistsAndRemovesAParentLeftEmpty() {
    open();
    fill(repo("team"));
    emptied(repo("team/old"));
    emptied(repo("both"));
    emptied(repo("both/child"));

    assertThat(meta.pruneRepositoryRemains())
        .containsExactlyInAnyOrder(repo("team/old"), repo("both/child"), repo("both"));

    assertThat(dir("team/old")).doesNotExist();
    assertThat(meta.repositoryExists(repo("team"))).isTrue();
    assertThat(dir("both")).doesNotExist();
  }

  @Test
  void findsRemainsAfterAReopen() {
    open();
    emptied(repo("crash/app"));
    storage.close();

    open();
    assertThat(meta.pruneRepositoryRemains()).containsExactly(repo("crash/app"));
    assertThat(Files.exists(dir("crash"))).isFalse();
    fill(repo("crash/app"));
    assertThat(meta.listRepositories(Optional.empty(), 10).items())
        .containsExactly(repo("crash/app"));
  }
}
