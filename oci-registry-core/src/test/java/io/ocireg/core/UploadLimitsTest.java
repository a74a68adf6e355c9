package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.in;
import static io.ocireg.core.Fixture.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The limits on upload sessions and blob sizes, and the purge of abandoned sessions. */
class UploadLimitsTest {
  private static final byte[] DATA = pattern(10_000);
  private static final Digest DIGEST = Digest.sha256(DATA);

  /** A clock tests move by hand, shared by the engine and the storage. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A body that fails the test if anyone reads it. */
  private static InputStream unreadable() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw new AssertionError("the body must not be read");
      }
    };
  }

  private static Optional<ContentRange> range(long first, long last) {
    return Optional.of(new ContentRange(first, last));
  }

  // ---- open sessions ---------------------------------------------------------------------

  @Test
  void refusesASessionBeyondTheLimitWith429() {
    Fixture f = new Fixture(RegistryOptions.defaults().withMaxOpenUploads(2));
    f.registry.startUpload(REPO);
    f.registry.startUpload(REPO);

    assertError(() -> f.registry.startUpload(REPO), ErrorCode.TOOMANYREQUESTS, 429);
    assertError(
        () -> f.registry.uploadWhole(REPO, DIGEST, unreadable(), DATA.length),
        ErrorCode.TOOMANYREQUESTS,
        429);
    assertThat(f.openSessions()).hasSize(2);
  }

  @Test
  void aSessionThatEndsFreesItsPlace() {
    Fixture f = new Fixture(RegistryOptions.defaults().withMaxOpenUploads(1));

    UploadStatus cancelled = f.registry.startUpload(REPO);
    f.registry.cancelUpload(REPO, cancelled.id());
    UploadStatus completed = f.registry.startUpload(REPO);
    f.registry.completeUpload(REPO, completed.id(), DIGEST, Optional.empty(), in(DATA), -1);
    UploadStatus wrongDigest = f.registry.startUpload(REPO);
    assertError(
        () ->
            f.registry.completeUpload(
                REPO, wrongDigest.id(), Digest.sha256(bytes("x")), Optional.empty(), null, 0),
        ErrorCode.DIGEST_INVALID,
        400);
    f.registry.uploadWhole(REPO, DIGEST, in(DATA), DATA.length);
    assertError(
        () -> f.registry.uploadWhole(REPO, DIGEST, in(DATA), DATA.length + 1),
        ErrorCode.SIZE_INVALID,
        400);

    assertThat(f.registry.openUploads()).isZero();
    assertThat(f.registry.startUpload(REPO).size()).isZero();
  }

  @Test
  void aSessionCancelledTwiceIsCountedOnce() {
    Fixture f = new Fixture(RegistryOptions.defaults().withMaxOpenUploads(2));
    UploadStatus first = f.registry.startUpload(REPO);
    f.registry.startUpload(REPO);
    f.registry.cancelUpload(REPO, first.id());

    assertError(
        () -> f.registry.cancelUpload(REPO, first.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertThat(f.registry.openUploads()).isEqualTo(1);
  }

  // ---- purge -----------------------------------------------------------------------------

  @Test
  void purgeCancelsSessionsIdleForLongerThanAsked() {
    ManualClock clock = new ManualClock();
    InMemoryStorage storage = new InMemoryStorage(clock);
    Registry registry = Registry.create(storage, RegistryOptions.defaults(), clock);
    UploadStatus idle = registry.startUpload(REPO);
    UploadStatus busy = registry.startUpload(REPO);
    clock.advance(Duration.ofHours(1));
    registry.appendChunk(REPO, busy.id(), Optional.empty(), in(DATA), DATA.length);
    clock.advance(Duration.ofMinutes(10));

    int removed = registry.purgeStaleUploads(Duration.ofMinutes(30));

    assertThat(removed).isEqualTo(1);
    assertError(() -> registry.uploadStatus(REPO, idle.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertThat(registry.uploadStatus(REPO, busy.id()).size()).isEqualTo(DATA.length);
    assertThat(registry.openUploads()).isEqualTo(1);
    assertThat(registry.purgeStaleUploads(Duration.ofMinutes(30))).isZero();
  }

  @Test
  void purgeWalksPastOnePageOfStaleSessions() {
    ManualClock clock = new ManualClock();
    InMemoryStorage storage = new InMemoryStorage(clock);
    Registry registry = Registry.create(storage, RegistryOptions.defaults(), clock);
    for (int i = 0; i < 1_205; i++) {
      registry.startUpload(REPO);
    }
    clock.advance(Duration.ofDays(2));

    assertThat(registry.purgeStaleUploads(Duration.ofDays(1))).isEqualTo(1_205);
    assertThat(registry.openUploads()).isZero();
    assertThat(storage.uploads().listStale(Instant.MAX, Optional.empty(), 10).items()).isEmpty();
  }

  @Test
  void purgeCountsSessionsLeftByAnEarlierEngine() {
    InMemoryStorage storage = new InMemoryStorage();
    RegistryOptions two = RegistryOptions.defaults().withMaxOpenUploads(2);
    Registry before = Registry.create(storage, two);
    before.startUpload(REPO);
    before.startUpload(REPO);
    Registry after = Registry.create(storage, two);

    assertThat(after.openUploads()).isZero();
    assertThat(after.purgeStaleUploads(Duration.ofDays(1))).isZero();

    assertThat(after.openUploads()).isEqualTo(2);
    assertError(() -> after.startUpload(REPO), ErrorCode.TOOMANYREQUESTS, 429);
  }

  @Test
  void purgeForgetsSessionsEndedBehindTheEnginesBack() {
    InMemoryStorage storage = new InMemoryStorage();
    RegistryOptions one = RegistryOptions.defaults().withMaxOpenUploads(1);
    Registry first = Registry.create(storage, one);
    Registry second = Registry.create(storage, one);
    UploadStatus session = first.startUpload(REPO);
    second.cancelUpload(REPO, session.id());
    assertThat(first.openUploads()).isEqualTo(1);

    first.purgeStaleUploads(Duration.ofDays(1));

    assertThat(first.openUploads()).isZero();
    assertThat(first.startUpload(REPO).size()).isZero();
  }

  @Test
  void aSessionFoundGoneIsNoLongerCounted() {
    InMemoryStorage storage = new InMemoryStorage();
    Registry first = Registry.create(storage, RegistryOptions.defaults());
    UploadStatus session = first.startUpload(REPO);
    storage.uploads().find(session.id()).orElseThrow().cancel();

    assertError(() -> first.uploadStatus(REPO, session.id()), ErrorCode.BLOB_UPLOAD_UNKNOWN, 404);
    assertThat(first.openUploads()).isZero();
  }

  // ---- blob size -------------------------------------------------------------------------

  private static Fixture limitedTo(long bytes) {
    return new Fixture(RegistryOptions.defaults().withMaxBlobBytes(bytes));
  }

  @Test
  void refusesAWholeBlobOfDeclaredLengthOverTheLimitWithoutReadingIt() {
    Fixture f = limitedTo(DATA.length - 1);

    assertError(
        () -> f.registry.uploadWhole(REPO, DIGEST, unreadable(), DATA.length),
        ErrorCode.SIZE_INVALID,
        413);
    assertThat(f.openSessions()).isEmpty();
    assertThat(f.registry.openUploads()).isZero();
  }

  @Test
  void refusesAStreamedWholeBlobOnceItPassesTheLimit() {
    Fixture f = limitedTo(DATA.length - 1);

    assertError(
        () -> f.registry.uploadWhole(REPO, DIGEST, in(DATA), -1), ErrorCode.SIZE_INVALID, 413);
    assertThat(f.openSessions()).isEmpty();
    assertThat(f.storage.blobs().stat(DIGEST)).isEmpty();
  }

  @Test
  void acceptsABlobOfExactlyTheLimit() {
    Fixture f = limitedTo(DATA.length);

    BlobInfo info = f.registry.uploadWhole(REPO, DIGEST, in(DATA), -1);

    assertThat(info.size()).isEqualTo(DATA.length);
  }

  @Test
  void refusesARangedChunkPastTheLimitBeforeReadingAndKeepsTheSession() {
    Fixture f = limitedTo(DATA.length);
    UploadStatus s = f.registry.startUpload(REPO);
    f.registry.appendChunk(
        REPO, s.id(), range(0, 5_999), in(Arrays.copyOfRange(DATA, 0, 6_000)), 6_000);

    assertError(
        () -> f.registry.appendChunk(REPO, s.id(), range(6_000, 10_000), unreadable(), 4_001),
        ErrorCode.SIZE_INVALID,
        413);

    assertThat(f.registry.uploadStatus(REPO, s.id()).size()).isEqualTo(6_000);
    f.registry.appendChunk(
        REPO, s.id(), range(6_000, 9_999), in(Arrays.copyOfRange(DATA, 6_000, 10_000)), 4_000);
    f.registry.completeUpload(REPO, s.id(), DIGEST, Optional.empty(), null, 0);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }

  @Test
  void refusesAStreamedChunkOnceItPassesTheLimitAndKeepsTheSession() {
    Fixture f = limitedTo(DATA.length);
    UploadStatus s = f.registry.startUpload(REPO);
    f.registry.appendChunk(
        REPO, s.id(), Optional.empty(), in(Arrays.copyOfRange(DATA, 0, 6_000)), -1);

    assertError(
        () -> f.registry.appendChunk(REPO, s.id(), Optional.empty(), in(pattern(4_001)), -1),
        ErrorCode.SIZE_INVALID,
        413);

    assertThat(f.registry.uploadStatus(REPO, s.id()).size()).isEqualTo(6_000);
  }

  @Test
  void refusesAFinalChunkPastTheLimitAndKeepsTheSessionForTheRightOne() {
    Fixture f = limitedTo(DATA.length);
    UploadStatus s = f.registry.startUpload(REPO);
    f.registry.appendChunk(
        REPO, s.id(), Optional.empty(), in(Arrays.copyOfRange(DATA, 0, 6_000)), -1);

    assertError(
        () ->
            f.registry.completeUpload(
                REPO, s.id(), DIGEST, Optional.empty(), in(pattern(5_000)), 5_000),
        ErrorCode.SIZE_INVALID,
        413);
    assertError(
        () -> f.registry.completeUpload(REPO, s.id(), DIGEST, Optional.empty(), in(DATA), -1),
        ErrorCode.SIZE_INVALID,
        413);

    BlobInfo info =
        f.registry.completeUpload(
            REPO,
            s.id(),
            DIGEST,
            Optional.empty(),
            in(Arrays.copyOfRange(DATA, 6_000, 10_000)),
            4_000);
    assertThat(info.digest()).isEqualTo(DIGEST);
  }
}
