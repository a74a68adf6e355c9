package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.storage.BlobInfo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Chunked uploads, however split and sent, store exactly the blob a whole upload would. */
class UploadProperties {

  /** How one chunk travels: with a Content-Range or streamed, with a Content-Length or without. */
  record Chunk(int from, int to, boolean withRange, boolean withLength) {
    int length() {
      return to - from;
    }
  }

  /**
   * A blob, the chunks it is cut into, whether the last chunk rides on the closing PUT, and which
   * algorithm the client names it with.
   */
  record Plan(byte[] data, List<Chunk> chunks, boolean lastOnPut, String algorithm) {
    @Override
    public String toString() {
      return data.length + " bytes in " + chunks + ", last on PUT " + lastOnPut + ", " + algorithm;
    }
  }

  @Provide
  Arbitrary<Plan> plans() {
    // Sizes around the in-memory segment size (64 KiB) and tiny ones matter most.
    Arbitrary<Integer> size =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300),
            Arbitraries.integers().between(65_000, 140_000),
            Arbitraries.of(0, 1, 65_535, 65_536, 65_537));
    Arbitrary<Long> seed = Arbitraries.longs();
    Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(0, 1000).list().ofMaxSize(8);
    Arbitrary<List<Integer>> modes = Arbitraries.integers().between(0, 3).list().ofSize(9);
    Arbitrary<Boolean> lastOnPut = Arbitraries.of(true, false);
    Arbitrary<String> algorithm = Arbitraries.of(Digest.SHA256, Digest.SHA512);
    return Combinators.combine(size, seed, cuts, modes, lastOnPut, algorithm)
        .as(UploadProperties::plan);
  }

  private static Plan plan(
      int size,
      long seed,
      List<Integer> cuts,
      List<Integer> modes,
      boolean lastOnPut,
      String algorithm) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    List<Integer> points = new ArrayList<>();
    points.add(0);
    cuts.stream().map(c -> (int) ((long) c * size / 1000)).sorted().forEach(points::add);
    points.add(size);
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i + 1 < points.size(); i++) {
      int mode = modes.get(i);
      chunks.add(new Chunk(points.get(i), points.get(i + 1), (mode & 1) != 0, (mode & 2) != 0));
    }
    return new Plan(data, chunks, lastOnPut, algorithm);
  }

  private static InputStream body(Plan plan, Chunk c) {
    return new ByteArrayInputStream(Arrays.copyOfRange(plan.data(), c.from(), c.to()));
  }

  private static Optional<ContentRange> range(Chunk c) {
    return c.withRange() ? Optional.of(new ContentRange(c.from(), c.to() - 1L)) : Optional.empty();
  }

  /** Sends every chunk but the last by PATCH; the last by PATCH too unless it rides on the PUT. */
  private static BlobInfo upload(Registry registry, Plan plan, Digest digest) {
    String id = registry.startUpload(REPO).id();
    List<Chunk> chunks = plan.chunks();
    int patched = plan.lastOnPut() ? chunks.size() - 1 : chunks.size();
    for (int i = 0; i < patched; i++) {
      Chunk c = chunks.get(i);
      UploadStatus status =
          registry.appendChunk(REPO, id, range(c), body(plan, c), c.withLength() ? c.length() : -1);
      assertThat(status.size()).isEqualTo(c.to());
    }
    if (plan.lastOnPut()) {
      Chunk last = chunks.get(chunks.size() - 1);
      return registry.completeUpload(
          REPO, id, digest, range(last), body(plan, last), last.withLength() ? last.length() : -1);
    }
    return registry.completeUpload(REPO, id, digest, Optional.empty(), null, 0);
  }

  @Property(tries = 150)
  void chunkedUploadsStoreTheBlobUnderItsDigest(@ForAll("plans") Plan plan) {
    Fixture f = new Fixture();
    Digest digest = Digest.of(plan.algorithm(), plan.data());

    BlobInfo info = upload(f.registry, plan, digest);

    assertThat(info.digest()).isEqualTo(digest);
    assertThat(info.size()).isEqualTo(plan.data().length);
    assertThat(f.read(REPO, digest)).isEqualTo(plan.data());
    assertThat(f.openSessions()).isEmpty();
  }

  @Property(tries = 150)
  void aWrongDigestStoresNothingAndEndsTheSession(
      @ForAll("plans") Plan plan, @ForAll boolean appendAByte) {
    Fixture f = new Fixture();
    byte[] other =
        appendAByte ? Arrays.copyOf(plan.data(), plan.data().length + 1) : flipLast(plan.data());
    Digest wrong = Digest.of(plan.algorithm(), other);
    Digest right = Digest.of(plan.algorithm(), plan.data());

    Fixture.assertError(() -> upload(f.registry, plan, wrong), ErrorCode.DIGEST_INVALID, 400);

    for (Digest d : List.of(wrong, right)) {
      assertThat(f.storage.blobs().stat(d)).isEmpty();
      assertThat(f.storage.metadata().isBlobLinked(REPO, d)).isFalse();
    }
    assertThat(f.openSessions()).isEmpty();
  }

  private static byte[] flipLast(byte[] data) {
    if (data.length == 0) {
      return new byte[] {0};
    }
    byte[] copy = data.clone();
    copy[copy.length - 1] ^= 1;
    return copy;
  }
}
