package io.ocireg.servlet;

import io.ocireg.storage.Storage;
import io.ocireg.storage.fs.FileSystemStorage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.nio.file.Path;

/** The storage backends every HTTP test runs over. */
enum Backend {
  MEMORY {
    @Override
    Storage open(Path dir) {
      return new InMemoryStorage();
    }
  },
  FILESYSTEM {
    @Override
    Storage open(Path dir) {
      return FileSystemStorage.open(dir);
    }
  };

  abstract Storage open(Path dir);
}
