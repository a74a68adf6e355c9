package io.ocireg.core;

import static io.ocireg.core.Fixture.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ImageManifest;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Pushes that reuse existing (often orphaned) blobs race with collections that run back to back
 * with no grace period at all, the harshest setting: whatever was acknowledged and is still tagged
 * must pull completely, whatever a collection removed meanwhile.
 */
class GcConcurrencyTest {
  private static final int PUSHERS = 4;
  private static final int PUSHES_PER_PUSHER = 300;
  private static final int LAYERS = 8;
  private static final List<RepositoryName> REPOS =
      List.of(RepositoryName.parse("gc/a"), RepositoryName.parse("gc/b"));

  private final InMemoryStorage storage = new InMemoryStorage();
  private final Fixture f = new Fixture(widened(storage), RegistryOptions.defaults());
  private final GarbageCollector gc = GarbageCollector.of(f.registry);
  private final GcOptions options =
      GcOptions.defaults()
          .withGracePeriod(Duration.ZERO)
          .withUntaggedToKeep(0)
          .withDeleteOrphanReferrers(true)
          .withRemoveEmptyRepositories(true);

  /** Tag to manifest digest, for every acknowledged push whose tag has not been deleted. */
  private final Map<String, Digest> acknowledged = new ConcurrentHashMap<>();

  @Test
  void nothingAcknowledgedIsLostWhilePushesReuseBlobsDuringSweeps() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong runs = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong freed = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(PUSHERS + 2);
    try {
      Future<?> collector =
          pool.submit(
              () -> {
                while (!done.get()) {
                  GcReport r = gc.collect(options);
                  runs.incrementAndGet();
                  freed.addAndGet(r.blobsSwept());
                }
                return null;
              });
      Future<?> deleter =
          pool.submit(
              () -> {
                Random random = new Random(7);
                while (!done.get()) {
                  List<String> tags = new ArrayList<>(acknowledged.keySet());
                  if (tags.size() > 4) {
                    String victim = tags.get(random.nextInt(tags.size()));
                    if (acknowledged.remove(victim) != null) {
                      String[] at = victim.split(":");
                      f.registry.deleteManifest(RepositoryName.parse(at[0]), Tag.parse(at[1]));
                    }
                  }
                  Thread.onSpinWait();
                }
                return null;
              });
      List<Future<?>> pushers = new ArrayList<>();
      for (int p = 0; p < PUSHERS; p++) {
        int id = p;
        pushers.add(pool.submit(() -> push(id, refused)));
      }
      for (Future<?> pusher : pushers) {
        pusher.get(5, TimeUnit.MINUTES);
      }
      done.set(true);
      collector.get(5, TimeUnit.MINUTES);
      deleter.get(5, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
    }

    assertThat(runs.get()).isPositive();
    assertThat(freed.get()).as("collections freed reused-layer candidates").isPositive();
    verifyEveryAcknowledgedTagPulls();

    // Once the dust settles, one more collection leaves exactly what the tags need.
    gc.collect(options);
    verifyEveryAcknowledgedTagPulls();
    long referenced = acknowledgedBlobs();
    assertThat(storage.blobs().list(Optional.empty(), 10_000).items()).hasSize((int) referenced);
  }

  /**
   * The storage with a pause before each delete: it widens the window between a sweep's re-check
   * and its delete, where an unguarded collector loses a blob that a push reuses meanwhile.
   */
  private static Storage widened(InMemoryStorage real) {
    BlobStore blobs = mock(BlobStore.class, delegatesTo(real.blobs()));
    doAnswer(
            call -> {
              Thread.sleep(3);
              return real.blobs().delete(call.getArgument(0));
            })
        .when(blobs)
        .delete(any());
    MetadataStore meta = mock(MetadataStore.class, delegatesTo(real.metadata()));
    doAnswer(
            call -> {
              Thread.sleep(3);
              return real.metadata().unlinkBlob(call.getArgument(0), call.getArgument(1));
            })
        .when(meta)
        .unlinkBlob(any(), any());
    Storage storage = mock(Storage.class, delegatesTo(real));
    when(storage.blobs()).thenReturn(blobs);
    when(storage.metadata()).thenReturn(meta);
    return storage;
  }

