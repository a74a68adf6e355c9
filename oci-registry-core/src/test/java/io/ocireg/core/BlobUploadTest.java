package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.in;
import static io.ocireg.core.Fixture.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.storage.BlobInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlobUploadTest {
  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  private static final byte[] DATA = pattern(100_000);
  private static final Digest DIGEST = Digest.sha256(DATA);

  private static Optional<ContentRange> range(long first, long last) {
    return Optional.of(new ContentRange(first, last));
  }

  private static byte[] slice(int from, int to) {
    return Arrays.copyOfRange(DATA, from, to);
  }

  /** Yields {@code good} bytes, then fails as a dropped connection does. */
  private static InputStream disconnecting(byte[] good) {
    return new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        if (pos < good.length) {
          return good[pos++] & 0xff;
        }
        throw new IOException("connection reset");
      }
    };
  }

  // ---- monolithic ------------------------------------------------------------------------

  @Test
  void storesAndLinksAWholeBlob() {
    BlobInfo info = registry.uploadWhole(REPO, DIGEST, in(DATA), DATA.length);

    assertThat(info.digest()).isEqualTo(DIGEST);
    assertThat(info.size()).isEqualTo(DATA.length);
    assertThat(registry.blobInfo(REPO, DIGEST).size()).isEqualTo(DATA.length);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void storesAWholeBlobOfUnknownLength() {
    registry.uploadWhole(REPO, DIGEST, in(DATA), -1);

    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void storesAZeroLengthBlob() {
    Digest empty = Digest.sha256(new byte[0]);

    BlobInfo info = registry.uploadWhole(REPO, empty, in(new byte[0]), 0);

    assertThat(info.size()).isZero();
    assertThat(f.read(REPO, empty)).isEmpty();
  }

  @Test
  void whollyUploadedBlobIsOnlyLinkedInItsRepository() {
    registry.uploadWhole(REPO, DIGEST, in(DATA), DATA.length);

    assertError(() -> registry.blobInfo(OTHER, DIGEST), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void refusesAWholeBlobWithTheWrongDigestAndStoresNothing() {
    Digest wrong = Digest.sha256(Fixture.bytes("something else"));

    assertError(
        () -> registry.uploadWhole(REPO, wrong, in(DATA), DATA.length),
        ErrorCode.DIGEST_INVALID,
        400);
    assertThat(f.storage.blobs().stat(wrong)).isEmpty();
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void refusesAWholeBlobShorterThanDeclared() {
    assertError(
        () -> registry.uploadWhole(REPO, DIGEST, in(DATA), DATA.length + 1L),
        ErrorCode.SIZE_INVALID,
        400);
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void refusesAWholeBlobLongerThanDeclared() {
    Digest prefix = Digest.sha256(slice(0, 10));

    assertError(
        () -> registry.uploadWhole(REPO, prefix, in(DATA), 10), ErrorCode.SIZE_INVALID, 400);
    assertThat(f.storage.blobs().stat(prefix)).isEmpty();
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void refusesAnUnsupportedDigestAlgorithmBeforeReading() {
    Digest sha384 = Digest.parse("sha384:" + "a".repeat(96));
    InputStream unread =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("body must not be read");
          }
        };

    assertError(
        () -> registry.uploadWhole(REPO, sha384, unread, 10), ErrorCode.DIGEST_INVALID, 400);
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void abandonsAWholeUploadWhoseBodyFails() {
    assertError(
        () -> registry.uploadWhole(REPO, DIGEST, disconnecting(slice(0, 50)), DATA.length),
        ErrorCode.BLOB_UPLOAD_INVALID,
        400);
    assertThat(f.openSessions()).isEmpty();
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
  }

  @Test
  void uploadingAnExistingBlobAgainSucceeds() {
    registry.uploadWhole(REPO, DIGEST, in(DATA), DATA.length);

    BlobInfo again = registry.uploadWhole(OTHER, DIGEST, in(DATA), DATA.length);

    assertThat(again.digest()).isEqualTo(DIGEST);
    assertThat(registry.blobInfo(OTHER, DIGEST).size()).isEqualTo(DATA.length);
  }

  // ---- sessions --------------------------------------------------------------------------

  @Test
  void startsAnEmptySession() {
    UploadStatus started = registry.startUpload(REPO);

    assertThat(started.size()).isZero();
    assertThat(started.repository()).isEqualTo(REPO);
    assertThat(registry.uploadStatus(REPO, started.id())).isEqualTo(started);
  }

  @Test
  void putsAWholeBlobIntoASession() {
    String id = registry.startUpload(REPO).id();

    registry.completeUpload(REPO, id, DIGEST, Optional.empty(), in(DATA), DATA.length);

    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void appendsChunksWithContentRangeAndCompletesWithoutBody() {
    String id = registry.startUpload(REPO).id();

    UploadStatus first = registry.appendChunk(REPO, id, range(0, 999), in(slice(0, 1000)), 1000);
    UploadStatus second =
        registry.appendChunk(REPO, id, range(1000, 99_999), in(slice(1000, 100_000)), 99_000);
    BlobInfo info = registry.completeUpload(REPO, id, DIGEST, Optional.empty(), null, 0);

    assertThat(first.size()).isEqualTo(1000);
    assertThat(second.size()).isEqualTo(100_000);
    assertThat(info.digest()).isEqualTo(DIGEST);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
    assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void appendsStreamedChunksWithoutContentRange() {
    String id = registry.startUpload(REPO).id();

    registry.appendChunk(REPO, id, Optional.empty(), in(slice(0, 40_000)), -1);
    UploadStatus status =
        registry.appendChunk(REPO, id, Optional.empty(), in(slice(40_000, 100_000)), 60_000);
    registry.completeUpload(REPO, id, DIGEST, Optional.empty(), Fixture.in(new byte[0]), -1);

    assertThat(status.size()).isEqualTo(100_000);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void completesWithAFinalChunkThatHasAContentRange() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    registry.completeUpload(REPO, id, DIGEST, range(10, 99_999), in(slice(10, 100_000)), -1);

    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void completesWithAFinalChunkWithoutContentRange() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    registry.completeUpload(
        REPO, id, DIGEST, Optional.empty(), in(slice(10, 100_000)), 100_000 - 10);

    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void completesAZeroLengthBlobThroughASession() {
    Digest empty = Digest.sha256(new byte[0]);
    String id = registry.startUpload(REPO).id();

    BlobInfo info = registry.completeUpload(REPO, id, empty, Optional.empty(), null, -1);

    assertThat(info.size()).isZero();
    assertThat(registry.blobInfo(REPO, empty).size()).isZero();
  }

  @Test
  void acceptsAnEmptyChunk() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    UploadStatus status = registry.appendChunk(REPO, id, range(10, 9), in(new byte[0]), 0);

    assertThat(status.size()).isEqualTo(10);
  }

  // ---- refused chunks --------------------------------------------------------------------

  @Test
  void refusesAnOutOfOrderChunkWith416AndKeepsTheSession() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(
        () -> registry.appendChunk(REPO, id, range(20, 29), in(slice(20, 30)), 10),
        ErrorCode.BLOB_UPLOAD_INVALID,
        416);
    assertError(
        () -> registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10),
        ErrorCode.BLOB_UPLOAD_INVALID,
        416);
    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);

    registry.appendChunk(REPO, id, range(10, 99_999), in(slice(10, 100_000)), -1);
    registry.completeUpload(REPO, id, DIGEST, Optional.empty(), null, 0);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void refusesAFirstChunkThatDoesNotStartAtZero() {
    String id = registry.startUpload(REPO).id();

    assertError(
        () -> registry.appendChunk(REPO, id, range(1, 10), in(slice(1, 11)), 10),
        ErrorCode.BLOB_UPLOAD_INVALID,
        416);
    assertThat(registry.uploadStatus(REPO, id).size()).isZero();
  }

  @Test
  void refusesContentLengthThatDisagreesWithContentRange() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(
        () -> registry.appendChunk(REPO, id, range(10, 19), in(slice(10, 20)), 11),
        ErrorCode.SIZE_INVALID,
        400);
    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
  }

  @Test
  void refusesAChunkShorterThanItsRangeAndKeepsThePreviousSize() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(
        () -> registry.appendChunk(REPO, id, range(10, 29), in(slice(10, 25)), -1),
        ErrorCode.SIZE_INVALID,
        400);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
    registry.appendChunk(REPO, id, range(10, 99_999), in(slice(10, 100_000)), -1);
    registry.completeUpload(REPO, id, DIGEST, Optional.empty(), null, 0);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void refusesAChunkLongerThanItsRangeAndKeepsThePreviousSize() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(
        () -> registry.appendChunk(REPO, id, range(10, 19), in(slice(10, 21)), -1),
        ErrorCode.SIZE_INVALID,
        400);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
  }

  @Test
  void refusesAStreamedChunkOfAnotherLengthThanDeclared() {
    String id = registry.startUpload(REPO).id();

    assertError(
        () -> registry.appendChunk(REPO, id, Optional.empty(), in(slice(0, 10)), 11),
        ErrorCode.SIZE_INVALID,
        400);
    assertError(
        () -> registry.appendChunk(REPO, id, Optional.empty(), in(slice(0, 10)), 9),
        ErrorCode.SIZE_INVALID,
        400);
    assertThat(registry.uploadStatus(REPO, id).size()).isZero();
  }

  @Test
  void aDroppedConnectionMidChunkLeavesTheSessionAtItsPreviousSize() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 999), in(slice(0, 1000)), 1000);

    RegistryException e =
        assertError(
            () ->
                registry.appendChunk(
                    REPO, id, range(1000, 1999), disconnecting(slice(1000, 1500)), 1000),
            ErrorCode.BLOB_UPLOAD_INVALID,
            400);
    assertThat(e.getCause()).isNotNull();

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(1000);
    registry.appendChunk(REPO, id, range(1000, 99_999), in(slice(1000, 100_000)), 99_000);
    registry.completeUpload(REPO, id, DIGEST, Optional.empty(), null, 0);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void aDroppedConnectionInAStreamedChunkLeavesTheSessionAtItsPreviousSize() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, Optional.empty(), in(slice(0, 1000)), -1);

    assertError(
        () ->
            registry.appendChunk(
                REPO, id, Optional.empty(), disconnecting(slice(1000, 90_000)), -1),
        ErrorCode.BLOB_UPLOAD_INVALID,
        400);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(1000);
  }

  // ---- completing ------------------------------------------------------------------------

  @Test
  void aWrongDigestEndsTheSessionAndStoresNothing() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 99_999), in(DATA), DATA.length);
    Digest wrong = Digest.sha256(Fixture.bytes("not it"));

    assertError(
        () -> registry.completeUpload(REPO, id, wrong, Optional.empty(), null, 0),
        ErrorCode.DIGEST_INVALID,
        400);

    assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertThat(f.storage.blobs().stat(wrong)).isEmpty();
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
    assertError(() -> registry.blobInfo(REPO, DIGEST), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void anUnsupportedDigestEndsTheSession() {
    String id = registry.startUpload(REPO).id();
    Digest sha384 = Digest.parse("sha384:" + "b".repeat(96));

    assertError(
        () -> registry.completeUpload(REPO, id, sha384, Optional.empty(), null, 0),
        ErrorCode.DIGEST_INVALID,
        400);
    assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void anOutOfOrderFinalChunkIs416AndKeepsTheSession() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(
        () ->
            registry.completeUpload(REPO, id, DIGEST, range(5, 99_999), in(slice(5, 100_000)), -1),
        ErrorCode.BLOB_UPLOAD_INVALID,
        416);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
    registry.completeUpload(REPO, id, DIGEST, range(10, 99_999), in(slice(10, 100_000)), -1);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void aFinalChunkOfTheWrongLengthEndsTheSession() {
    String id = registry.startUpload(REPO).id();

    assertError(
        () ->
            registry.completeUpload(REPO, id, DIGEST, Optional.empty(), in(DATA), DATA.length + 1L),
        ErrorCode.SIZE_INVALID,
        400);
    assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
  }

  @Test
  void aFinalChunkWhoseRangeDisagreesWithContentLengthEndsTheSession() {
    String id = registry.startUpload(REPO).id();

    assertError(
        () -> registry.completeUpload(REPO, id, DIGEST, range(0, 99_999), in(DATA), 0),
        ErrorCode.SIZE_INVALID,
        400);
    assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }

  @Test
  void aDroppedConnectionInTheFinalChunkKeepsTheSessionAtItsPreviousSize() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(
        () ->
            registry.completeUpload(
                REPO, id, DIGEST, range(10, 99_999), disconnecting(slice(10, 500)), 99_990),
        ErrorCode.BLOB_UPLOAD_INVALID,
        400);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
  }

  @Test
  void aCompletedSessionIsGone() {
    String id = registry.startUpload(REPO).id();
    registry.completeUpload(REPO, id, DIGEST, Optional.empty(), in(DATA), DATA.length);

    assertError(
        () -> registry.appendChunk(REPO, id, Optional.empty(), in(DATA), DATA.length),
        ErrorCode.BLOB_UPLOAD_UNKNOWN,
        404);
    assertError(
        () -> registry.completeUpload(REPO, id, DIGEST, Optional.empty(), null, 0),
        ErrorCode.BLOB_UPLOAD_UNKNOWN,
        404);
  }

  @Test
  void aCancelledSessionIsGone() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, Optional.empty(), in(DATA), DATA.length);

    registry.cancelUpload(REPO, id);

    assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertError(() -> registry.cancelUpload(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
  }

  // ---- session identity ------------------------------------------------------------------

  @Test
  void aSessionOnlyContinuesInItsOwnRepository() {
    String id = registry.startUpload(REPO).id();
    registry.appendChunk(REPO, id, range(0, 9), in(slice(0, 10)), 10);

    assertError(() -> registry.uploadStatus(OTHER, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertError(
        () -> registry.appendChunk(OTHER, id, range(10, 19), in(slice(10, 20)), 10),
        ErrorCode.BLOB_UPLOAD_UNKNOWN,
        404);
    assertError(
        () -> registry.completeUpload(OTHER, id, DIGEST, Optional.empty(), null, 0),
        ErrorCode.BLOB_UPLOAD_UNKNOWN,
        404);
    assertError(() -> registry.cancelUpload(OTHER, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);

    assertThat(registry.uploadStatus(REPO, id).size()).isEqualTo(10);
  }

  @Test
  void unknownOrMalformedUploadIdsAreUnknown() {
    for (String id :
        new String[] {"nope", "", "../../etc/passwd", "a/b", ".hidden", "x".repeat(300)}) {
      assertError(() -> registry.uploadStatus(REPO, id), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    }
    assertError(() -> registry.uploadStatus(REPO, null), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
  }
}
