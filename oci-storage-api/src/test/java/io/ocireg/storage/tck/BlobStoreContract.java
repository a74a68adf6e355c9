package io.ocireg.storage.tck;

import static io.ocireg.storage.tck.Fixtures.drain;
import static io.ocireg.storage.tck.Fixtures.generated;
import static io.ocireg.storage.tck.Fixtures.generatedBytes;
import static io.ocireg.storage.tck.Fixtures.hash;
import static io.ocireg.storage.tck.Fixtures.putBlob;
import static io.ocireg.storage.tck.Fixtures.readAll;
import static io.ocireg.storage.tck.Fixtures.repo;
import static io.ocireg.storage.tck.Fixtures.sha256;
import static io.ocireg.storage.tck.Fixtures.sha512;
import static io.ocireg.storage.tck.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobNotFoundException;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.Page;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Committed blobs: stat, ranged reads, delete and listing. */
public interface BlobStoreContract extends StorageFixture {

  @Test
  default void committedBlobCanBeStatAndRead() {
    byte[] content = utf8("{\"layers\":[]}");
    Instant before = Instant.now();

    BlobInfo info = putBlob(storage(), content);

    BlobInfo stat = storage().blobs().stat(sha256(content)).orElseThrow();
    assertThat(stat.digest()).isEqualTo(sha256(content)).isEqualTo(info.digest());
    assertThat(stat.size()).isEqualTo(content.length);
    assertThat(stat.storedAt()).isAfterOrEqualTo(before.minusSeconds(2));
    assertThat(readAll(storage().blobs().open(stat.digest(), 0, -1))).isEqualTo(content);
  }

