package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.image;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Paginated listings are consistent: walking the pages with {@code last} yields exactly the sorted
 * set, without duplicates or gaps, every page but the last is full, and {@code hasMore} is false
 * exactly on the last page.
 */
class RegistryProperties {

  /** One page as a listing returns it. */
  private record Page<T>(List<T> items, boolean hasMore) {}

  /**
   * Walks a listing from the start, each request after the last item of the one before, and checks
   * every page against {@code expected}; {@code n} empty means the request names no {@code n}.
   */
  private static <T> void walk(
      List<T> expected,
      Optional<Integer> n,
      int pageSize,
      BiFunction<Optional<Integer>, Optional<T>, Page<T>> list) {
    if (n.isPresent() && n.get() == 0) {
      Page<T> page = list.apply(n, Optional.empty());
      assertThat(page.items()).isEmpty();
      assertThat(page.hasMore()).isFalse();
      return;
    }
    List<T> seen = new ArrayList<>();
    Optional<T> last = Optional.empty();
    while (true) {
      Page<T> page = list.apply(n, last);
      int remaining = expected.size() - seen.size();
      assertThat(page.items()).hasSize(Math.min(pageSize, remaining));
      assertThat(page.hasMore()).isEqualTo(remaining > pageSize);
      seen.addAll(page.items());
      if (!page.hasMore()) {
        break;
      }
      last = Optional.of(page.items().get(page.items().size() - 1));
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Provide
  Arbitrary<Optional<Integer>> ns() {
    return Arbitraries.integers().between(0, 12).optional(0.8);
  }

  // ---- tags ------------------------------------------------------------------------------

  @Provide
  Arbitrary<Set<String>> tagSets() {
    Arbitrary<String> first = Arbitraries.strings().alpha().numeric().withChars('_').ofLength(1);
    Arbitrary<String> rest =
        Arbitraries.strings().alpha().numeric().withChars('_', '.', '-').ofMaxLength(10);
    return Combinators.combine(first, rest).as(String::concat).set().ofMaxSize(40);
  }

  @Property(tries = 150)
  void tagPagesWalkTheSortedTags(
      @ForAll("tagSets") Set<String> tags,
      @ForAll("ns") Optional<Integer> n,
      @ForAll @IntRange(min = 1, max = 10) int maxPage) {
    Fixture f = new Fixture(Fixture.pages(maxPage, 100));
    f.blob(REPO, MediaType.OCTET_STREAM, bytes("so that the repository exists"));
    byte[] body = image(f.config(REPO)).bytes();
    for (String t : tags) {
      f.registry.putManifest(REPO, Tag.parse(t), MediaType.OCI_MANIFEST, body);
    }
    List<Tag> sorted = tags.stream().sorted().map(Tag::parse).toList();

    walk(
        sorted,
        n,
        Math.min(n.orElse(maxPage), maxPage),
        (pageN, last) -> {
          TagPage page = f.registry.listTags(REPO, pageN, last);
          return new Page<>(page.list().tags(), page.hasMore());
        });
  }

  // ---- catalog ---------------------------------------------------------------------------

  @Provide
  Arbitrary<Set<String>> repositorySets() {
    Arbitrary<String> alnum =
        Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(4);
    Arbitrary<String> component =
        Combinators.combine(alnum, Arbitraries.of("", ".", "_", "__", "-", "--"), alnum)
            .as((a, sep, b) -> sep.isEmpty() ? a : a + sep + b);
    return component
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(c -> String.join("/", c))
        .set()
        .ofMaxSize(30);
  }

  @Property(tries = 150)
  void catalogPagesWalkTheSortedRepositories(
      @ForAll("repositorySets") Set<String> names,
      @ForAll("ns") Optional<Integer> n,
      @ForAll @IntRange(min = 1, max = 10) int maxPage,
      @ForAll @IntRange(min = 1, max = 12) int defaultPage) {
    Fixture f = new Fixture(Fixture.pages(maxPage, defaultPage));
    for (String name : names) {
      f.blob(RepositoryName.parse(name), MediaType.OCTET_STREAM, bytes("x"));
    }
    List<RepositoryName> sorted = names.stream().sorted().map(RepositoryName::parse).toList();

    walk(
        sorted,
        n,
        Math.min(n.orElse(defaultPage), maxPage),
        (pageN, last) -> {
          CatalogPage page = f.registry.catalog(pageN, last);
          return new Page<>(page.catalog().repositories(), page.hasMore());
        });
  }

  // ---- referrers -------------------------------------------------------------------------

  private static final List<MediaType> TYPES =
      List.of(
          MediaType.of("application/vnd.example.sbom.v1"),
          MediaType.of("application/vnd.example.signature.v1"),
          MediaType.of("application/vnd.example.attestation.v1"));

  @Provide
  Arbitrary<List<Integer>> referrerTypes() {
    return Arbitraries.integers().between(0, TYPES.size() - 1).list().ofMaxSize(25);
  }

  @Provide
  Arbitrary<Optional<MediaType>> filters() {
    return Arbitraries.of(TYPES.get(0), TYPES.get(1), MediaType.of("application/vnd.example.none"))
        .optional(0.6);
  }

  @Property(tries = 150)
  void referrerPagesWalkTheMatchingReferrers(
      @ForAll("referrerTypes") List<Integer> types,
      @ForAll("filters") Optional<MediaType> filter,
      @ForAll("ns") Optional<Integer> n,
      @ForAll @IntRange(min = 1, max = 8) int maxPage) {
    Fixture f = new Fixture(Fixture.pages(maxPage, 100));
    Descriptor subject = f.pushImage(REPO, "latest", "subject");
    Descriptor config = f.blob(REPO, MediaType.OCI_EMPTY, bytes("{}"));
    List<Descriptor> pushed = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      MediaType type = TYPES.get(types.get(i));
      Descriptor d =
          f.pushByDigest(
              REPO,
              MediaType.OCI_MANIFEST,
              image(config)
                  .artifactType(type.value())
                  .subject(subject)
                  .annotations(Map.of("i", String.valueOf(i))));
      pushed.add(
          d.withArtifactType(Optional.of(type)).withAnnotations(Map.of("i", String.valueOf(i))));
    }
    Function<Descriptor, String> byDigest = d -> d.digest().toString();
    List<Descriptor> expected =
        pushed.stream()
            .filter(d -> filter.isEmpty() || filter.get().is(d.artifactType().orElseThrow()))
            .sorted((a, b) -> byDigest.apply(a).compareTo(byDigest.apply(b)))
            .toList();

    walk(
        expected.stream().map(Descriptor::digest).toList(),
        n,
        Math.min(n.orElse(maxPage), maxPage),
        (pageN, last) -> {
          ReferrersPage page = f.registry.referrers(REPO, subject.digest(), filter, pageN, last);
          assertThat(page.filtered()).isEqualTo(filter.isPresent());
          return new Page<>(
              page.index().manifests().stream().map(Descriptor::digest).toList(), page.hasMore());
        });
    assertThat(
            f.registry
                .referrers(REPO, subject.digest(), filter, Optional.of(maxPage), Optional.empty())
                .index()
                .manifests())
        .isEqualTo(expected.subList(0, Math.min(maxPage, expected.size())));
  }

  @Property(tries = 50)
  void referrersOfADigestThatNothingReferencesAreEmpty(
      @ForAll("filters") Optional<MediaType> filter, @ForAll("ns") Optional<Integer> n) {
    Fixture f = new Fixture();
    Digest unknown = Digest.sha256(bytes("nothing refers to this"));

    ReferrersPage page = f.registry.referrers(REPO, unknown, filter, n, Optional.empty());

    assertThat(page.index().manifests()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }
}
