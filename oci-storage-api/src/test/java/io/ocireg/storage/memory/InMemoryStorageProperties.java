package io.ocireg.storage.memory;

import io.ocireg.storage.Storage;
import io.ocireg.storage.tck.StorageProperties;

class InMemoryStorageProperties extends StorageProperties {

  @Override
  protected Storage newStorage() {
    return new InMemoryStorage();
  }
}
