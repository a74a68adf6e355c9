package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.fs.FileSystemStorage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upload sessions abandoned by an earlier process are removed once the server runs again. */
class MaintenanceTest {
  @TempDir Path data;

  @Test
  void removesUploadSessionsLeftIdleByAnEarlierProcess() throws Exception {
    String abandoned;
    String recent;
    try (FileSystemStorage storage = FileSystemStorage.open(data)) {
      BlobUpload old = storage.uploads().create(RepositoryName.parse("app"));
      old.append(0, new ByteArrayInputStream(new byte[1000]));
      abandoned = old.id();
      recent = storage.uploads().create(RepositoryName.parse("app")).id();
    }
    FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
    try (Stream<Path> files = Files.walk(data.resolve("uploads").resolve(abandoned))) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, twoDaysAgo);
      }
    }

    try (OciRegistryServer server = OciRegistryServer.builder().storage(data).start()) {
      // The purge runs right after start on the maintenance thread; wait for it (no timing
      // assertion: only an upper bound that a working purge never comes near).
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (Files.exists(data.resolve("uploads").resolve(abandoned))
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(data.resolve("uploads").resolve(abandoned)).doesNotExist();
      assertThat(data.resolve("uploads").resolve(recent)).exists();
    }
  }
}
