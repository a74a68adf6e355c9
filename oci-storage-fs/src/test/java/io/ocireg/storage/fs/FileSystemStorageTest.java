package io.ocireg.storage.fs;

import io.ocireg.storage.Storage;
import io.ocireg.storage.tck.StorageContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract, run against the filesystem backend with fsync on, as in production. */
class FileSystemStorageTest extends StorageContract {
  @TempDir Path root;

  @Override
  protected Storage newStorage() {
    return FileSystemStorage.open(root);
  }

  @Override
  protected Optional<Storage> reopen(Storage previous) {
    previous.close();
    return Optional.of(FileSystemStorage.open(root));
  }
}
