package io.ocireg.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Listings come out in the wire form's lexical order whatever the directory walk gives: nested
 * repository names whose components sort differently from the full names, and digest algorithms
 * whose names are prefixes of each other ({@code sha25} / {@code sha256} / {@code sha2560}).
 */
class ListingOrderProperties {

  @Property(tries = 40)
  void repositoriesListInLexicalOrderOfTheirFullNames(
      @ForAll("repositoryNames") Set<String> names,
      @ForAll("repositoryNames") Set<String> probes,
      @ForAll @IntRange(min = 1, max = 5) int pageSize)
      throws IOException {
    Path root = Files.createTempDirectory("listing-props");
    try (FileSystemStorage storage = FileSystemStorage.builder(root).fsync(false).open()) {
      for (String n : names) {
        storage.metadata().linkBlob(RepositoryName.parse(n), Digest.sha256(TestData.utf8(n)));
      }
      List<RepositoryName> sorted = names.stream().sorted().map(RepositoryName::parse).toList();

      assertThat(
              drain(
                  (Optional<RepositoryName> after, Integer limit) ->
                      storage.metadata().listRepositories(after, limit),
                  pageSize))
          .containsExactlyElementsOf(sorted);
      for (String probe : probes) {
        assertThat(
                storage
                    .metadata()
                    .listRepositories(Optional.of(RepositoryName.parse(probe)), 1000)
                    .items())
            .as("after %s", probe)
            .containsExactlyElementsOf(
                sorted.stream().filter(r -> r.value().compareTo(probe) > 0).toList());
      }
    } finally {
      deleteTree(root);
    }
  }

  @Property(tries = 40)
  void digestsListInWireFormOrderShardedOrNot(
      @ForAll("digests") Set<Digest> digests,
      @ForAll("digests") Set<Digest> probes,
      @ForAll @IntRange(min = 1, max = 4) int pageSize)
      throws IOException {
    Path root = Files.createTempDirectory("digest-props");
    try {
      Path sharded = root.resolve("sharded");
      Path flat = root.resolve("flat");
      for (Digest d : digests) {
        touch(
            sharded.resolve(d.algorithm()).resolve(Layout.shard(d.encoded())).resolve(d.encoded()));
        touch(flat.resolve(d.algorithm()).resolve(d.encoded()));
      }
      List<Digest> sorted =
          digests.stream().sorted(Comparator.comparing(Digest::toString)).toList();

      for (Path base : List.of(sharded, flat)) {
        boolean isSharded = base.equals(sharded);
        assertThat(
                drain(
                    (Optional<Digest> after, Integer limit) ->
                        Listings.digests(base, isSharded, after, limit),
                    pageSize))
            .as("%s", base.getFileName())
            .containsExactlyElementsOf(sorted);
        for (Digest probe : probes) {
          assertThat(Listings.digests(base, isSharded, Optional.of(probe), 1000).items())
              .as("%s after %s", base.getFileName(), probe)
              .containsExactlyElementsOf(
                  sorted.stream()
                      .filter(d -> d.toString().compareTo(probe.toString()) > 0)
                      .toList());
        }
      }
    } finally {
      deleteTree(root);
    }
  }

  @Provide
  Arbitrary<Set<String>> repositoryNames() {
    Arbitrary<String> component =
        Arbitraries.of("a", "b", "a-b", "a--b", "a.b", "a_b", "a__b", "a0", "0", "ab");
    Arbitrary<String> name =
        component.list().ofMinSize(1).ofMaxSize(3).map(c -> String.join("/", c));
    return name.set().ofMinSize(0).ofMaxSize(12);
  }

  @Provide
  Arbitrary<Set<Digest>> digests() {
    Arbitrary<String> algorithm =
        Arbitraries.of("sha25", "sha256x", "sha2560", "sha256+b", "sha256.a", "a", "z9");
    Arbitrary<String> encoded =
        Arbitraries.strings().withChars("aAbB09=_-").ofMinLength(1).ofMaxLength(4);
    Arbitrary<Digest> exotic = Combinators.combine(algorithm, encoded).as(Digest::new);
    Arbitrary<Digest> sha256 =
        Arbitraries.integers().between(0, 50).map(i -> Digest.sha256(TestData.utf8("d" + i)));
    return Arbitraries.oneOf(exotic, sha256).set().ofMaxSize(15);
  }

  private static <T> List<T> drain(BiFunction<Optional<T>, Integer, Page<T>> lister, int pageSize) {
    List<T> all = new ArrayList<>();
    Optional<T> after = Optional.empty();
    while (true) {
      Page<T> page = lister.apply(after, pageSize);
      assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
      all.addAll(page.items());
      if (!page.hasMore()) {
        return all;
      }
      assertThat(page.items()).hasSize(pageSize);
      after = Optional.of(page.items().get(page.items().size() - 1));
    }
  }

  private static void touch(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[0]);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
