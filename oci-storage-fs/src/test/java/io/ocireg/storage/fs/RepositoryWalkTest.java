package io.ocireg.storage.fs;

import static io.ocireg.storage.fs.TestData.repo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.Page;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of repositories costs the directories on the way to it, not the registry: which
 * directories the walk lists is recorded and must be exactly those. (The order itself is proven by
 * {@code repositoriesListInLexicalOrderOfTheirFullNames} of the storage properties.)
 */
class RepositoryWalkTest {
  @TempDir Path root;

  private Path repositories;
  private final List<String> listed = new ArrayList<>();
  private final RepositoryWalk walk =
      new RepositoryWalk(
          dir -> {
            listed.add(repositories.relativize(dir).toString().replace('\\', '/'));
            return Listings.sortedNames(dir);
          },
          FileMetadataStore::exists);

  @BeforeEach
  void fill() {
    try (FileSystemStorage storage = FileSystemStorage.builder(root).fsync(false).open()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        names.add("lib-" + i);
      }
      for (int t = 0; t < 10; t++) {
        for (int a = 0; a < 10; a++) {
          names.add("team-" + t + "/app-" + a);
        }
      }
      for (String n : names) {
        storage.metadata().linkBlob(repo(n), Digest.sha256(TestData.utf8(n)));
      }
    }
    repositories = root.resolve(Layout.REPOSITORIES);
  }

  @Test
  void firstPageReadsOnlyTheDirectoriesOfItsNames() {
    Page<RepositoryName> page = walk.page(repositories, Optional.empty(), 5);

    assertThat(page.items())
        .containsExactly(
            repo("lib-0"), repo("lib-1"), repo("lib-10"), repo("lib-11"), repo("lib-12"));
    assertThat(page.hasMore()).isTrue();
    // Each name's own directory is read for names nested under it; lib-13 only proves hasMore.
    assertThat(listed).containsExactly("", "lib-0", "lib-1", "lib-10", "lib-11", "lib-12");
  }

  @Test
  void laterPageSkipsEverySubtreeBeforeTheCursorUnread() {
    Page<RepositoryName> page = walk.page(repositories, Optional.of("team-5/app-5"), 3);

    assertThat(page.items())
        .containsExactly(repo("team-5/app-6"), repo("team-5/app-7"), repo("team-5/app-8"));
    assertThat(page.hasMore()).isTrue();
    // team-5/app-5 itself is on the way: names nested under the cursor follow it.
    assertThat(listed)
        .containsExactly(
            "", "team-5", "team-5/app-5", "team-5/app-6", "team-5/app-7", "team-5/app-8");
  }

  @Test
  void lastPageEndsWithoutMore() {
    Page<RepositoryName> page = walk.page(repositories, Optional.of("team-9/app-7"), 5);

    assertThat(page.items()).containsExactly(repo("team-9/app-8"), repo("team-9/app-9"));
    assertThat(page.hasMore()).isFalse();
    assertThat(listed)
        .containsExactly("", "team-9", "team-9/app-7", "team-9/app-8", "team-9/app-9");
  }
}
