package io.ocireg.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.DigestMismatchException;
import io.ocireg.storage.Storage;
import io.ocireg.storage.UploadNotFoundException;
import io.ocireg.storage.UploadOffsetException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A storage under test next to a plain model of what its blobs and upload sessions should be. Each
 * operation runs on the storage, checks the outcome the model predicts, and updates the model.
 */
final class UploadModel {
  private static final RepositoryName REPO = RepositoryName.parse("model/repo");

  /** One session ever opened; ended sessions stay so that late calls on them are tried too. */
  static final class Session {
    final BlobUpload handle;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean open = true;

    Session(BlobUpload handle) {
      this.handle = handle;
    }
  }

  final Storage storage;
  final List<Session> sessions = new ArrayList<>();

  /** Committed blobs by digest wire form, so the map's order is the listing order. */
  final Map<String, byte[]> blobs = new TreeMap<>();

  UploadModel(Storage storage) {
    this.storage = storage;
  }

  boolean hasSessions() {
    return !sessions.isEmpty();
  }

  void create() {
    BlobUpload upload = storage.uploads().create(REPO);
    assertThat(upload.size()).isZero();
    sessions.add(new Session(upload));
  }

  void append(int index, byte[] chunk, int offsetShift) {
    Session s = sessions.get(index);
    long offset = Math.max(0, s.bytes.size() + offsetShift);
    ByteArrayInputStream in = new ByteArrayInputStream(chunk);
    if (!s.open) {
      assertThatThrownBy(() -> s.handle.append(offset, in))
          .isInstanceOf(UploadNotFoundException.class);
    } else if (offset != s.bytes.size()) {
      UploadOffsetException e =
          catchThrowableOfType(UploadOffsetException.class, () -> s.handle.append(offset, in));
      assertThat(e).as("append at %d to %d bytes", offset, s.bytes.size()).isNotNull();
      assertThat(e.currentSize()).isEqualTo(s.bytes.size());
    } else {
      assertThat(s.handle.append(offset, in)).isEqualTo(s.bytes.size() + chunk.length);
      s.bytes.writeBytes(chunk);
    }
  }

  void failingAppend(int index, byte[] before) {
    Session s = sessions.get(index);
    IOException failure = new IOException("connection reset");
    if (!s.open) {
      assertThatThrownBy(
              () -> s.handle.append(s.bytes.size(), Fixtures.failingAfter(before, failure)))
          .isInstanceOf(UploadNotFoundException.class);
    } else {
      assertThatThrownBy(
              () -> s.handle.append(s.bytes.size(), Fixtures.failingAfter(before, failure)))
          .isInstanceOf(UncheckedIOException.class);
    }
  }

  void commit(int index, boolean rightDigest, String algorithm) {
    Session s = sessions.get(index);
    byte[] content = s.bytes.toByteArray();
    Digest actual = Digest.of(algorithm, content);
    Digest claimed = rightDigest ? actual : Digest.of(algorithm, Fixtures.utf8("not " + actual));
    if (!s.open) {
      assertThatThrownBy(() -> s.handle.commit(claimed))
          .isInstanceOf(UploadNotFoundException.class);
      return;
    }
    s.open = false;
    if (rightDigest) {
      BlobInfo info = s.handle.commit(claimed);
      assertThat(info.digest()).isEqualTo(actual);
      assertThat(info.size()).isEqualTo(content.length);
      blobs.put(actual.toString(), content);
    } else {
      DigestMismatchException e =
          catchThrowableOfType(DigestMismatchException.class, () -> s.handle.commit(claimed));
      assertThat(e).isNotNull();
      assertThat(e.actual()).isEqualTo(actual);
    }
  }

  void cancel(int index) {
    Session s = sessions.get(index);
    s.handle.cancel();
    s.open = false;
  }

  /** Deletes the {@code pick}-th stored blob, or a digest never stored when there is none. */
  void delete(int pick) {
    List<String> stored = new ArrayList<>(blobs.keySet());
    if (stored.isEmpty()) {
      assertThat(storage.blobs().delete(Fixtures.fakeDigest(pick))).isFalse();
      return;
    }
    String victim = stored.get(pick % stored.size());
    assertThat(storage.blobs().delete(Digest.parse(victim))).isTrue();
    blobs.remove(victim);
  }

  /** The storage holds exactly the model's blobs and open sessions. */
  void matchesStorage() {
    assertThat(
            Fixtures.drain(
                (Optional<Digest> after, Integer limit) -> storage.blobs().list(after, limit), 3))
        .map(Digest::toString)
        .containsExactlyElementsOf(blobs.keySet());
    blobs.forEach(
        (digest, content) ->
            assertThat(Fixtures.readAll(storage.blobs().open(Digest.parse(digest), 0, -1)))
                .isEqualTo(content));
    List<String> open = new ArrayList<>();
    for (Session s : sessions) {
      Optional<BlobUpload> found = storage.uploads().find(s.handle.id());
      assertThat(found.isPresent()).as("session %s open", s.handle.id()).isEqualTo(s.open);
      if (s.open) {
        assertThat(found.get().size()).isEqualTo(s.bytes.size());
        open.add(s.handle.id());
      }
    }
    assertThat(
            storage
                .uploads()
                .listStale(Instant.now().plusSeconds(3600), Optional.empty(), 1000)
                .items())
        .containsExactlyElementsOf(open.stream().sorted().toList());
  }

  @Override
  public String toString() {
    return sessions.size() + " sessions, " + blobs.size() + " blobs";
  }
}
