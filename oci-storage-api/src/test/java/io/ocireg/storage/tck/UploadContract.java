package io.ocireg.storage.tck;

import static io.ocireg.storage.tck.Fixtures.drain;
import static io.ocireg.storage.tck.Fixtures.failingAfter;
import static io.ocireg.storage.tck.Fixtures.generated;
import static io.ocireg.storage.tck.Fixtures.generatedBytes;
import static io.ocireg.storage.tck.Fixtures.putBlob;
import static io.ocireg.storage.tck.Fixtures.readAll;
import static io.ocireg.storage.tck.Fixtures.repo;
import static io.ocireg.storage.tck.Fixtures.runTogether;
import static io.ocireg.storage.tck.Fixtures.sha256;
import static io.ocireg.storage.tck.Fixtures.sha512;
import static io.ocireg.storage.tck.Fixtures.slowStart;
import static io.ocireg.storage.tck.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.DigestMismatchException;
import io.ocireg.storage.UploadNotFoundException;
import io.ocireg.storage.UploadOffsetException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Upload sessions: append with offset checks, commit under a verified digest, cancel. */
public interface UploadContract extends StorageFixture {

  @Test
  default void createdSessionIsEmptyAndCanBeFoundById() {
    Instant before = Instant.now();
    BlobUpload upload = storage().uploads().create(repo("library/alpine"));
    Instant after = Instant.now();

    assertThat(upload.size()).isZero();
    assertThat(upload.repository()).isEqualTo(repo("library/alpine"));
    assertThat(upload.startedAt()).isBetween(before.minusSeconds(2), after.plusSeconds(2));
    BlobUpload found = storage().uploads().find(upload.id()).orElseThrow();
    assertThat(found.id()).isEqualTo(upload.id());
    assertThat(found.repository()).isEqualTo(repo("library/alpine"));
    assertThat(found.size()).isZero();
  }

