package io.ocireg.core;

import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListingTest {
  private final Fixture f = new Fixture(Fixture.pages(4, 3));
  private final Registry registry = f.registry;

  private void tag(String... tags) {
    Descriptor image = f.pushImage(REPO, tags[0], "layer");
    byte[] body = registry.getManifest(REPO, image.digest()).content();
    for (String t : tags) {
      registry.putManifest(REPO, Tag.parse(t), MediaType.OCI_MANIFEST, body);
    }
  }

  private static List<String> names(TagPage page) {
    return page.list().tags().stream().map(Tag::value).toList();
  }

  private TagPage tags(Optional<Integer> n, String last) {
    return registry.listTags(REPO, n, last == null ? "" : last);
  }

  // ---- tags ------------------------------------------------------------------------------

  @Test
  void listsTagsInLexicalOrder() {
    tag("v2", "V1", "latest", "1.0", "_x", "v10");

    TagPage page = tags(Optional.of(4), null);
    TagPage rest = tags(Optional.of(4), "latest");

    assertThat(page.list().name()).isEqualTo(REPO);
    assertThat(names(page)).containsExactly("1.0", "V1", "_x", "latest");
    assertThat(page.hasMore()).isTrue();
    assertThat(names(rest)).containsExactly("v10", "v2");
    assertThat(rest.hasMore()).isFalse();
  }

  @Test
  void lastIsExclusiveAndNeedNotBeATag() {
    tag("a", "b", "c", "d");

    assertThat(names(tags(Optional.of(2), "a"))).containsExactly("b", "c");
    assertThat(names(tags(Optional.of(2), "bb"))).containsExactly("c", "d");
    assertThat(names(tags(Optional.empty(), "d"))).isEmpty();
    assertThat(tags(Optional.empty(), "d").hasMore()).isFalse();
  }

  @Test
  void lastThatIsNoValidTagIsALexicalCursor() {
    tag("V1", "_x", "a", "a-b", "a.b", "a0", "b", "latest", "v1", "v1.0", "v10", "v2");

    assertThat(names(tags(Optional.empty(), "v1!"))).containsExactly("v1.0", "v10", "v2");
    assertThat(names(tags(Optional.empty(), "v1~"))).containsExactly("v2");
    // Pages hold at most 4 here.
    assertThat(names(tags(Optional.empty(), "a/"))).containsExactly("a0", "b", "latest", "v1");
    assertThat(names(tags(Optional.empty(), "-"))).containsExactly("V1", "_x", "a", "a-b");
    assertThat(names(tags(Optional.empty(), ""))).containsExactly("V1", "_x", "a", "a-b");
    assertThat(names(tags(Optional.empty(), "~"))).isEmpty();
    assertThat(names(tags(Optional.of(1), "a!"))).containsExactly("a-b");
    assertThat(names(tags(Optional.empty(), "v" + "1".repeat(300)))).containsExactly("v2");
    assertThat(names(tags(Optional.empty(), "\u00e9"))).isEmpty();
  }

  @Test
  void hasMoreIsFalseOnAPageThatEndsExactlyAtTheLastTag() {
    tag("a", "b", "c", "d");

    TagPage page = tags(Optional.of(4), null);
    TagPage half = tags(Optional.of(2), "b");

    assertThat(names(page)).hasSize(4);
    assertThat(page.hasMore()).isFalse();
    assertThat(names(half)).containsExactly("c", "d");
    assertThat(half.hasMore()).isFalse();
  }

  @Test
  void nIsClampedToTheMaximumAndWithoutNPagesAreOfTheMaximum() {
    tag("a", "b", "c", "d", "e", "f");

    TagPage big = tags(Optional.of(100), null);
    TagPage noN = tags(Optional.empty(), null);

    assertThat(names(big)).containsExactly("a", "b", "c", "d");
    assertThat(big.hasMore()).isTrue();
    assertThat(names(noN)).containsExactly("a", "b", "c", "d");
    assertThat(noN.hasMore()).isTrue();
  }

  @Test
  void nZeroIsAnEmptyListWithoutMore() {
    tag("a", "b");

    TagPage page = tags(Optional.of(0), null);

    assertThat(names(page)).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void aNegativeNIsRefused() {
    tag("a");

    assertError(() -> tags(Optional.of(-1), null), ErrorCode.UNSUPPORTED, 400);
  }

  @Test
  void tagsOfAnUnknownRepositoryAreNameUnknown() {
    assertError(
        () ->
            registry.listTags(
                RepositoryName.parse("never/pushed"), Optional.empty(), Optional.empty()),
        ErrorCode.NAME_UNKNOWN,
        404);
  }

  @Test
  void aRepositoryWithBlobsButNoTagsListsNone() {
    f.blob(REPO, MediaType.OCTET_STREAM, bytes("just a blob"));

    TagPage page = tags(Optional.empty(), null);

    assertThat(names(page)).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void aRepositoryWhoseLastTagWasDeletedStillExistsThroughItsManifest() {
    Descriptor image = f.pushImage(REPO, "only", "layer");

    registry.deleteManifest(REPO, Tag.parse("only"));

    assertThat(names(tags(Optional.empty(), null))).isEmpty();
    assertThat(registry.getManifest(REPO, image.digest())).isNotNull();
  }

  // ---- catalog ---------------------------------------------------------------------------

  private void repos(String... names) {
    for (String n : names) {
      f.blob(RepositoryName.parse(n), MediaType.OCTET_STREAM, bytes("x"));
    }
  }

  private static List<String> names(CatalogPage page) {
    return page.catalog().repositories().stream().map(RepositoryName::value).toList();
  }

  private CatalogPage catalog(Optional<Integer> n, String last) {
    return registry.catalog(n, last == null ? "" : last);
  }

  @Test
  void listsRepositoriesInLexicalOrder() {
    repos("b/app", "a", "a/b", "a-b", "c");

    CatalogPage first = catalog(Optional.of(4), null);
    CatalogPage rest = catalog(Optional.of(4), "b/app");

    assertThat(names(first)).containsExactly("a", "a-b", "a/b", "b/app");
    assertThat(first.hasMore()).isTrue();
    assertThat(names(rest)).containsExactly("c");
    assertThat(rest.hasMore()).isFalse();
  }

  @Test
  void catalogLastThatIsNoValidNameIsALexicalCursor() {
    repos("a", "a-b", "a/b", "a/b/c", "b/app", "c", "c9");

    // Pages hold at most 4 here.
    assertThat(names(catalog(Optional.of(10), "Not..Valid")))
        .containsExactly("a", "a-b", "a/b", "a/b/c");
    assertThat(names(catalog(Optional.of(10), "a/"))).containsExactly("a/b", "a/b/c", "b/app", "c");
    assertThat(names(catalog(Optional.of(10), "a//")))
        .containsExactly("a/b", "a/b/c", "b/app", "c");
    assertThat(names(catalog(Optional.of(10), "a/b/")))
        .containsExactly("a/b/c", "b/app", "c", "c9");
    assertThat(names(catalog(Optional.of(10), "a~"))).containsExactly("b/app", "c", "c9");
    assertThat(names(catalog(Optional.of(10), "c!"))).containsExactly("c9");
    assertThat(names(catalog(Optional.of(10), "zz~"))).isEmpty();
  }

  @Test
  void theCatalogWithoutNUsesTheDefaultPageSize() {
    repos("a", "b", "c", "d");

    CatalogPage page = catalog(Optional.empty(), null);

    assertThat(names(page)).containsExactly("a", "b", "c");
    assertThat(page.hasMore()).isTrue();
    assertThat(names(catalog(Optional.empty(), "c"))).containsExactly("d");
  }

  @Test
  void theCatalogClampsNAndAcceptsZero() {
    repos("a", "b", "c", "d", "e");

    assertThat(names(catalog(Optional.of(99), null))).hasSize(4);
    CatalogPage zero = catalog(Optional.of(0), null);
    assertThat(names(zero)).isEmpty();
    assertThat(zero.hasMore()).isFalse();
    assertError(() -> catalog(Optional.of(-5), null), ErrorCode.UNSUPPORTED, 400);
  }

  @Test
  void theCatalogOfAnEmptyRegistryIsEmpty() {
    CatalogPage page = catalog(Optional.empty(), null);

    assertThat(names(page)).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void aRepositoryLeavesTheCatalogWithItsLastContent() {
    repos("gone", "kept");

    registry.deleteBlob(RepositoryName.parse("gone"), io.ocireg.spec.Digest.sha256(bytes("x")));

    assertThat(names(catalog(Optional.empty(), null))).containsExactly("kept");
  }
}