  private Void push(int id, AtomicLong refused) {
    Random random = new Random(id);
    for (int i = 0; i < PUSHES_PER_PUSHER; i++) {
      RepositoryName repo = REPOS.get(random.nextInt(REPOS.size()));
      String tag = "p" + id + "-" + i;
      // Two shared layers (often orphaned by deletes, so candidates of a running sweep) and a
      // config unique to the push.
      List<byte[]> layers =
          List.of(layerBytes(random.nextInt(LAYERS)), layerBytes(random.nextInt(LAYERS)));
      byte[] config = Fixture.bytes("{\"push\":\"" + tag + "\"}");
      for (int attempt = 0; ; attempt++) {
        try {
          Descriptor c = ensureBlob(repo, MediaType.OCI_CONFIG, config);
          Descriptor l1 = ensureBlob(repo, MediaType.OCI_LAYER_GZIP, layers.get(0));
          Descriptor l2 = ensureBlob(repo, MediaType.OCI_LAYER_GZIP, layers.get(1));
          byte[] body = image(c, l1, l2).bytes();
          PushedManifest pushed =
              f.registry.putManifest(repo, Tag.parse(tag), MediaType.OCI_MANIFEST, body);
          acknowledged.put(repo + ":" + tag, pushed.digest());
          break;
        } catch (RegistryException e) {
          // A collection took a blob between the client's check and its manifest: refused, never
          // acknowledged; a real client pushes the blob again.
          if (e.code() != ErrorCode.MANIFEST_BLOB_UNKNOWN || attempt > 50) {
            throw e;
          }
          refused.incrementAndGet();
        }
      }
    }
    return null;
  }

  /** What a client does: HEAD the blob, upload it only when the registry does not have it. */
  private Descriptor ensureBlob(RepositoryName repo, MediaType type, byte[] content) {
    Digest d = Digest.sha256(content);
    try {
      f.registry.blobInfo(repo, d);
    } catch (RegistryException e) {
      if (f.registry.mount(repo, d, Optional.empty()).isEmpty()) {
        f.registry.uploadWhole(repo, d, Fixture.in(content), content.length);
      }
    }
    return Descriptor.of(type, d, content.length);
  }

  private static byte[] layerBytes(int n) {
    byte[] b = Fixture.pattern(1000 + n);
    b[0] = (byte) n;
    return b;
  }

  private void verifyEveryAcknowledgedTagPulls() {
    for (Map.Entry<String, Digest> e : acknowledged.entrySet()) {
      String[] at = e.getKey().split(":");
      RepositoryName repo = RepositoryName.parse(at[0]);
      ManifestRecord record = f.registry.getManifest(repo, Tag.parse(at[1]));
      assertThat(record.digest()).as(e.getKey()).isEqualTo(e.getValue());
      for (Descriptor d : Manifest.parse(record.content(), record.mediaType()).references()) {
        assertThat(Digest.sha256(f.read(repo, d.digest()))).as(e.getKey()).isEqualTo(d.digest());
      }
    }
  }

  private long acknowledgedBlobs() {
    java.util.Set<Digest> all = new java.util.HashSet<>();
    for (Map.Entry<String, Digest> e : acknowledged.entrySet()) {
      String[] at = e.getKey().split(":");
      ManifestRecord record = f.registry.getManifest(RepositoryName.parse(at[0]), Tag.parse(at[1]));
      ((ImageManifest) Manifest.parse(record.content(), record.mediaType()))
          .references()
          .forEach(d -> all.add(d.digest()));
    }
    return all.size();
  }
}
