package io.ocireg.core;

import static io.ocireg.core.Fixture.image;
import static io.ocireg.core.Fixture.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.CollectionLock;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A collector and a serving registry as two engines over one storage, as a {@code gc} command next
 * to a running server: they share nothing but the storage and its {@link CollectionLock} (here a
 * read-write lock standing in for the lock file), so the collector sees none of the server's pins.
 * The collection is stopped between its re-check of a candidate and the delete, and the server runs
 * a push that reuses the candidate in that gap; or the server pushes an index over a child between
 * the collector's mark and its re-check. Whatever the server acknowledged must still be whole
 * afterwards.
 *
 * <p>With {@link CollectionLock#NONE} the four gap tests fail (the push is acknowledged, then the
 * delete removes what it reused); without the renewal of an index's children the last one fails.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GcCrossProcessRaceTest {
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static final GcOptions OPTIONS =
      GcOptions.defaults()
          .withGracePeriod(GRACE)
          .withUntaggedToKeep(0)
          .withRemoveEmptyRepositories(true);
  private static final RepositoryName SOURCE = RepositoryName.parse("race/source");
  private static final RepositoryName TARGET = RepositoryName.parse("race/target");

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final InMemoryStorage real = new InMemoryStorage(clock);
  private final ProcessLock lock = new ProcessLock();
  private final Fixture server =
      new Fixture(withLock(real, lock), RegistryOptions.defaults(), clock);
  private final Hooks hooks = new Hooks();
  private final Registry collector =
      Registry.create(hooks.wrap(withLock(real, lock)), RegistryOptions.defaults(), clock);

  @Test
  void mountInTheServerOfABlobTheCollectorIsDeletingNeverLeavesAnImageWithoutIt() throws Exception {
    Descriptor old = orphanBlob("old layer");
    hooks.before("blob", a -> a[0].equals(old.digest()), () -> pushImage("mounted", old, true));

    collect(true);

    assertImageComplete("mounted", old);
  }

  @Test
  void uploadInTheServerOfADigestTheCollectorIsDeletingEndsWithTheBlobStored() throws Exception {
    Descriptor old = orphanBlob("old layer");
    hooks.before("blob", a -> a[0].equals(old.digest()), () -> pushImage("uploaded", old, false));

    collect(true);

    assertImageComplete("uploaded", old);
  }

  @Test
  void manifestInTheServerOverABlobWhoseLinkTheCollectorIsRemovingKeepsItsBlob() throws Exception {
    Descriptor old = server.layer(TARGET, "old layer");
    clock.advance(GRACE.plusSeconds(1));
    hooks.before(
        "link",
        a -> a[0].equals(TARGET) && a[1].equals(old.digest()),
        () -> pushImage("referencing", old, false));

    collect(true);

    assertImageComplete("referencing", old);
  }

  @Test
  void indexInTheServerOverAChildTheCollectorIsDeletingKeepsItsChild() throws Exception {
    Descriptor child = untaggedOldChild();
    hooks.before(
        "manifest",
        a -> a[0].equals(TARGET) && a[1].equals(child.digest()),
        () -> pushIndex(child));

    collect(true);

    assertIndexComplete();
  }

  @Test
  void indexPushedInTheServerAfterTheMarkKeepsTheChildTheMarkFoundDead() throws Exception {
    Descriptor child = untaggedOldChild();
    // The mark of the repository has read its manifests and tags when it lists its links.
    hooks.before("links", a -> a[0].equals(TARGET), () -> pushIndex(child));

    collect(false);

    assertIndexComplete();
  }

  // ---- the collection and the pushes -----------------------------------------------------

  private void collect(boolean deleteGoesAhead) throws Exception {
    GcReport report = GarbageCollector.of(collector).collect(OPTIONS);
    assertThat(hooks.reached()).as("the collection reached the hook").isTrue();
    hooks.push().get(1, TimeUnit.MINUTES);
    if (deleteGoesAhead) {
      assertThat(report.swept()).as("the paused delete went ahead").isNotEmpty();
    }
  }

  private Descriptor orphanBlob(String content) {
    Descriptor d = server.layer(SOURCE, content);
    clock.advance(GRACE.plusSeconds(1));
    return d;
  }

  /** A child manifest stored by digest, older than grace, that no tag or index names. */
  private Descriptor untaggedOldChild() {
    Descriptor child =
        server.pushByDigest(
            TARGET,
            MediaType.OCI_MANIFEST,
            image(server.config(TARGET), server.layer(TARGET, "platform layer")));
    server.push(TARGET, "keep-repository", MediaType.OCI_MANIFEST, image(server.config(TARGET)));
    clock.advance(GRACE.plusSeconds(1));
    return child;
  }

  /**
   * Pushes, through the server, a fresh config and the reused {@code layer} (mounted, or uploaded
   * again), then the manifest; on {@code MANIFEST_BLOB_UNKNOWN} (refused, not acknowledged) it
   * sends the layer again and retries, as a client does.
   */
  private Void pushImage(String tag, Descriptor layer, boolean mount) {
    byte[] content = Fixture.bytes("old layer");
    Descriptor config =
        server.blob(TARGET, MediaType.OCI_CONFIG, Fixture.bytes("{\"t\":\"" + tag + "\"}"));
    return retryingOnBlobUnknown(
        () -> {
          if (!mount || server.registry.mount(TARGET, layer.digest(), Optional.empty()).isEmpty()) {
            server.registry.uploadWhole(
                TARGET, layer.digest(), Fixture.in(content), content.length);
          }
          server.push(TARGET, tag, MediaType.OCI_MANIFEST, image(config, layer));
        },
        () ->
            server.registry.uploadWhole(
                TARGET, layer.digest(), Fixture.in(content), content.length));
  }

  /** An index over {@code child}, without pushing the child again unless it is refused. */
  private Void pushIndex(Descriptor child) {
    byte[] childBody = real.metadata().getManifest(TARGET, child.digest()).orElseThrow().content();
    return retryingOnBlobUnknown(
        () -> server.push(TARGET, "multi", MediaType.OCI_INDEX, index(child)),
        () -> {
          server.config(TARGET);
          server.layer(TARGET, "platform layer");
          server.registry.putManifest(TARGET, child.digest(), MediaType.OCI_MANIFEST, childBody);
        });
  }

  private static Void retryingOnBlobUnknown(Runnable push, Runnable repair) {
    for (int attempt = 0; ; attempt++) {
      try {
        push.run();
        return null;
      } catch (RegistryException e) {
        if (e.code() != ErrorCode.MANIFEST_BLOB_UNKNOWN || attempt > 3) {
          throw e;
        }
        repair.run();
      }
    }
  }

  private void assertImageComplete(String tag, Descriptor reused) {
    ManifestRecord record = server.registry.getManifest(TARGET, Tag.parse(tag));
    Manifest m = Manifest.parse(record.content(), record.mediaType());
    assertThat(m.references()).extracting(Descriptor::digest).contains(reused.digest());
    for (Descriptor d : m.references()) {
      assertThat(Digest.sha256(server.read(TARGET, d.digest())))
          .as("%s of %s:%s after the collection", d.digest(), TARGET, tag)
          .isEqualTo(d.digest());
    }
  }

  private void assertIndexComplete() {
    ManifestRecord top = server.registry.getManifest(TARGET, Tag.parse("multi"));
    for (Descriptor d : Manifest.parse(top.content(), top.mediaType()).references()) {
      ManifestRecord record = server.registry.getManifest(TARGET, d.digest());
      assertThat(Digest.sha256(record.content())).isEqualTo(d.digest());
      for (Descriptor blob : Manifest.parse(record.content(), record.mediaType()).references()) {
        assertThat(Digest.sha256(server.read(TARGET, blob.digest()))).isEqualTo(blob.digest());
      }
    }
  }

  // ---- the shared storage ----------------------------------------------------------------

  private static Storage withLock(Storage storage, CollectionLock lock) {
    Storage s = mock(Storage.class, delegatesTo(storage));
    when(s.collectionLock()).thenReturn(lock);
    return s;
  }

  /** What the lock file is to two processes: a read-write lock that both engines take. */
  private static final class ProcessLock implements CollectionLock {
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();

    @Override
    public Hold shared() {
      rw.readLock().lock();
      return rw.readLock()::unlock;
    }

    @Override
    public Hold exclusive() {
      rw.writeLock().lock();
      return rw.writeLock()::unlock;
    }
  }

  /**
   * The collector's view of the storage, with one call (a blob delete, a link removal, a manifest
   * delete, or the listing of a repository's links) that first runs a push through the server in
   * another thread, and goes on once that push finished or waits for the collection lock.
   */
  private static final class Hooks {
    private final AtomicBoolean reached = new AtomicBoolean();
    private volatile String kind = "";
    private volatile Predicate<Object[]> target = a -> false;
    private volatile Supplier<Void> push;
    private volatile CompletableFuture<Void> running;

    Storage wrap(Storage storage) {
      BlobStore blobs = mock(BlobStore.class, delegatesTo(storage.blobs()));
      doAnswer(
              call -> {
                pauseIf("blob", call.getArguments());
                return storage.blobs().delete(call.getArgument(0));
              })
          .when(blobs)
          .delete(any());
      MetadataStore meta = mock(MetadataStore.class, delegatesTo(storage.metadata()));
      doAnswer(
              call -> {
                pauseIf("link", call.getArguments());
                return storage.metadata().unlinkBlob(call.getArgument(0), call.getArgument(1));
              })
          .when(meta)
          .unlinkBlob(any(), any());
      doAnswer(
              call -> {
                pauseIf("manifest", call.getArguments());
                return storage.metadata().deleteManifest(call.getArgument(0), call.getArgument(1));
              })
          .when(meta)
          .deleteManifest(any(), any());
      doAnswer(
              call -> {
                pauseIf("links", call.getArguments());
                return storage
                    .metadata()
                    .listBlobLinks(call.getArgument(0), call.getArgument(1), call.getArgument(2));
              })
          .when(meta)
          .listBlobLinks(any(), any(), anyInt());
      CollectionLock lock = storage.collectionLock();
      Storage s = mock(Storage.class, delegatesTo(storage));
      when(s.blobs()).thenReturn(blobs);
      when(s.metadata()).thenReturn(meta);
      when(s.collectionLock()).thenReturn(lock);
      return s;
    }

    void before(String kind, Predicate<Object[]> target, Supplier<Void> push) {
      this.kind = kind;
      this.target = target;
      this.push = push;
    }

    boolean reached() {
      return reached.get();
    }

    CompletableFuture<Void> push() {
      return running;
    }

    private void pauseIf(String called, Object[] args) throws InterruptedException {
      if (!called.equals(kind) || !target.test(args) || !reached.compareAndSet(false, true)) {
        return;
      }
      CompletableFuture<Void> future = new CompletableFuture<>();
      running = future;
      Thread t =
          new Thread(
              () -> {
                try {
                  future.complete(push.get());
                } catch (Throwable e) {
                  future.completeExceptionally(e);
                }
              },
              "server-push");
      t.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!future.isDone() && !waitsForTheLock(t)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the push neither finished nor waited for the lock");
        }
        Thread.sleep(1);
      }
    }

    /** Whether {@code t} is parked taking the collection lock shared. */
    private static boolean waitsForTheLock(Thread t) {
      Thread.State state = t.getState();
      if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
        return false;
      }
      for (StackTraceElement e : t.getStackTrace()) {
        if (e.getClassName().equals(ProcessLock.class.getName())
            && e.getMethodName().equals("shared")) {
          return true;
        }
      }
      return false;
    }
  }
}
