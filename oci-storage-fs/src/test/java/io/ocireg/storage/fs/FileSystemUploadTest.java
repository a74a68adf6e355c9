package io.ocireg.storage.fs;

import static io.ocireg.storage.fs.TestData.bytes;
import static io.ocireg.storage.fs.TestData.filesUnder;
import static io.ocireg.storage.fs.TestData.hash;
import static io.ocireg.storage.fs.TestData.readAll;
import static io.ocireg.storage.fs.TestData.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload sessions on disk: restarts, concurrent commits, large streamed blobs. */
class FileSystemUploadTest {
  @TempDir Path root;

  @Test
  void resumesUploadAfterRestart() {
    byte[] first = bytes(1, 300_000);
    byte[] second = bytes(2, 200_000);
    String id;
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      BlobUpload upload = storage.uploads().create(repo("org/app"));
      upload.append(0, new ByteArrayInputStream(first));
      id = upload.id();
    }

    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      BlobUpload resumed = storage.uploads().find(id).orElseThrow();
      assertThat(resumed.size()).isEqualTo(first.length);
      assertThat(resumed.repository()).isEqualTo(repo("org/app"));
      resumed.append(first.length, new ByteArrayInputStream(second));
      byte[] all = concat(first, second);
      // The running hash did not see the first part: the commit must reread the file.
      BlobInfo info = resumed.commit(Digest.sha256(all));

      assertThat(info.size()).isEqualTo(all.length);
      assertThat(hash(Digest.SHA256, storage.blobs().open(info.digest(), 0, -1)))
          .isEqualTo(Digest.sha256(all));
      assertThat(storage.uploads().find(id)).isEmpty();
    }
  }

  @Test
  void resumedUploadCommitsUnderSha512Too() {
    byte[] content = bytes(3, 100_000);
    String id;
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      BlobUpload upload = storage.uploads().create(repo("a"));
      upload.append(0, new ByteArrayInputStream(content));
      id = upload.id();
    }
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      Digest sha512 = Digest.of(Digest.SHA512, content);

      BlobInfo info = storage.uploads().find(id).orElseThrow().commit(sha512);

      assertThat(info.digest()).isEqualTo(sha512);
      assertThat(readAll(storage.blobs().open(sha512, 0, -1))).isEqualTo(content);
    }
  }

  @Test
  void eightSessionsCommittingTheSameMegabyteBlobAllSucceed() throws Exception {
    byte[] content = bytes(8, 1 << 20);
    Digest digest = Digest.sha256(content);
    int sessions = 8;
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      List<BlobUpload> uploads = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        BlobUpload upload = storage.uploads().create(repo("race"));
        upload.append(0, new ByteArrayInputStream(content));
        uploads.add(upload);
      }
      ExecutorService pool = Executors.newFixedThreadPool(sessions);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BlobInfo>> results = new ArrayList<>();
        for (BlobUpload u : uploads) {
          results.add(
              pool.submit(
                  () -> {
                    go.await();
                    return u.commit(digest);
                  }));
        }
        go.countDown();
        for (Future<BlobInfo> r : results) {
          // Only a bound against a deadlock, never a speed requirement.
          BlobInfo info = r.get(5, TimeUnit.MINUTES);
          assertThat(info.digest()).isEqualTo(digest);
          assertThat(info.size()).isEqualTo(content.length);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(hash(Digest.SHA256, storage.blobs().open(digest, 0, -1))).isEqualTo(digest);
      assertThat(storage.blobs().list(Optional.empty(), 10).items()).containsExactly(digest);
      assertThat(root.resolve("uploads")).isEmptyDirectory();
      assertThat(root.resolve("tmp")).isEmptyDirectory();
    }
  }

  @Test
  void streamsASixtyFourMegabyteBlobInMegabyteChunks() {
    int chunk = 1 << 20;
    int chunks = 64;
    long seed = 64;
    Digest expected = hash(Digest.SHA256, new GeneratedStream(seed, (long) chunk * chunks));
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      BlobUpload upload = storage.uploads().create(repo("big"));
      // One stream generated on the fly, cut in chunks: no whole blob is ever in this test either.
      GeneratedStream source = new GeneratedStream(seed, (long) chunk * chunks);
      for (int i = 0; i < chunks; i++) {
        long offset = (long) i * chunk;
        assertThat(upload.append(offset, limited(source, chunk))).isEqualTo(offset + chunk);
      }

      BlobInfo info = upload.commit(expected);

      assertThat(info.size()).isEqualTo((long) chunk * chunks);
      assertThat(hash(Digest.SHA256, storage.blobs().open(expected, 0, -1))).isEqualTo(expected);
      assertThat(filesUnder(root.resolve("blobs")))
          .containsExactly(
              "sha256/" + expected.encoded().substring(0, 2) + "/" + expected.encoded());
    }
  }

  @Test
  void staleListingUsesTheLastWriteOfTheData() throws Exception {
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      BlobUpload old = storage.uploads().create(repo("a"));
      BlobUpload fresh = storage.uploads().create(repo("a"));
      Path oldData = root.resolve("uploads/" + old.id() + "/data");
      Files.setLastModifiedTime(
          oldData,
          java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2020-01-01T00:00:00Z")));

      assertThat(
              storage
                  .uploads()
                  .listStale(java.time.Instant.parse("2021-01-01T00:00:00Z"), Optional.empty(), 10)
                  .items())
          .containsExactly(old.id());
      assertThat(fresh.size()).isZero();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** The next {@code n} bytes of {@code in}, without closing it. */
  private static InputStream limited(InputStream in, long n) {
    return new InputStream() {
      private long left = n;

      @Override
      public int read() throws java.io.IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (left <= 0) {
          return -1;
        }
        int r = in.read(b, off, (int) Math.min(len, left));
        if (r > 0) {
          left -= r;
        }
        return r;
      }
    };
  }

  /** Pseudo-random bytes made on the fly, 8 KiB of state at most. */
  static final class GeneratedStream extends InputStream {
    private final SplittableRandom random;
    private long left;
    private final byte[] block = new byte[8192];
    private int blockPos = block.length;

    GeneratedStream(long seed, long length) {
      this.random = new SplittableRandom(seed);
      this.left = length;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      if (blockPos == block.length) {
        random.nextBytes(block);
        blockPos = 0;
      }
      int n = (int) Math.min(Math.min(len, block.length - blockPos), left);
      System.arraycopy(block, blockPos, b, off, n);
      blockPos += n;
      left -= n;
      return n;
    }
  }
}
