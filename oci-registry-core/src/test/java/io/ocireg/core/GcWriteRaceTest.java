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
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stops a collection exactly between its last re-check of a candidate and the storage call that
 * deletes it, and runs a whole push that reuses that candidate in the gap (a mount, a commit of the
 * same digest, a manifest or an index that references it). Whatever the push was acknowledged for
 * must still be there when the collection is over.
 *
 * <p>Only the engine's coordination ({@code GcGuard}: the push waits for the sweep's exclusive
 * section, and pins what it reuses) makes these pass: the candidate is old, so its stored times
 * protect it only until the re-check, and the push lands after that. The pause ends as soon as the
 * push either finishes (unguarded: the delete then removes what the push just reused) or is seen
 * waiting for the sweep's section; no test waits on a timer. One more lands an index over an old
 * untagged child between the mark and the sweep: the child, and what it references, must stay.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GcWriteRaceTest {
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
  private final PausingStorage paused = new PausingStorage(real);
  private final Fixture f = new Fixture(paused.storage, RegistryOptions.defaults(), clock);

  @Test
  void mountOfABlobTheSweepIsDeletingNeverLeavesAnAcknowledgedImageWithoutIt() throws Exception {
    Descriptor old = orphanBlob("old layer");
    paused.beforeBlobDelete(old.digest(), () -> pushImage(TARGET, "mounted", old, this::mount));

    collect();

    assertImageComplete(TARGET, "mounted", old);
  }

  @Test
  void uploadOfAnExistingDigestTheSweepIsDeletingEndsWithTheBlobStored() throws Exception {
    Descriptor old = orphanBlob("old layer");
    paused.beforeBlobDelete(
        old.digest(), () -> pushImage(TARGET, "uploaded", old, this::uploadAgain));

    collect();

    assertImageComplete(TARGET, "uploaded", old);
  }

  @Test
  void manifestReferencingABlobWhoseLinkTheSweepIsRemovingKeepsItsBlob() throws Exception {
    // Linked in the target but referenced by nothing: its link is a candidate.
    Descriptor old = f.layer(TARGET, "old layer");
    clock.advance(GRACE.plusSeconds(1));
    paused.beforeUnlink(
        TARGET, old.digest(), () -> pushImage(TARGET, "referencing", old, this::headThenUpload));

    collect();

    assertImageComplete(TARGET, "referencing", old);
  }

  @Test
  void indexReferencingAChildTheSweepIsDeletingKeepsItsChild() throws Exception {
    Descriptor child =
        f.pushByDigest(
            TARGET,
            MediaType.OCI_MANIFEST,
            image(f.config(TARGET), f.layer(TARGET, "platform layer")));
    f.push(TARGET, "keep-repository", MediaType.OCI_MANIFEST, image(f.config(TARGET)));
    clock.advance(GRACE.plusSeconds(1));
    byte[] childBody = real.metadata().getManifest(TARGET, child.digest()).orElseThrow().content();
    paused.beforeManifestDelete(
        TARGET,
        child.digest(),
        () ->
            pushIndex(
                TARGET,
                "multi",
                child,
                () -> {
                  // The client pushes the child again, with what it references.
                  f.config(TARGET);
                  f.layer(TARGET, "platform layer");
                  f.registry.putManifest(TARGET, child.digest(), MediaType.OCI_MANIFEST, childBody);
                }));

    collect();

    ManifestRecord top = f.registry.getManifest(TARGET, Tag.parse("multi"));
    for (Descriptor d : Manifest.parse(top.content(), top.mediaType()).references()) {
      ManifestRecord record = f.registry.getManifest(TARGET, d.digest());
      assertThat(Digest.sha256(record.content())).isEqualTo(d.digest());
      for (Descriptor blob : Manifest.parse(record.content(), record.mediaType()).references()) {
        assertThat(Digest.sha256(f.read(TARGET, blob.digest()))).isEqualTo(blob.digest());
      }
    }
  }

  @Test
  void indexPushedAfterTheMarkKeepsItsChildAndWhatTheChildReferences() throws Exception {
    Descriptor child =
        f.pushByDigest(
            TARGET,
            MediaType.OCI_MANIFEST,
            image(f.config(TARGET), f.layer(TARGET, "platform layer")));
    f.push(TARGET, "keep-repository", MediaType.OCI_MANIFEST, image(f.config(TARGET)));
    clock.advance(GRACE.plusSeconds(1));
    // The mark of the repository has read its manifests and tags (the child is dead) when it
    // lists the links; the index, which does not push the child again, lands right then.
    paused.beforeLinkListing(
        TARGET,
        () -> {
          f.push(TARGET, "multi", MediaType.OCI_INDEX, index(child));
          return null;
        });

    GarbageCollector.of(f.registry).collect(OPTIONS);
    assertThat(paused.reached()).isTrue();
    paused.push().get(1, TimeUnit.MINUTES);

    ManifestRecord top = f.registry.getManifest(TARGET, Tag.parse("multi"));
    for (Descriptor d : Manifest.parse(top.content(), top.mediaType()).references()) {
      ManifestRecord record = f.registry.getManifest(TARGET, d.digest());
      for (Descriptor blob : Manifest.parse(record.content(), record.mediaType()).references()) {
        assertThat(Digest.sha256(f.read(TARGET, blob.digest()))).isEqualTo(blob.digest());
      }
    }
  }

  // ---- the collection and the pushes -----------------------------------------------------

  private void collect() throws Exception {
    GcReport report = GarbageCollector.of(f.registry).collect(OPTIONS);
    assertThat(paused.reached()).as("the sweep reached the paused delete").isTrue();
    paused.push().get(1, TimeUnit.MINUTES);
    assertThat(report.swept()).as("the paused delete went ahead").isNotEmpty();
  }

  /** A blob linked only by a repository that references nothing, all of it older than grace. */
  private Descriptor orphanBlob(String content) {
    Descriptor d = f.layer(SOURCE, content);
    clock.advance(GRACE.plusSeconds(1));
    return d;
  }

  /** {@code POST ?mount=} without {@code from}, then an ordinary upload when nothing mounts. */
  private void mount(RepositoryName repo, Descriptor d, byte[] content) {
    if (f.registry.mount(repo, d.digest(), Optional.empty()).isEmpty()) {
      f.registry.uploadWhole(repo, d.digest(), Fixture.in(content), content.length);
    }
  }

  private void uploadAgain(RepositoryName repo, Descriptor d, byte[] content) {
    f.registry.uploadWhole(repo, d.digest(), Fixture.in(content), content.length);
  }

  /** What most clients do: {@code HEAD} the blob, upload only when the registry lacks it. */
  private void headThenUpload(RepositoryName repo, Descriptor d, byte[] content) {
    try {
      f.registry.blobInfo(repo, d.digest());
    } catch (RegistryException e) {
      uploadAgain(repo, d, content);
    }
  }

  private interface BlobStep {
    void ensure(RepositoryName repo, Descriptor d, byte[] content);
  }

  /**
   * Pushes an image made of a fresh config and the reused {@code layer}, the way a client does: on
   * {@code MANIFEST_BLOB_UNKNOWN} (the collection took the layer before the push could use it:
   * refused, not acknowledged) it sends the layer again and retries.
   */
  private Void pushImage(RepositoryName repo, String tag, Descriptor layer, BlobStep step) {
    byte[] content = Fixture.bytes("old layer");
    assertThat(Digest.sha256(content)).isEqualTo(layer.digest());
    Descriptor config =
        f.blob(repo, MediaType.OCI_CONFIG, Fixture.bytes("{\"t\":\"" + tag + "\"}"));
    return retryingOnBlobUnknown(
        () -> {
          step.ensure(repo, layer, content);
          f.push(repo, tag, MediaType.OCI_MANIFEST, image(config, layer));
        },
        () -> uploadAgain(repo, layer, content));
  }

  private Void pushIndex(RepositoryName repo, String tag, Descriptor child, Runnable pushChild) {
    return retryingOnBlobUnknown(
        () -> f.push(repo, tag, MediaType.OCI_INDEX, index(child)), pushChild);
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

  private void assertImageComplete(RepositoryName repo, String tag, Descriptor reused) {
    ManifestRecord record = f.registry.getManifest(repo, Tag.parse(tag));
    Manifest m = Manifest.parse(record.content(), record.mediaType());
    assertThat(m.references()).extracting(Descriptor::digest).contains(reused.digest());
    for (Descriptor d : m.references()) {
      assertThat(Digest.sha256(f.read(repo, d.digest())))
          .as("%s of %s:%s after the collection", d.digest(), repo, tag)
          .isEqualTo(d.digest());
    }
  }

  // ---- the pause -------------------------------------------------------------------------

  /**
   * The storage, with one delete (of a blob, a link or a manifest) that first runs a push in
   * another thread and lets the delete go on only once that push finished or waits for the sweep.
   */
  private static final class PausingStorage {
    final Storage storage;
    private final AtomicBoolean reached = new AtomicBoolean();
    private volatile Predicate<Object[]> target = args -> false;
    private volatile Supplier<Void> push;
    private volatile CompletableFuture<Void> running;

    PausingStorage(InMemoryStorage real) {
      BlobStore blobs = mock(BlobStore.class, delegatesTo(real.blobs()));
      doAnswer(
              call -> {
                pauseIf("blob", call.getArguments());
                return real.blobs().delete(call.getArgument(0));
              })
          .when(blobs)
          .delete(any());
      MetadataStore meta = mock(MetadataStore.class, delegatesTo(real.metadata()));
      doAnswer(
              call -> {
                pauseIf("link", call.getArguments());
                return real.metadata().unlinkBlob(call.getArgument(0), call.getArgument(1));
              })
          .when(meta)
          .unlinkBlob(any(), any());
      doAnswer(
              call -> {
                pauseIf("manifest", call.getArguments());
                return real.metadata().deleteManifest(call.getArgument(0), call.getArgument(1));
              })
          .when(meta)
          .deleteManifest(any(), any());
      doAnswer(
              call -> {
                pauseIf("links", call.getArguments());
                return real.metadata()
                    .listBlobLinks(call.getArgument(0), call.getArgument(1), call.getArgument(2));
              })
          .when(meta)
          .listBlobLinks(any(), any(), anyInt());
      Storage s = mock(Storage.class, delegatesTo(real));
      when(s.blobs()).thenReturn(blobs);
      when(s.metadata()).thenReturn(meta);
      this.storage = s;
    }

    void beforeBlobDelete(Digest digest, Supplier<Void> push) {
      arm(args -> args[0].equals("blob") && args[1].equals(digest), push);
    }

    void beforeUnlink(RepositoryName repo, Digest digest, Supplier<Void> push) {
      arm(a -> a[0].equals("link") && a[1].equals(repo) && a[2].equals(digest), push);
    }

    void beforeManifestDelete(RepositoryName repo, Digest digest, Supplier<Void> push) {
      arm(a -> a[0].equals("manifest") && a[1].equals(repo) && a[2].equals(digest), push);
    }

    void beforeLinkListing(RepositoryName repo, Supplier<Void> push) {
      arm(a -> a[0].equals("links") && a[1].equals(repo), push);
    }

    private void arm(Predicate<Object[]> target, Supplier<Void> push) {
      this.target = target;
      this.push = push;
    }

    boolean reached() {
      return reached.get();
    }

    CompletableFuture<Void> push() {
      return running;
    }

    private void pauseIf(String kind, Object[] args) throws InterruptedException {
      Object[] all = new Object[args.length + 1];
      all[0] = kind;
      System.arraycopy(args, 0, all, 1, args.length);
      if (!target.test(all) || !reached.compareAndSet(false, true)) {
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
              "racing-push");
      t.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!future.isDone() && !waitsForTheSweep(t)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the push neither finished nor waited for the sweep");
        }
        Thread.sleep(1);
      }
    }

    /** Whether {@code t} is parked on the engine's collection guard (a shared section). */
    private static boolean waitsForTheSweep(Thread t) {
      Thread.State state = t.getState();
      if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
        return false;
      }
      for (StackTraceElement e : t.getStackTrace()) {
        if (e.getClassName().equals(GcGuard.class.getName())
            && e.getMethodName().equals("shared")) {
          return true;
        }
      }
      return false;
    }
  }
}
