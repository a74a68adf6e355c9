package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The engine's access filters: mounts from unreadable sources, filtered catalog pages. */
class AccessFilterTest {
  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  @Test
  void mountFromARepositoryTheCallerCannotPullOpensASessionInstead() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("secret layer"));

    UploadStart start =
        registry.startOrMount(
            REPO,
            Optional.of(blob.digest().toString()),
            Optional.of(OTHER.value()),
            Optional.empty(),
            new ByteArrayInputStream(new byte[0]),
            0,
            r -> !r.equals(OTHER));

    assertThat(start).isInstanceOf(UploadStart.Started.class);
    assertError(() -> registry.blobInfo(REPO, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void mountFromARepositoryTheCallerMayPullMounts() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("layer"));

    UploadStart start =
        registry.startOrMount(
            REPO,
            Optional.of(blob.digest().toString()),
            Optional.of(OTHER.value()),
            Optional.empty(),
            new ByteArrayInputStream(new byte[0]),
            0,
            r -> true);

    assertThat(start).isInstanceOf(UploadStart.Mounted.class);
  }

  @Test
  void mountWithoutFromUnderAccessControlOpensASession() {
    Descriptor blob = f.blob(OTHER, MediaType.OCTET_STREAM, bytes("layer"));

    UploadStart start =
        registry.startOrMount(
            REPO,
            Optional.of(blob.digest().toString()),
            Optional.empty(),
            Optional.empty(),
            new ByteArrayInputStream(new byte[0]),
            0,
            r -> true);

    assertThat(start).isInstanceOf(UploadStart.Started.class);
    assertError(() -> registry.blobInfo(REPO, blob.digest()), ErrorCode.BLOB_UNKNOWN, 404);
  }

  @Test
  void filteredCatalogPagesStayFullAndSayWhetherMoreVisibleFollow() {
    for (String name : List.of("a/1", "b/1", "a/2", "b/2", "a/3", "b/3", "b/4")) {
      f.blob(RepositoryName.parse(name), MediaType.OCTET_STREAM, bytes(name));
    }
    Predicate<RepositoryName> onlyA = r -> r.value().startsWith("a/");

    CatalogPage first = registry.catalog(Optional.of(2), "", onlyA);
    assertThat(first.catalog().repositories())
        .extracting(RepositoryName::value)
        .containsExactly("a/1", "a/2");
    assertThat(first.hasMore()).isTrue();

    CatalogPage second = registry.catalog(Optional.of(2), "a/2", onlyA);
    assertThat(second.catalog().repositories())
        .extracting(RepositoryName::value)
        .containsExactly("a/3");
    assertThat(second.hasMore()).isFalse();
  }

  @Test
  void filteredCatalogWithoutMoreVisibleRepositoriesHasNoNextPage() {
    for (String name : List.of("a/1", "a/2", "b/1", "b/2")) {
      f.blob(RepositoryName.parse(name), MediaType.OCTET_STREAM, bytes(name));
    }

    CatalogPage page = registry.catalog(Optional.of(2), "", r -> r.value().startsWith("a/"));

    assertThat(page.catalog().repositories()).hasSize(2);
    assertThat(page.hasMore()).isFalse();
  }
}