  @Test
  default void sessionIdsAreDistinctAndSafeInAUrl() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      String id = storage().uploads().create(repo("a")).id();
      // RFC 3986 unreserved characters only, and long enough to carry real randomness.
      assertThat(id).matches("[A-Za-z0-9._~-]{16,}");
      ids.add(id);
    }
    assertThat(ids).hasSize(50);
  }

  @Test
  default void unknownOrHostileIdsAreNotFound() {
    storage().uploads().create(repo("a"));
    for (String id :
        List.of(
            "nope",
            "",
            ".",
            "..",
            "../..",
            "../../etc/passwd",
            "a/b",
            "a\\b",
            "%2e%2e",
            "nul\u0000byte",
            "x".repeat(1000))) {
      assertThat(storage().uploads().find(id)).as("find(%s)", id).isEmpty();
    }
  }

  @Test
  default void appendReturnsTheNewSize() {
    BlobUpload upload = storage().uploads().create(repo("a"));

    assertThat(upload.append(0, new ByteArrayInputStream(utf8("abc")))).isEqualTo(3);
    assertThat(upload.append(3, new ByteArrayInputStream(utf8("defg")))).isEqualTo(7);
    assertThat(upload.append(7, new ByteArrayInputStream(new byte[0]))).isEqualTo(7);

    assertThat(upload.size()).isEqualTo(7);
    assertThat(storage().uploads().find(upload.id()).orElseThrow().size()).isEqualTo(7);
  }

  @Test
  default void appendAtAnotherOffsetIsRejectedAndChangesNothing() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("abc")));

    for (long wrong : new long[] {0, 2, 4, 100}) {
      UploadOffsetException e =
          catchThrowableOfType(
              UploadOffsetException.class,
              () -> upload.append(wrong, new ByteArrayInputStream(utf8("XYZ"))));
      assertThat(e).as("append at %d", wrong).isNotNull();
      assertThat(e.currentSize()).isEqualTo(3);
    }

    assertThat(upload.size()).isEqualTo(3);
    assertThat(upload.commit(sha256(utf8("abc"))).size()).isEqualTo(3);
  }

  @Test
  default void failedReadOfTheInputLeavesTheSessionAsItWas() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("hello")));
    IOException broken = new IOException("client went away");
    // More than a buffer's worth arrives before the failure, so a partial write would show.
    byte[] partial = generatedBytes(1, 0, 300_000);

    assertThatThrownBy(() -> upload.append(5, failingAfter(partial, broken)))
        .isInstanceOf(UncheckedIOException.class)
        .hasCause(broken);

    assertThat(upload.size()).isEqualTo(5);
    assertThat(storage().uploads().find(upload.id()).orElseThrow().size()).isEqualTo(5);
    assertThat(upload.append(5, new ByteArrayInputStream(utf8(" world")))).isEqualTo(11);
    Digest digest = sha256(utf8("hello world"));
    assertThat(upload.commit(digest).size()).isEqualTo(11);
    assertThat(readAll(storage().blobs().open(digest, 0, -1))).isEqualTo(utf8("hello world"));
  }

  @Test
  default void runtimeFailureOfTheInputIsRethrownAsIsAndLeavesTheSessionAsItWas() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("hello")));
    IllegalStateException broken = new IllegalStateException("decoder failed");

    assertThatThrownBy(() -> upload.append(5, failingAfter(generatedBytes(2, 0, 100_000), broken)))
        .isSameAs(broken);

    assertThat(upload.size()).isEqualTo(5);
    assertThat(upload.commit(sha256(utf8("hello"))).size()).isEqualTo(5);
  }

  @Test
  default void failedFirstAppendLeavesTheSessionEmpty() {
    BlobUpload upload = storage().uploads().create(repo("a"));

    assertThatThrownBy(
            () -> upload.append(0, failingAfter(utf8("some bytes"), new IOException("reset"))))
        .isInstanceOf(UncheckedIOException.class);

    assertThat(upload.size()).isZero();
    assertThat(upload.commit(sha256(new byte[0])).size()).isZero();
  }

  @Test
  default void sessionFoundAgainContinuesWhereItWas() {
    BlobUpload first = storage().uploads().create(repo("a"));
    first.append(0, new ByteArrayInputStream(utf8("part one,")));

    BlobUpload second = storage().uploads().find(first.id()).orElseThrow();
    assertThat(second.size()).isEqualTo(9);
    second.append(9, new ByteArrayInputStream(utf8(" part two")));

    BlobUpload third = storage().uploads().find(first.id()).orElseThrow();
    assertThat(third.size()).isEqualTo(18);
    Digest digest = sha256(utf8("part one, part two"));
    assertThat(third.commit(digest).digest()).isEqualTo(digest);
    assertThat(readAll(storage().blobs().open(digest, 0, -1)))
        .isEqualTo(utf8("part one, part two"));
  }

  @Test
  default void commitPublishesTheBlobAndEndsTheSession() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("content")));
    Digest digest = sha256(utf8("content"));
    assertThat(storage().blobs().stat(digest)).isEmpty();

    BlobInfo info = upload.commit(digest);

    assertThat(info.digest()).isEqualTo(digest);
    assertThat(info.size()).isEqualTo(7);
    assertThat(storage().blobs().stat(digest))
        .hasValueSatisfying(s -> assertThat(s.size()).isEqualTo(7));
    assertThat(storage().uploads().find(upload.id())).isEmpty();
    assertThatThrownBy(() -> upload.append(7, new ByteArrayInputStream(utf8("more"))))
        .isInstanceOf(UploadNotFoundException.class);
    assertThatThrownBy(() -> upload.commit(digest)).isInstanceOf(UploadNotFoundException.class);
  }

  @Test
  default void emptyUploadCommitsTheEmptyBlob() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    Digest empty = sha256(new byte[0]);

    assertThat(upload.commit(empty).size()).isZero();

    assertThat(storage().blobs().stat(empty)).isPresent();
    assertThat(readAll(storage().blobs().open(empty, 0, -1))).isEmpty();
  }

  @Test
  default void digestMismatchStoresNothingAndEndsTheSession() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("abc")));
    Digest claimed = sha256(utf8("abd"));

    DigestMismatchException e =
        catchThrowableOfType(DigestMismatchException.class, () -> upload.commit(claimed));

    assertThat(e).isNotNull();
    assertThat(e.expected()).isEqualTo(claimed);
    assertThat(e.actual()).isEqualTo(sha256(utf8("abc")));
    assertThat(storage().blobs().stat(claimed)).isEmpty();
    assertThat(storage().blobs().stat(e.actual())).isEmpty();
    assertThat(storage().blobs().list(Optional.empty(), 10).items()).isEmpty();
    assertThat(storage().uploads().find(upload.id())).isEmpty();
    assertThatThrownBy(() -> upload.append(3, new ByteArrayInputStream(utf8("x"))))
        .isInstanceOf(UploadNotFoundException.class);
  }

  @Test
  default void sha512MismatchReportsTheSha512OfTheContent() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("abc")));
    Digest claimed = sha512(utf8("other"));

    assertThatThrownBy(() -> upload.commit(claimed))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> assertThat(e.actual()).isEqualTo(sha512(utf8("abc"))));
    assertThat(storage().blobs().stat(sha512(utf8("abc")))).isEmpty();
  }

  @Test
  default void unsupportedAlgorithmAtCommitIsRejectedAndTheSessionStaysOpen() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("abc")));

    assertThatThrownBy(() -> upload.commit(Digest.parse("md5:900150983cd24fb0d6963f7d28e17f72")))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(storage().uploads().find(upload.id())).isPresent();
    assertThat(upload.commit(sha256(utf8("abc"))).size()).isEqualTo(3);
  }

  @Test
  default void committingADigestThatIsAlreadyStoredSucceeds() {
    byte[] content = utf8("same bytes twice");
    BlobInfo first = putBlob(storage(), content);

    BlobUpload again = storage().uploads().create(repo("other/repo"));
    again.append(0, new ByteArrayInputStream(content));
    BlobInfo second = again.commit(first.digest());

    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(second.size()).isEqualTo(content.length);
    assertThat(storage().uploads().find(again.id())).isEmpty();
    assertThat(storage().blobs().list(Optional.empty(), 10).items())
        .containsExactly(first.digest());
    assertThat(readAll(storage().blobs().open(first.digest(), 0, -1))).isEqualTo(content);
  }

  @Test
  default void cancelDiscardsTheSessionAndIsSafeTwice() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("abc")));

    upload.cancel();

    assertThat(storage().uploads().find(upload.id())).isEmpty();
    assertThatThrownBy(() -> upload.append(3, new ByteArrayInputStream(utf8("d"))))
        .isInstanceOf(UploadNotFoundException.class);
    assertThatThrownBy(() -> upload.commit(sha256(utf8("abc"))))
        .isInstanceOf(UploadNotFoundException.class);
    assertThat(storage().blobs().stat(sha256(utf8("abc")))).isEmpty();
    assertThatCode(upload::cancel).doesNotThrowAnyException();
  }

  @Test
  default void cancelAfterCommitKeepsTheBlob() {
    BlobUpload upload = storage().uploads().create(repo("a"));
    upload.append(0, new ByteArrayInputStream(utf8("abc")));
    Digest digest = upload.commit(sha256(utf8("abc"))).digest();

    assertThatCode(upload::cancel).doesNotThrowAnyException();
    assertThatCode(upload::cancel).doesNotThrowAnyException();

    assertThat(readAll(storage().blobs().open(digest, 0, -1))).isEqualTo(utf8("abc"));
  }

  @Test
  default void cancellingOneSessionLeavesOthersAlone() {
    BlobUpload kept = storage().uploads().create(repo("a"));
    BlobUpload dropped = storage().uploads().create(repo("a"));
    kept.append(0, new ByteArrayInputStream(utf8("kept")));
    dropped.append(0, new ByteArrayInputStream(utf8("dropped")));

    dropped.cancel();

    assertThat(storage().uploads().find(kept.id()).orElseThrow().size()).isEqualTo(4);
    assertThat(kept.commit(sha256(utf8("kept"))).size()).isEqualTo(4);
  }

  @Test
  default void ofChunksOfferedAtTheSameOffsetConcurrentlyExactlyOneIsAppended() {
    int writers = 6;
    int chunk = 200_000;
    for (int round = 0; round < 5; round++) {
      BlobUpload upload = storage().uploads().create(repo("race"));
      upload.append(0, new ByteArrayInputStream(utf8("head")));
      List<Callable<?>> tasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        long seed = round * 100L + w;
        tasks.add(() -> upload.append(4, slowStart(generated(seed, 0, chunk))));
      }

      List<Object> outcomes = runTogether(tasks);

      int winner = -1;
      for (int w = 0; w < writers; w++) {
        Object outcome = outcomes.get(w);
        if (outcome instanceof Long size) {
          assertThat(winner).as("a second append succeeded: %s", outcomes).isEqualTo(-1);
          assertThat(size).isEqualTo(4L + chunk);
          winner = w;
        } else {
          assertThat(outcome).isInstanceOf(UploadOffsetException.class);
        }
      }
      assertThat(winner).as("no append succeeded: %s", outcomes).isNotEqualTo(-1);
      assertThat(upload.size()).isEqualTo(4L + chunk);
      byte[] expected = new byte[4 + chunk];
      System.arraycopy(utf8("head"), 0, expected, 0, 4);
      System.arraycopy(generatedBytes(round * 100L + winner, 0, chunk), 0, expected, 4, chunk);
      BlobInfo info = upload.commit(sha256(expected));
      assertThat(readAll(storage().blobs().open(info.digest(), 0, -1))).isEqualTo(expected);
    }
  }

  @Test
  default void concurrentCommitsOfTheSameContentAllSucceed() {
    int sessions = 4;
    for (int round = 0; round < 5; round++) {
      byte[] content = generatedBytes(1000 + round, 0, 150_000);
      Digest digest = sha256(content);
      List<BlobUpload> uploads = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        BlobUpload upload = storage().uploads().create(repo("race/commit"));
        upload.append(0, new ByteArrayInputStream(content));
        uploads.add(upload);
      }
      List<Callable<?>> tasks = new ArrayList<>();
      uploads.forEach(u -> tasks.add(() -> u.commit(digest)));

      List<Object> outcomes = runTogether(tasks);

      for (Object outcome : outcomes) {
        assertThat(outcome).isInstanceOf(BlobInfo.class);
        assertThat(((BlobInfo) outcome).digest()).isEqualTo(digest);
        assertThat(((BlobInfo) outcome).size()).isEqualTo(content.length);
      }
      uploads.forEach(u -> assertThat(storage().uploads().find(u.id())).isEmpty());
      assertThat(readAll(storage().blobs().open(digest, 0, -1))).isEqualTo(content);
    }
  }

  @Test
  default void concurrentSessionsDoNotMixTheirBytes() {
    int sessions = 8;
    int chunks = 4;
    int chunk = 70_000;
    List<Callable<?>> tasks = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      long seed = 5000 + s;
      tasks.add(
          () -> {
            BlobUpload upload = storage().uploads().create(repo("parallel"));
            for (int c = 0; c < chunks; c++) {
              upload.append((long) c * chunk, generated(seed, (long) c * chunk, chunk));
            }
            return upload.commit(sha256(generatedBytes(seed, 0, chunks * chunk)));
          });
    }

    List<Object> outcomes = runTogether(tasks);

    for (int s = 0; s < sessions; s++) {
      assertThat(outcomes.get(s)).isInstanceOf(BlobInfo.class);
      BlobInfo info = (BlobInfo) outcomes.get(s);
      assertThat(readAll(storage().blobs().open(info.digest(), 0, -1)))
          .isEqualTo(generatedBytes(5000 + s, 0, chunks * chunk));
    }
  }

  @Test
  default void staleListingNamesOpenSessionsWrittenBeforeTheCutoff() {
    Instant before = Instant.now().minusSeconds(3600);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      BlobUpload upload = storage().uploads().create(repo("stale"));
      upload.append(0, new ByteArrayInputStream(utf8("x" + i)));
      ids.add(upload.id());
    }
    Instant future = Instant.now().plusSeconds(3600);

    assertThat(storage().uploads().listStale(before, Optional.empty(), 100).items()).isEmpty();
    List<String> sorted = ids.stream().sorted().toList();
    assertThat(storage().uploads().listStale(future, Optional.empty(), 100).items())
        .containsExactlyElementsOf(sorted);
    assertThat(
            drain(
                (Optional<String> after, Integer limit) ->
                    storage().uploads().listStale(future, after, limit),
                2))
        .containsExactlyElementsOf(sorted);
    assertThat(storage().uploads().listStale(future, Optional.of(sorted.get(1)), 100).items())
        .containsExactlyElementsOf(sorted.subList(2, 5));

    storage().uploads().find(ids.get(0)).orElseThrow().cancel();
    storage().uploads().find(ids.get(1)).orElseThrow().commit(sha256(utf8("x1")));

    assertThat(storage().uploads().listStale(future, Optional.empty(), 100).items())
        .containsExactlyElementsOf(ids.subList(2, 5).stream().sorted().toList());
  }

  @Test
  default void sessionsRememberTheirRepository() {
    RepositoryName nested = repo("org/team/app");
    BlobUpload upload = storage().uploads().create(nested);

    assertThat(storage().uploads().find(upload.id()).orElseThrow().repository()).isEqualTo(nested);
  }
}
