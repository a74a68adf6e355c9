package io.ocireg.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.tck.StorageContract;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryStorageTest extends StorageContract {

  @Override
  protected Storage newStorage() {
    return new InMemoryStorage();
  }

  @Test
  void closedStorageIsNotUsable() {
    InMemoryStorage storage = new InMemoryStorage();
    storage.close();

    assertThatThrownBy(storage::checkUsable).isInstanceOf(StorageException.class);
  }

  @Test
  void staleListingFollowsTheLastWriteOnTheGivenClock() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    InMemoryStorage storage = new InMemoryStorage(clock);
    BlobUpload idle = storage.uploads().create(RepositoryName.parse("a"));
    BlobUpload busy = storage.uploads().create(RepositoryName.parse("a"));

    clock.now = Instant.parse("2025-01-01T01:00:00Z");
    busy.append(0, new ByteArrayInputStream(new byte[] {1}));

    assertThat(
            storage
                .uploads()
                .listStale(Instant.parse("2025-01-01T00:30:00Z"), Optional.empty(), 10)
                .items())
        .containsExactly(idle.id());
    assertThat(idle.startedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
