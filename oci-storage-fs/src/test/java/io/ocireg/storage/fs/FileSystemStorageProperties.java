package io.ocireg.storage.fs;

import io.ocireg.storage.Storage;
import io.ocireg.storage.tck.StorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The generated storage properties, run against the filesystem backend. Each try gets a fresh root;
 * fsync is off because the properties are about what is stored, not about power loss (the contract
 * in {@link FileSystemStorageTest} runs with it on).
 */
class FileSystemStorageProperties extends StorageProperties {
  private static final List<Path> roots = new ArrayList<>();

  @Override
  protected Storage newStorage() {
    try {
      Path root = Files.createTempDirectory("fs-props");
      roots.add(root);
      return FileSystemStorage.builder(root).fsync(false).open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void deleteRoots() throws IOException {
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    roots.clear();
  }
}
