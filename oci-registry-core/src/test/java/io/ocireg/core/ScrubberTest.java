package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Storage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScrubberTest {
  private final InMemoryStorage real = new InMemoryStorage();
  private final BlobStore blobs = mock(BlobStore.class, delegatesTo(real.blobs()));
  private final Storage storage = storageWith(blobs);
  private final Fixture f = new Fixture(storage, RegistryOptions.defaults());

  private Storage storageWith(BlobStore b) {
    Storage s = mock(Storage.class, delegatesTo(real));
    when(s.blobs()).thenReturn(b);
    return s;
  }

  /** Makes {@code digest} read back with its first byte flipped, as bit rot would. */
  private void rot(Digest digest, byte[] content) {
    byte[] bad = content.clone();
    bad[0] ^= 1;
    doAnswer(
            call -> {
              long offset = call.getArgument(1);
              long length = call.getArgument(2);
              int end = length < 0 ? bad.length : (int) (offset + length);
              return new ByteArrayInputStream(Arrays.copyOfRange(bad, (int) offset, end));
            })
        .when(blobs)
        .open(eq(digest), anyLong(), anyLong());
  }

  @Test
  void aCleanRegistryScrubsClean() {
    f.pushImage(REPO, "v1", "layer");

    ScrubReport report = Scrubber.of(f.registry).scrub(false);

    assertThat(report.clean()).isTrue();
    assertThat(report.blobsChecked()).isEqualTo(2);
    assertThat(report.manifestsChecked()).isEqualTo(1);
    assertThat(report.toJson()).contains("\"clean\":true");
  }

  @Test
  void reportsACorruptBlobAndQuarantinesItWhenAsked() {
    byte[] content = Fixture.pattern(200_000);
    Descriptor layer = f.blob(REPO, MediaType.OCI_LAYER_GZIP, content);
    rot(layer.digest(), content);

    ScrubReport reported = Scrubber.of(f.registry).scrub(false);
    assertThat(reported.corruptBlobs()).singleElement().asString().startsWith(layer.digest() + ":");
    assertThat(real.blobs().stat(layer.digest())).isPresent();

    ScrubReport quarantined = Scrubber.of(f.registry).scrub(true);
    assertThat(quarantined.quarantined()).isEqualTo(1);
    assertThat(real.blobs().stat(layer.digest())).isEmpty();
    Fixture.assertError(
        () -> f.registry.blobInfo(REPO, layer.digest()),
        io.ocireg.spec.ErrorCode.BLOB_UNKNOWN,
        404);
  }

  @Test
  void reportsAManifestRecordThatNoLongerMatchesItsDigest() {
    Descriptor m = f.pushImage(REPO, "v1", "layer");
    ManifestRecord good = real.metadata().getManifest(REPO, m.digest()).orElseThrow();
    byte[] bad = good.content().clone();
    bad[bad.length - 1] = ' ';
    real.metadata()
        .putManifest(REPO, new ManifestRecord(m.digest(), good.mediaType(), bad, Instant.now(), 0));

    ScrubReport report = Scrubber.of(f.registry).scrub(false);

    assertThat(report.corruptManifests()).containsExactly(REPO + "@" + m.digest());
    assertThatThrownBy(() -> f.registry.getManifest(REPO, Tag.parse("v1")))
        .hasMessageContaining("does not match its digest");
  }

  @Test
  void aWholeReadOfACorruptBlobFailsBeforeItsLastBytes() throws IOException {
    byte[] content = Fixture.pattern(300_000);
    Descriptor layer = f.blob(REPO, MediaType.OCI_LAYER_GZIP, content);
    rot(layer.digest(), content);

    try (BlobContent blob = f.registry.openBlob(REPO, layer.digest(), Optional.empty());
        InputStream in = blob.stream()) {
      byte[] buffer = new byte[64 * 1024];
      long delivered = 0;
      IOException failure = null;
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          delivered += n;
        }
      } catch (IOException e) {
        failure = e;
      }
      assertThat(failure).isNotNull().hasMessageContaining("corrupt");
      assertThat(delivered).isLessThan(content.length);
    }
  }

  @Test
  void aWholeReadOfAGoodBlobIsUnchanged() {
    byte[] content = Fixture.pattern(300_000);
    Descriptor layer = f.blob(REPO, MediaType.OCI_LAYER_GZIP, content);

    assertThat(f.read(REPO, layer.digest())).isEqualTo(content);
  }

  @Test
  void anEmptyBlobVerifies() {
    Descriptor empty = f.blob(REPO, MediaType.OCI_CONFIG, new byte[0]);

    assertThat(f.read(REPO, empty.digest())).isEmpty();
  }
}
