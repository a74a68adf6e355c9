package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.in;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code POST /blobs/uploads/} as the engine decides it, from the raw query parameters. */
class UploadStartTest {
  private static final byte[] DATA = bytes("the blob");
  private static final Digest DIGEST = Digest.sha256(DATA);

  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  private static InputStream unreadable() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        throw new AssertionError("the body must not be read");
      }
    };
  }

  private UploadStart post(String mount, String from, String digest, InputStream body) {
    return registry.startOrMount(
        REPO,
        Optional.ofNullable(mount),
        Optional.ofNullable(from),
        Optional.ofNullable(digest),
        body,
        -1);
  }

  @Test
  void withoutParametersOpensASession() {
    UploadStart start = post(null, null, null, unreadable());

    assertThat(start).isInstanceOf(UploadStart.Started.class);
    UploadStatus session = ((UploadStart.Started) start).session();
    assertThat(session.size()).isZero();
    assertThat(f.openSessions()).containsExactly(session.id());
  }

  @Test
  void withADigestStoresTheWholeBlob() {
    UploadStart start = post(null, null, DIGEST.toString(), in(DATA));

    assertThat(start).isEqualTo(new UploadStart.Stored(registry.blobInfo(REPO, DIGEST)));
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void withADigestOpensASessionWhenSinglePostUploadIsOff() {
    Registry strict = new Fixture(RegistryOptions.defaults().withSinglePostUpload(false)).registry;

    UploadStart start =
        strict.startOrMount(
            REPO,
            Optional.empty(),
            Optional.empty(),
            Optional.of("not even a digest"),
            unreadable(),
            8);

    assertThat(start).isInstanceOf(UploadStart.Started.class);
  }

  @Test
  void aMalformedDigestOrMountIsDigestInvalid() {
    assertError(() -> post(null, null, "sha256:nope", in(DATA)), ErrorCode.DIGEST_INVALID, 400);
    assertError(() -> post(null, null, "", in(DATA)), ErrorCode.DIGEST_INVALID, 400);
    assertError(() -> post("nope", "other/app", null, null), ErrorCode.DIGEST_INVALID, 400);
    assertThat(f.openSessions()).isEmpty();
  }

  @Test
  void mountsFromTheNamedRepository() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, DATA);

    UploadStart start = post(blob.digest().toString(), OTHER.value(), null, unreadable());

    assertThat(start).isInstanceOf(UploadStart.Mounted.class);
    assertThat(((UploadStart.Mounted) start).blob().digest()).isEqualTo(blob.digest());
    assertThat(f.read(REPO, blob.digest())).isEqualTo(DATA);
  }

  @Test
  void anEmptyFromIsNoFrom() {
    f.blob(OTHER, MediaType.OCTET_STREAM, DATA);

    assertThat(post(DIGEST.toString(), "", null, unreadable()))
        .isInstanceOf(UploadStart.Mounted.class);
  }

  @Test
  void aFromThatIsNotANameOpensASessionInsteadOfAWiderMount() {
    f.blob(OTHER, MediaType.OCTET_STREAM, DATA);

    UploadStart start = post(DIGEST.toString(), "Not..A/Name", null, unreadable());

    assertThat(start).isInstanceOf(UploadStart.Started.class);
    assertError(() -> registry.blobInfo(REPO, DIGEST), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void mountTakesPrecedenceOverDigest() {
    f.blob(OTHER, MediaType.OCTET_STREAM, DATA);
    byte[] other = bytes("another blob");

    UploadStart mounted =
        post(DIGEST.toString(), OTHER.value(), Digest.sha256(other).toString(), unreadable());
    assertThat(mounted).isInstanceOf(UploadStart.Mounted.class);

    // A failed mount opens a session; the digest and the body are not used.
    Digest absent = Digest.sha256(bytes("nowhere"));
    UploadStart failed =
        post(absent.toString(), OTHER.value(), Digest.sha256(other).toString(), unreadable());
    assertThat(failed).isInstanceOf(UploadStart.Started.class);
    assertError(() -> registry.blobInfo(REPO, Digest.sha256(other)), ErrorCode.BLOB_UNKNOWN, 404);
  }

  // ---- closing a session with the raw digest parameter -------------------------------------

  @Test
  void aPutWithoutADigestIsDigestInvalidAndKeepsTheSession() {
    UploadStatus s = registry.startUpload(REPO);
    registry.appendChunk(REPO, s.id(), Optional.empty(), in(DATA), DATA.length);

    for (Optional<String> digest : java.util.List.of(Optional.<String>empty(), Optional.of(""))) {
      assertError(
          () -> registry.completeUpload(REPO, s.id(), digest, Optional.empty(), null, 0),
          ErrorCode.DIGEST_INVALID,
          400);
    }
    assertError(
        () ->
            registry.completeUpload(
                REPO, s.id(), Optional.of("sha256:nope"), Optional.empty(), null, 0),
        ErrorCode.DIGEST_INVALID,
        400);

    assertThat(registry.uploadStatus(REPO, s.id()).size()).isEqualTo(DATA.length);
    registry.completeUpload(
        REPO, s.id(), Optional.of(DIGEST.toString()), Optional.empty(), null, 0);
    assertThat(f.read(REPO, DIGEST)).isEqualTo(DATA);
  }
}
