package io.ocireg.storage.tck;

import io.ocireg.storage.Storage;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the contract tests need from the class that runs them: the storage under test, and a way to
 * restart it. {@link StorageContract} implements it; implement it yourself only to run a subset of
 * the contract interfaces.
 */
public interface StorageFixture {

  /** The storage under test, fresh and empty for each test. */
  Storage storage();

  /**
   * Closes the storage under test and opens it again over the same data, so that later calls to
   * {@link #storage()} return the new one. Empty (and nothing closed) when the backend does not
   * persist.
   */
  Optional<Storage> restart();

  /** Restarts the storage, or skips the calling test when the backend does not persist. */
  default Storage restarted() {
    Optional<Storage> next = restart();
    Assumptions.assumeTrue(next.isPresent(), "the backend does not persist across restarts");
    return next.get();
  }
}
