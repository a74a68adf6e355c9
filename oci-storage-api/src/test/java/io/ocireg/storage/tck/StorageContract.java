package io.ocireg.storage.tck;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.ocireg.storage.Storage;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Storage} backend must show: extend this class in a backend's tests,
 * say how to make an empty storage, and every contract test runs against it.
 *
 * <pre>{@code
 * class MyStorageTest extends StorageContract {
 *   @TempDir Path dir;
 *   @Override protected Storage newStorage() { return MyStorage.open(dir); }
 *   @Override protected Optional<Storage> reopen(Storage previous) {
 *     previous.close(); return Optional.of(MyStorage.open(dir)); }
 * }
 * }</pre>
 *
 * <p>The tests are grouped in interfaces ({@link BlobStoreContract}, {@link UploadContract}, {@link
 * MetadataContract}, {@link RestartContract}, {@link CollectionContract}) so that a backend under
 * construction can run a part of them by implementing {@link StorageFixture} and the parts it
 * wants. Instants the tests store have millisecond precision and must come back exactly. One test
 * uploads a 20 MiB blob.
 */
public abstract class StorageContract
    implements BlobStoreContract,
        UploadContract,
        MetadataContract,
        RestartContract,
        CollectionContract {

  private Storage storage;

  /** A new, empty storage; called once before each test. It is closed after the test. */
  protected abstract Storage newStorage();

  /**
   * Simulates a restart: close {@code previous} (it is not used again) and open a new storage over
   * the same data. Backends that do not persist keep the default, which returns empty and leaves
   * {@code previous} open; the restart tests are then skipped.
   */
  protected Optional<Storage> reopen(Storage previous) {
    return Optional.empty();
  }

  @BeforeEach
  final void openStorage() {
    storage = newStorage();
  }

  @AfterEach
  final void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  @Override
  public final Storage storage() {
    return storage;
  }

  @Override
  public final Optional<Storage> restart() {
    Optional<Storage> next = reopen(storage);
    next.ifPresent(s -> storage = s);
    return next;
  }

  @Test
  void freshStorageIsUsable() {
    assertThatCode(() -> storage().checkUsable()).doesNotThrowAnyException();
  }

  @Test
  void closingTwiceIsSafe() {
    storage().close();
    assertThatCode(() -> storage().close()).doesNotThrowAnyException();
  }
}