  @Test
  default void blobIsInvisibleBeforeCommit() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("pending")));
    Digest digest = sha256(utf8("pending"));

    assertThat(storage().blobs().stat(digest)).isEmpty();
    assertThatThrownBy(() -> storage().blobs().open(digest, 0, -1))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(storage().blobs().list(Optional.empty(), 10).items()).isEmpty();
  }

  @Test
  default void missingBlobIsNotFound() {
    Digest missing = sha256(utf8("never stored"));

    assertThat(storage().blobs().stat(missing)).isEmpty();
    assertThatThrownBy(() -> storage().blobs().open(missing, 0, -1))
        .isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> storage().blobs().open(missing, 0, 0))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(storage().blobs().delete(missing)).isFalse();
  }

  @Test
  default void openReadsAnyRangeWithinTheBlob() {
    // Larger than common buffer sizes, so that ranges cross buffer boundaries.
    int size = 200_000;
    byte[] content = generatedBytes(7, 0, size);
    Digest digest = putBlob(storage(), content).digest();

    long[][] ranges = {
      {0, -1},
      {0, size},
      {0, 0},
      {1, 10},
      {size - 1, 1},
      {size - 1, -1},
      {size, 0},
      {size, -1},
      {65_535, 3},
      {65_536, -1},
      {70_000, 100_000},
      {131_071, 2}
    };
    for (long[] r : ranges) {
      int from = (int) r[0];
      int to = r[1] == -1 ? size : (int) (r[0] + r[1]);
      assertThat(readAll(storage().blobs().open(digest, r[0], r[1])))
          .as("range %d+%d", r[0], r[1])
          .isEqualTo(Arrays.copyOfRange(content, from, to));
    }
  }

  @Test
  default void openRejectsRangesOutsideTheBlob() {
    byte[] content = utf8("0123456789");
    Digest digest = putBlob(storage(), content).digest();

    long[][] ranges = {{-1, -1}, {-1, 2}, {11, -1}, {11, 0}, {0, 11}, {9, 2}, {0, -2}, {5, -7}};
    for (long[] r : ranges) {
      assertThatThrownBy(() -> storage().blobs().open(digest, r[0], r[1]).close())
          .as("range %d+%d", r[0], r[1])
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  default void deleteRemovesTheBlobAndSaysWhetherItExisted() {
    byte[] content = utf8("to delete");
    byte[] other = utf8("to keep");
    Digest digest = putBlob(storage(), content).digest();
    putBlob(storage(), other);

    assertThat(storage().blobs().delete(digest)).isTrue();

    assertThat(storage().blobs().stat(digest)).isEmpty();
    assertThatThrownBy(() -> storage().blobs().open(digest, 0, -1))
        .isInstanceOf(BlobNotFoundException.class);
    assertThat(storage().blobs().delete(digest)).isFalse();
    assertThat(storage().blobs().list(Optional.empty(), 10).items()).containsExactly(sha256(other));
    assertThat(readAll(storage().blobs().open(sha256(other), 0, -1))).isEqualTo(other);
  }

  @Test
  default void deletedBlobCanBeUploadedAgain() {
    byte[] content = utf8("comes back");
    Digest digest = putBlob(storage(), content).digest();
    storage().blobs().delete(digest);

    putBlob(storage(), content);

    assertThat(readAll(storage().blobs().open(digest, 0, -1))).isEqualTo(content);
  }

  @Test
  default void listingIsSortedByWireFormAndPaginatedExactly() {
    List<Digest> stored = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      stored.add(putBlob(storage(), utf8("blob " + i)).digest());
    }
    // sha512 sorts after every sha256 in wire form; the listing must mix both algorithms.
    stored.add(commit(utf8("blob 512"), sha512(utf8("blob 512"))).digest());
    List<Digest> sorted = stored.stream().sorted(Comparator.comparing(Digest::toString)).toList();

    for (int pageSize : new int[] {1, 2, 3, 4, 7, 8, 9, 100}) {
      assertThat(
              drain(
                  (Optional<Digest> after, Integer limit) -> storage().blobs().list(after, limit),
                  pageSize))
          .as("page size %d", pageSize)
          .containsExactlyElementsOf(sorted);
    }
    Page<Digest> all = storage().blobs().list(Optional.empty(), 8);
    assertThat(all.items()).containsExactlyElementsOf(sorted);
    assertThat(all.hasMore()).isFalse();
    Page<Digest> tail = storage().blobs().list(Optional.of(sorted.get(4)), 3);
    assertThat(tail.items()).containsExactlyElementsOf(sorted.subList(5, 8));
    assertThat(tail.hasMore()).isFalse();
    assertThat(storage().blobs().list(Optional.of(sorted.get(7)), 3)).isEqualTo(Page.empty());
  }

  @Test
  default void listingAfterAnUnstoredDigestStartsAtTheNextStoredOne() {
    List<Digest> sorted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sorted.add(putBlob(storage(), utf8("item " + i)).digest());
    }
    sorted.sort(Comparator.comparing(Digest::toString));
    Digest absent = sha256(utf8("not stored"));
    List<Digest> expected =
        sorted.stream().filter(d -> d.toString().compareTo(absent.toString()) > 0).toList();

    assertThat(storage().blobs().list(Optional.of(absent), 100).items())
        .containsExactlyElementsOf(expected);
  }

  @Test
  default void listingLimitsAreChecked() {
    putBlob(storage(), utf8("one"));

    Page<Digest> zero = storage().blobs().list(Optional.empty(), 0);
    assertThat(zero.items()).isEmpty();
    assertThat(zero.hasMore()).isTrue();
    assertThatThrownBy(() -> storage().blobs().list(Optional.empty(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    storage().blobs().delete(sha256(utf8("one")));
    assertThat(storage().blobs().list(Optional.empty(), 0)).isEqualTo(Page.empty());
  }

  @Test
  default void sha512BlobsAreStoredUnderTheirSha512Digest() {
    byte[] content = utf8("hashed with sha512");
    Digest digest = sha512(content);

    BlobInfo info = commit(content, digest);

    assertThat(info.digest()).isEqualTo(digest);
    assertThat(storage().blobs().stat(digest).orElseThrow().size()).isEqualTo(content.length);
    assertThat(storage().blobs().stat(sha256(content))).isEmpty();
    assertThat(readAll(storage().blobs().open(digest, 3, 6))).isEqualTo(utf8("hed wi"));
  }

  @Test
  default void sameContentUnderBothAlgorithmsIsTwoBlobs() {
    byte[] content = utf8("twice");

    commit(content, sha256(content));
    commit(content, sha512(content));

    assertThat(storage().blobs().list(Optional.empty(), 10).items())
        .containsExactly(sha256(content), sha512(content));
    assertThat(storage().blobs().delete(sha256(content))).isTrue();
    assertThat(readAll(storage().blobs().open(sha512(content), 0, -1))).isEqualTo(content);
  }

  @Test
  default void largeBlobStreamsThroughManyAppends() {
    long seed = 42;
    int chunk = 1 << 20;
    int chunks = 20;
    long size = (long) chunk * chunks;
    Digest expected = hash(Digest.SHA256, generated(seed, 0, size));

    BlobUpload upload = storage().uploads().create(repo("big/blob"));
    for (int i = 0; i < chunks; i++) {
      long offset = (long) i * chunk;
      assertThat(upload.append(offset, generated(seed, offset, chunk))).isEqualTo(offset + chunk);
    }
    BlobInfo info = upload.commit(expected);

    assertThat(info.size()).isEqualTo(size);
    assertThat(storage().blobs().stat(expected).orElseThrow().size()).isEqualTo(size);
    assertThat(hash(Digest.SHA256, storage().blobs().open(expected, 0, -1))).isEqualTo(expected);
    long from = 5L * chunk + 17;
    long length = 3L * chunk + 5;
    assertThat(hash(Digest.SHA256, storage().blobs().open(expected, from, length)))
        .isEqualTo(hash(Digest.SHA256, generated(seed, from, length)));
  }

  private BlobInfo commit(byte[] content, Digest digest) {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(content));
    return upload.commit(digest);
  }
}
