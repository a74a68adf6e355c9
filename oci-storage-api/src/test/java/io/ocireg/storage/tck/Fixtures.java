package io.ocireg.storage.tck;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/** Values and small tools shared by the contract tests. */
final class Fixtures {
  /** Instants with millisecond precision: what every backend must keep exactly. */
  static final Instant T1 = Instant.parse("2024-01-02T03:04:05.123Z");

  static final Instant T2 = Instant.parse("2024-06-07T08:09:10.456Z");

  private Fixtures() {}

  static RepositoryName repo(String name) {
    return RepositoryName.parse(name);
  }

  static Tag tag(String name) {
    return Tag.parse(name);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Digest sha256(byte[] bytes) {
    return Digest.sha256(bytes);
  }

  static Digest sha512(byte[] bytes) {
    return Digest.of(Digest.SHA512, bytes);
  }

  /** A syntactically valid sha256 digest made from a small number, for metadata tests. */
  static Digest fakeDigest(int n) {
    return Digest.sha256(utf8("fake-" + n));
  }

  /** Uploads {@code bytes} in one append and commits them under their sha256 digest. */
  static BlobInfo putBlob(Storage storage, byte[] bytes) {
    BlobUpload upload = storage.uploads().create(repo("contract/blobs"));
    upload.append(0, new ByteArrayInputStream(bytes));
    return upload.commit(sha256(bytes));
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hashes a stream to its end without holding it. */
  static Digest hash(String algorithm, InputStream in) {
    MessageDigest md = Digest.newMessageDigest(algorithm);
    byte[] buffer = new byte[64 * 1024];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Digest.fromHash(algorithm, md.digest());
  }

  static ManifestRecord manifest(String json, Instant pushedAt) {
    byte[] content = utf8(json);
    return new ManifestRecord(
        sha256(content), MediaType.OCI_MANIFEST, content, pushedAt, 1000 + json.length());
  }

  static TagRecord tagRecord(String tag, Digest digest) {
    return new TagRecord(tag(tag), digest, T1);
  }

  /** A referrer descriptor with the fields the referrers API returns. */
  static Descriptor referrer(int n, String artifactType) {
    return Descriptor.of(MediaType.OCI_MANIFEST, fakeDigest(n), 500 + n)
        .withArtifactType(Optional.of(MediaType.of(artifactType)))
        .withAnnotations(Map.of("org.example.n", Integer.toString(n), "org.example.kind", "sbom"));
  }

  /**
   * Walks a listing page by page with {@code pageSize}, checking on the way that every page but the
   * last is full and says {@code hasMore}, and the last one does not.
   */
  static <T> List<T> drain(BiFunction<Optional<T>, Integer, Page<T>> lister, int pageSize) {
    List<T> all = new ArrayList<>();
    Optional<T> after = Optional.empty();
    for (int guard = 0; guard < 10_000; guard++) {
      Page<T> page = lister.apply(after, pageSize);
      if (page.items().size() > pageSize) {
        throw new AssertionError("page of " + page.items().size() + " items for limit " + pageSize);
      }
      all.addAll(page.items());
      if (!page.hasMore()) {
        return all;
      }
      if (page.items().size() != pageSize) {
        throw new AssertionError("hasMore on a page that is not full: " + page);
      }
      after = Optional.of(page.items().get(page.items().size() - 1));
    }
    throw new AssertionError("listing does not end");
  }

  /**
   * Deterministic pseudo-random bytes {@code [offset, offset + length)} of an endless sequence
   * picked by {@code seed}: any slice can be generated again without keeping the bytes.
   */
  static InputStream generated(long seed, long offset, long length) {
    return new GeneratedStream(seed, offset, offset + length);
  }

  static byte[] generatedBytes(long seed, long offset, int length) {
    return readAll(generated(seed, offset, length));
  }

  /** A stream that yields {@code prefix} and then fails with {@code failure}. */
  static InputStream failingAfter(byte[] prefix, Exception failure) {
    return new InputStream() {
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos == prefix.length) {
          if (failure instanceof IOException io) {
            throw io;
          }
          throw (RuntimeException) failure;
        }
        int n = Math.min(len, prefix.length - pos);
        System.arraycopy(prefix, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /**
   * Starts all {@code tasks} at once on their own threads and returns their outcomes in order: the
   * value, or the exception the task threw.
   */
  static List<Object> runTogether(List<Callable<?>> tasks) {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch ready = new CountDownLatch(tasks.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (Callable<?> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return task.call();
                }));
      }
      ready.await();
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<?> future : futures) {
        try {
          // A generous bound only to turn a deadlock into a failure; never a speed requirement.
          outcomes.add(future.get(5, TimeUnit.MINUTES));
        } catch (ExecutionException e) {
          outcomes.add(e.getCause());
        } catch (TimeoutException e) {
          throw new AssertionError("task did not finish: deadlock?", e);
        }
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A stream that pauses before its first byte so that concurrent appends overlap, which makes an
   * unguarded offset check fail. The pause only widens the race; no result depends on it.
   */
  static InputStream slowStart(InputStream in) {
    return new FilterInputStream(in) {
      private boolean started;

      @Override
      public int read() throws IOException {
        pause();
        return super.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        pause();
        return super.read(b, off, len);
      }

      private void pause() throws IOException {
        if (!started) {
          started = true;
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        }
      }
    };
  }

  private static final class GeneratedStream extends InputStream {
    private final long seed;
    private long pos;
    private final long end;

    GeneratedStream(long seed, long start, long end) {
      this.seed = seed;
      this.pos = start;
      this.end = end;
    }

    private byte at(long p) {
      long z = seed + (p >>> 3) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      return (byte) (z >>> ((p & 7) * 8));
    }

    @Override
    public int read() {
      return pos < end ? at(pos++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int n = (int) Math.min(len, end - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = at(pos++);
      }
      return n;
    }
  }
}
