package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.Registry;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.memory.InMemoryStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The snapshot of repository names stays true to the storage: exact while listing is cheap, and
 * revalidated in the background once it is not, with deletes through the UI applied at once.
 */
class RepositoryNamesTest {
  private final InMemoryStorage storage = new InMemoryStorage();
  private final Registry registry = Registry.create(storage);
  private final TestImages images = new TestImages(registry);

  /** A repository that exists through one blob link only, so that unlinking removes it. */
  private Digest repositoryWithABlob(String name) {
    return images
        .blob(name, MediaType.OCTET_STREAM, name.getBytes(StandardCharsets.UTF_8))
        .digest();
  }

  private static List<String> names(RepositoryNames.View view) {
    return view.names().stream().map(RepositoryName::value).toList();
  }

  /**
   * Names whose listing never counts as cheap, so every use goes through the snapshot, and which
   * list again in the background on every use.
   */
  private RepositoryNames expensive(MetadataStore meta) {
    return new RepositoryNames(meta, Duration.ofNanos(-1), Duration.ZERO, 0, System::nanoTime);
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition never held").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aSmallRegistryIsListedExactlyEvenWhenOneListingWasSlow() {
    repositoryWithABlob("one");
    // Every listing counts as slow; the registry is far below the count that allows a snapshot.
    RepositoryNames names =
        new RepositoryNames(
            storage.metadata(),
            Duration.ofNanos(-1),
            Duration.ofHours(1),
            1000,
            RepositoryNames.SYNC_COUNT,
            System::nanoTime);
    assertThat(names(names.current())).containsExactly("one");

    repositoryWithABlob("two");

    RepositoryNames.View view = names.current();
    assertThat(view.exact()).isTrue();
    assertThat(names(view)).containsExactly("one", "two");
  }

  @Test
  void aCheapListingIsExactAndSeesEveryChangeAtOnce() {
    RepositoryNames names = new RepositoryNames(storage.metadata());
    Digest a = repositoryWithABlob("a/one");
    assertThat(names(names.current())).containsExactly("a/one");
    assertThat(names.current().exact()).isTrue();

    images.image("b/two", "1.0", "linux", "amd64");
    assertThat(names(names.current())).containsExactly("a/one", "b/two");

    registry.deleteBlob(RepositoryName.parse("a/one"), a);
    assertThat(names(names.current())).containsExactly("b/two");
  }

  @Test
  void anExpensiveListingServesTheSnapshotAndPicksUpNewRepositoriesInTheBackground()
      throws Exception {
    RepositoryNames names = expensive(storage.metadata());
    repositoryWithABlob("a/one");
    assertThat(names(names.current())).containsExactly("a/one");

    images.image("c/three", "1.0", "linux", "amd64");
    RepositoryNames.View stale = names.current();
    assertThat(stale.exact()).isFalse();

    eventually(() -> names(names.current()).contains("c/three"));
    assertThat(names(names.current())).containsExactly("a/one", "c/three");
  }

  @Test
  void aRepositoryPushedThroughTheEngineShowsAtOnceWithoutAListing() {
    // A snapshot that is never refreshed within the test: only the engine's notice can add a name.
    RepositoryNames names =
        new RepositoryNames(
            storage.metadata(), Duration.ofNanos(-1), Duration.ofDays(1), 1000, System::nanoTime);
    repositoryWithABlob("a/one");
    assertThat(names(names.current())).containsExactly("a/one");
    Runnable stop = registry.onRepositoryChanged(names::changed);

    images.image("c/three", "1.0", "linux", "amd64");
    assertThat(names(names.current())).containsExactly("a/one", "c/three");

    stop.run();
    images.image("b/two", "1.0", "linux", "amd64");
    assertThat(names(names.current())).containsExactly("a/one", "c/three");
  }

  @Test
  void aDeleteThroughTheUiLeavesTheSnapshotAtOnce() {
    RepositoryNames names = expensive(storage.metadata());
    Digest a = repositoryWithABlob("a/one");
    repositoryWithABlob("b/two");
    assertThat(names(names.current())).containsExactly("a/one", "b/two");

    registry.deleteBlob(RepositoryName.parse("a/one"), a);
    names.changed(RepositoryName.parse("a/one"));

    assertThat(names(names.current())).containsExactly("b/two");
  }

  @Test
  void aListingThatStartedBeforeADeleteDoesNotBringTheRepositoryBack() throws Exception {
    CountDownLatch listing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MetadataStore real = storage.metadata();
    boolean[] block = {false};
    MetadataStore gated =
        (MetadataStore)
            Proxy.newProxyInstance(
                MetadataStore.class.getClassLoader(),
                new Class<?>[] {MetadataStore.class},
                (proxy, method, args) -> {
                  try {
                    Object result = method.invoke(real, args);
                    if (method.getName().equals("listRepositories") && block[0]) {
                      listing.countDown();
                      release.await(30, TimeUnit.SECONDS);
                    }
                    return result;
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    RepositoryNames names = expensive(gated);
    Digest a = repositoryWithABlob("a/one");
    repositoryWithABlob("b/two");
    assertThat(names(names.current())).containsExactly("a/one", "b/two");

    block[0] = true;
    names.current(); // starts a background listing, which reads both names and then waits
    assertThat(listing.await(30, TimeUnit.SECONDS)).isTrue();
    registry.deleteBlob(RepositoryName.parse("a/one"), a);
    names.changed(RepositoryName.parse("a/one"));
    block[0] = false;
    release.countDown();

    eventually(() -> !names.refreshing());
    assertThat(names(names.current())).containsExactly("b/two");
  }

  @Test
  void aPageNeverShowsARepositoryThatIsGoneEvenFromAnOldSnapshot() {
    RepositoryNames names = expensive(storage.metadata());
    Digest a = repositoryWithABlob("a/one");
    repositoryWithABlob("b/two");
    names.current();
    // Gone behind the UI's back (another process, a collection): nobody calls changed().
    registry.deleteBlob(RepositoryName.parse("a/one"), a);

    Map<String, Object> page =
        new RepositoryList(
                storage.metadata(),
                names,
                new RepositorySummaries(r -> RepositorySummary.read(storage.metadata(), r)))
            .page(r -> true, null, null, null);

    assertThat(page.get("repositories").toString()).contains("b/two").doesNotContain("a/one");
    assertThat(page.get("total")).isEqualTo(1);
    assertThat(page.get("totalExact")).isEqualTo(false);
  }
}
