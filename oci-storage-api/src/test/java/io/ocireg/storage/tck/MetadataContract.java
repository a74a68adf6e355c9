package io.ocireg.storage.tck;

import static io.ocireg.storage.tck.Fixtures.T1;
import static io.ocireg.storage.tck.Fixtures.T2;
import static io.ocireg.storage.tck.Fixtures.drain;
import static io.ocireg.storage.tck.Fixtures.fakeDigest;
import static io.ocireg.storage.tck.Fixtures.manifest;
import static io.ocireg.storage.tck.Fixtures.referrer;
import static io.ocireg.storage.tck.Fixtures.repo;
import static io.ocireg.storage.tck.Fixtures.runTogether;
import static io.ocireg.storage.tck.Fixtures.sha512;
import static io.ocireg.storage.tck.Fixtures.tag;
import static io.ocireg.storage.tck.Fixtures.tagRecord;
import static io.ocireg.storage.tck.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.TagRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Manifests, tags, blob links, referrers and repositories. */
public interface MetadataContract extends StorageFixture {

  private MetadataStore meta() {
    return storage().metadata();
  }

  // ---- manifests ------------------------------------------------------------------------

  @Test
  default void manifestRoundTripsByteForByte() {
    // Odd spacing, key order and non-ASCII: the stored bytes must be exactly the pushed ones.
    byte[] content =
        utf8("{ \"schemaVersion\" :2,\n\t\"annotations\":{\"z\":\"ü\",\"a\":\"\\u00fc\"} }  ");
    ManifestRecord record =
        new ManifestRecord(Digest.sha256(content), MediaType.OCI_MANIFEST, content, T1, 12_345);

    meta().putManifest(repo("a"), record);

    ManifestRecord got = meta().getManifest(repo("a"), record.digest()).orElseThrow();
    assertThat(got).isEqualTo(record);
    assertThat(got.content()).isEqualTo(content);
    assertThat(got.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(got.pushedAt()).isEqualTo(T1);
    assertThat(got.contentSize()).isEqualTo(12_345);
  }

  @Test
  default void storedManifestIsNotChangedThroughTheCallersArrays() {
    byte[] content = utf8("{\"schemaVersion\":2}");
    ManifestRecord record =
        new ManifestRecord(Digest.sha256(content), MediaType.OCI_INDEX, content, T1, 0);
    meta().putManifest(repo("a"), record);

    content[0] = 'X';
    meta().getManifest(repo("a"), record.digest()).orElseThrow().content()[1] = 'Y';

    assertThat(meta().getManifest(repo("a"), record.digest()).orElseThrow().content())
        .isEqualTo(utf8("{\"schemaVersion\":2}"));
  }

  @Test
  default void puttingAManifestAgainReplacesTheRecord() {
    ManifestRecord first = manifest("{\"m\":1}", T1);
    ManifestRecord replacement =
        new ManifestRecord(
            first.digest(),
            MediaType.DOCKER_MANIFEST,
            first.content(),
            T2,
            first.contentSize() + 1);

    meta().putManifest(repo("a"), first);
    meta().putManifest(repo("a"), replacement);

    assertThat(meta().getManifest(repo("a"), first.digest())).contains(replacement);
    assertThat(meta().listManifests(repo("a"), Optional.empty(), 10).items())
        .containsExactly(first.digest());
  }

  @Test
  default void missingManifestIsEmpty() {
    meta().putManifest(repo("a"), manifest("{\"m\":1}", T1));

    assertThat(meta().getManifest(repo("a"), fakeDigest(1))).isEmpty();
    assertThat(meta().getManifest(repo("b"), manifest("{\"m\":1}", T1).digest())).isEmpty();
    assertThat(meta().deleteManifest(repo("b"), fakeDigest(1))).isFalse();
  }

  @Test
  default void manifestsBelongToTheirRepository() {
    ManifestRecord m = manifest("{\"m\":1}", T1);
    meta().putManifest(repo("a/b"), m);

    assertThat(meta().getManifest(repo("a"), m.digest())).isEmpty();
    assertThat(meta().getManifest(repo("a/b/c"), m.digest())).isEmpty();
    assertThat(meta().getManifest(repo("a-b"), m.digest())).isEmpty();
    assertThat(meta().listManifests(repo("a"), Optional.empty(), 10)).isEqualTo(Page.empty());
  }

  @Test
  default void deleteManifestRemovesOnlyTheRecord() {
    ManifestRecord m = manifest("{\"m\":1}", T1);
    ManifestRecord other = manifest("{\"m\":2}", T1);
    meta().putManifest(repo("a"), m);
    meta().putManifest(repo("a"), other);
    meta().putTag(repo("a"), tagRecord("latest", m.digest()));
    meta().putReferrer(repo("a"), m.digest(), referrer(1, "application/example"));

    assertThat(meta().deleteManifest(repo("a"), m.digest())).isTrue();

    assertThat(meta().getManifest(repo("a"), m.digest())).isEmpty();
    assertThat(meta().deleteManifest(repo("a"), m.digest())).isFalse();
    assertThat(meta().getManifest(repo("a"), other.digest())).isPresent();
    assertThat(meta().getTag(repo("a"), tag("latest"))).isPresent();
    assertThat(meta().listReferrers(repo("a"), m.digest(), Optional.empty(), 10).items())
        .hasSize(1);
  }

  @Test
  default void manifestListingIsSortedAndPaginated() {
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ManifestRecord m = manifest("{\"n\":" + i + "}", T1);
      meta().putManifest(repo("a"), m);
      digests.add(m.digest());
    }
    List<Digest> sorted = digests.stream().sorted(Comparator.comparing(Digest::toString)).toList();

    for (int pageSize : new int[] {1, 2, 3, 4, 8, 9, 10}) {
      assertThat(
              drain(
                  (Optional<Digest> after, Integer limit) ->
                      meta().listManifests(repo("a"), after, limit),
                  pageSize))
          .as("page size %d", pageSize)
          .containsExactlyElementsOf(sorted);
    }
    Page<Digest> last = meta().listManifests(repo("a"), Optional.of(sorted.get(5)), 3);
    assertThat(last.items()).containsExactlyElementsOf(sorted.subList(6, 9));
    assertThat(last.hasMore()).isFalse();
  }

  @Test
  default void manifestsUnderSha512AreStoredToo() {
    byte[] content = utf8("{\"schemaVersion\":2,\"sha\":512}");
    ManifestRecord m = new ManifestRecord(sha512(content), MediaType.OCI_MANIFEST, content, T1, 0);

    meta().putManifest(repo("a"), m);

    assertThat(meta().getManifest(repo("a"), sha512(content))).contains(m);
    assertThat(meta().listManifests(repo("a"), Optional.empty(), 10).items())
        .containsExactly(sha512(content));
  }

  // ---- tags -----------------------------------------------------------------------------

  @Test
  default void tagPointsAtItsDigestUntilMoved() {
    meta().putTag(repo("a"), new TagRecord(tag("v1"), fakeDigest(1), T1));
    assertThat(meta().getTag(repo("a"), tag("v1")))
        .contains(new TagRecord(tag("v1"), fakeDigest(1), T1));

    meta().putTag(repo("a"), new TagRecord(tag("v1"), fakeDigest(2), T2));

    assertThat(meta().getTag(repo("a"), tag("v1")))
        .contains(new TagRecord(tag("v1"), fakeDigest(2), T2));
    assertThat(meta().listTags(repo("a"), Optional.empty(), 10).items()).hasSize(1);
  }

  @Test
  default void tagsAreCaseSensitiveAndBelongToTheirRepository() {
    meta().putTag(repo("a"), tagRecord("Latest", fakeDigest(1)));
    meta().putTag(repo("a"), tagRecord("latest", fakeDigest(2)));

    assertThat(meta().getTag(repo("a"), tag("Latest")).orElseThrow().digest())
        .isEqualTo(fakeDigest(1));
    assertThat(meta().getTag(repo("a"), tag("latest")).orElseThrow().digest())
        .isEqualTo(fakeDigest(2));
    assertThat(meta().getTag(repo("a"), tag("LATEST"))).isEmpty();
    assertThat(meta().getTag(repo("b"), tag("latest"))).isEmpty();
    assertThat(meta().getTag(repo("a/b"), tag("latest"))).isEmpty();
  }

  @Test
  default void deleteTagSaysWhetherItExisted() {
    meta().putTag(repo("a"), tagRecord("v1", fakeDigest(1)));
    meta().putTag(repo("a"), tagRecord("v2", fakeDigest(1)));

    assertThat(meta().deleteTag(repo("a"), tag("v1"))).isTrue();

    assertThat(meta().getTag(repo("a"), tag("v1"))).isEmpty();
    assertThat(meta().deleteTag(repo("a"), tag("v1"))).isFalse();
    assertThat(meta().deleteTag(repo("b"), tag("v2"))).isFalse();
    assertThat(meta().getTag(repo("a"), tag("v2"))).isPresent();
  }

  @Test
  default void tagListingIsInCodePointOrderAndPaginatedExactly() {
    List<String> names =
        List.of(
            "latest",
            "Latest",
            "1.0",
            "10",
            "9",
            "_private",
            "v1.0.0-rc.1",
            "v1.0.0",
            "v1_0",
            "a-b",
            "a.b",
            "A",
            "z".repeat(128));
    for (String name : names) {
      meta().putTag(repo("a"), tagRecord(name, fakeDigest(name.length())));
    }
    List<Tag> sorted = names.stream().sorted().map(Tag::parse).toList();

    for (int pageSize : new int[] {1, 2, 3, 5, 12, 13, 14}) {
      assertThat(
              drain(
                  (Optional<Tag> after, Integer limit) ->
                      toTags(meta().listTags(repo("a"), after, limit)),
                  pageSize))
          .as("page size %d", pageSize)
          .containsExactlyElementsOf(sorted);
    }
    Page<TagRecord> page = meta().listTags(repo("a"), Optional.of(tag("Latest")), 2);
    int at = sorted.indexOf(tag("Latest"));
    assertThat(page.items())
        .extracting(TagRecord::tag)
        .containsExactlyElementsOf(sorted.subList(at + 1, at + 3));
    assertThat(page.hasMore()).isTrue();
    // "b" is not a tag; the listing continues after where it would be.
    assertThat(meta().listTags(repo("a"), Optional.of(tag("b")), 100).items())
        .extracting(TagRecord::tag)
        .containsExactlyElementsOf(
            sorted.stream().filter(t -> t.value().compareTo("b") > 0).toList());
    assertThat(meta().listTags(repo("a"), Optional.of(sorted.get(12)), 5)).isEqualTo(Page.empty());
    assertThat(meta().listTags(repo("none"), Optional.empty(), 5)).isEqualTo(Page.empty());
  }

  @Test
  default void listingLimitsAreCheckedForMetadata() {
    meta().putTag(repo("a"), tagRecord("v1", fakeDigest(1)));

    Page<TagRecord> zero = meta().listTags(repo("a"), Optional.empty(), 0);
    assertThat(zero.items()).isEmpty();
    assertThat(zero.hasMore()).isTrue();
    assertThat(meta().listTags(repo("b"), Optional.empty(), 0)).isEqualTo(Page.empty());
    assertThatThrownBy(() -> meta().listTags(repo("a"), Optional.empty(), -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> meta().listRepositories(Optional.empty(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- blob links -----------------------------------------------------------------------

  @Test
  default void blobLinksAreIdempotentAndPerRepository() {
    meta().linkBlob(repo("a"), fakeDigest(1));
    meta().linkBlob(repo("a"), fakeDigest(1));

    assertThat(meta().isBlobLinked(repo("a"), fakeDigest(1))).isTrue();
    assertThat(meta().isBlobLinked(repo("a"), fakeDigest(2))).isFalse();
    assertThat(meta().isBlobLinked(repo("b"), fakeDigest(1))).isFalse();
    assertThat(meta().listBlobLinks(repo("a"), Optional.empty(), 10).items())
        .containsExactly(fakeDigest(1));

    assertThat(meta().unlinkBlob(repo("a"), fakeDigest(1))).isTrue();
    assertThat(meta().isBlobLinked(repo("a"), fakeDigest(1))).isFalse();
    assertThat(meta().unlinkBlob(repo("a"), fakeDigest(1))).isFalse();
    assertThat(meta().unlinkBlob(repo("b"), fakeDigest(1))).isFalse();
  }

  @Test
  default void blobLinkListingIsSortedAndPaginated() {
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      digests.add(fakeDigest(i));
      meta().linkBlob(repo("x/y"), fakeDigest(i));
    }
    digests.add(sha512(utf8("a sha512 link")));
    meta().linkBlob(repo("x/y"), sha512(utf8("a sha512 link")));
    List<Digest> sorted = digests.stream().sorted(Comparator.comparing(Digest::toString)).toList();

    for (int pageSize : new int[] {1, 5, 6, 11, 12, 13}) {
      assertThat(
              drain(
                  (Optional<Digest> after, Integer limit) ->
                      meta().listBlobLinks(repo("x/y"), after, limit),
                  pageSize))
          .as("page size %d", pageSize)
          .containsExactlyElementsOf(sorted);
    }
  }

  // ---- referrers ------------------------------------------------------------------------

  @Test
  default void referrerRoundTripsItsDescriptorAndPuttingItAgainKeepsOne() {
    Digest subject = fakeDigest(100);
    Descriptor ref = referrer(1, "application/vnd.example.sbom");

    meta().putReferrer(repo("a"), subject, ref);
    meta().putReferrer(repo("a"), subject, ref);

    Page<Descriptor> page = meta().listReferrers(repo("a"), subject, Optional.empty(), 10);
    assertThat(page.items()).containsExactly(ref);
    assertThat(page.hasMore()).isFalse();
    Descriptor got = page.items().get(0);
    assertThat(got.artifactType()).contains(MediaType.of("application/vnd.example.sbom"));
    assertThat(got.annotations()).containsEntry("org.example.n", "1").hasSize(2);
    assertThat(got.size()).isEqualTo(501);
    assertThat(got.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
  }

  @Test
  default void referrersAreKeptPerSubjectAndRepository() {
    Digest subject = fakeDigest(100);
    Digest otherSubject = fakeDigest(101);
    meta().putReferrer(repo("a"), subject, referrer(1, "application/x"));
    meta().putReferrer(repo("a"), otherSubject, referrer(2, "application/y"));
    meta().putReferrer(repo("b"), subject, referrer(3, "application/z"));

    assertThat(meta().listReferrers(repo("a"), subject, Optional.empty(), 10).items())
        .containsExactly(referrer(1, "application/x"));
    assertThat(meta().listReferrers(repo("a"), otherSubject, Optional.empty(), 10).items())
        .containsExactly(referrer(2, "application/y"));
    assertThat(meta().listReferrers(repo("b"), subject, Optional.empty(), 10).items())
        .containsExactly(referrer(3, "application/z"));
    assertThat(meta().listReferrers(repo("c"), subject, Optional.empty(), 10))
        .isEqualTo(Page.empty());
    assertThat(meta().listReferrers(repo("a"), fakeDigest(102), Optional.empty(), 10))
        .isEqualTo(Page.empty());
  }

  @Test
  default void deleteReferrerSaysWhetherItExisted() {
    Digest subject = fakeDigest(100);
    meta().putReferrer(repo("a"), subject, referrer(1, "application/x"));
    meta().putReferrer(repo("a"), subject, referrer(2, "application/x"));

    assertThat(meta().deleteReferrer(repo("a"), subject, fakeDigest(1))).isTrue();

    assertThat(meta().deleteReferrer(repo("a"), subject, fakeDigest(1))).isFalse();
    assertThat(meta().deleteReferrer(repo("a"), fakeDigest(101), fakeDigest(2))).isFalse();
    assertThat(meta().deleteReferrer(repo("b"), subject, fakeDigest(2))).isFalse();
    assertThat(meta().listReferrers(repo("a"), subject, Optional.empty(), 10).items())
        .containsExactly(referrer(2, "application/x"));
  }

  @Test
  default void referrerListingIsOrderedByReferrerDigestAndPaginated() {
    Digest subject = fakeDigest(100);
    List<Descriptor> refs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      refs.add(referrer(i, "application/type" + (i % 3)));
      meta().putReferrer(repo("a"), subject, refs.get(i));
    }
    List<Descriptor> sorted =
        refs.stream().sorted(Comparator.comparing(d -> d.digest().toString())).toList();

    for (int pageSize : new int[] {1, 3, 4, 9, 10, 11}) {
      assertThat(
              drain(
                  (Optional<Descriptor> after, Integer limit) ->
                      meta()
                          .listReferrers(repo("a"), subject, after.map(Descriptor::digest), limit),
                  pageSize))
          .as("page size %d", pageSize)
          .containsExactlyElementsOf(sorted);
    }
  }

  // ---- repositories ---------------------------------------------------------------------

  @Test
  default void repositoryExistsWhileItHoldsAManifestTagOrBlobLink() {
    RepositoryName r = repo("team/app");
    ManifestRecord m = manifest("{\"m\":1}", T1);
    assertThat(meta().repositoryExists(r)).isFalse();

    meta().linkBlob(r, fakeDigest(1));
    assertThat(meta().repositoryExists(r)).isTrue();
    meta().unlinkBlob(r, fakeDigest(1));
    assertThat(meta().repositoryExists(r)).isFalse();

    meta().putTag(r, tagRecord("v1", m.digest()));
    assertThat(meta().repositoryExists(r)).isTrue();
    meta().deleteTag(r, tag("v1"));
    assertThat(meta().repositoryExists(r)).isFalse();

    meta().putManifest(r, m);
    assertThat(meta().repositoryExists(r)).isTrue();
    meta().linkBlob(r, fakeDigest(1));
    meta().deleteManifest(r, m.digest());
    assertThat(meta().repositoryExists(r)).isTrue();
    meta().unlinkBlob(r, fakeDigest(1));
    assertThat(meta().repositoryExists(r)).isFalse();

    // Referrer entries alone do not make a repository.
    meta().putReferrer(r, m.digest(), referrer(1, "application/x"));
    assertThat(meta().repositoryExists(r)).isFalse();
    assertThat(meta().listRepositories(Optional.empty(), 10)).isEqualTo(Page.empty());
  }

  @Test
  default void nestedRepositoriesAreDistinct() {
    meta().linkBlob(repo("a/b/c"), fakeDigest(1));

    assertThat(meta().repositoryExists(repo("a/b/c"))).isTrue();
    assertThat(meta().repositoryExists(repo("a/b"))).isFalse();
    assertThat(meta().repositoryExists(repo("a"))).isFalse();
    assertThat(meta().repositoryExists(repo("a/b/c/d"))).isFalse();
    assertThat(meta().listRepositories(Optional.empty(), 10).items())
        .containsExactly(repo("a/b/c"));

    meta().linkBlob(repo("a"), fakeDigest(2));
    meta().unlinkBlob(repo("a/b/c"), fakeDigest(1));

    assertThat(meta().repositoryExists(repo("a"))).isTrue();
    assertThat(meta().repositoryExists(repo("a/b/c"))).isFalse();
    assertThat(meta().listRepositories(Optional.empty(), 10).items()).containsExactly(repo("a"));
  }

  @Test
  default void repositoryListingIsLexicalAndPaginatedExactly() {
    List<String> names =
        List.of(
            "a",
            "a-b",
            "a--b",
            "a.b",
            "a/b",
            "a/b/c",
            "a_b",
            "a__b",
            "ab",
            "b",
            "0",
            "z/z/z/z",
            "library/alpine",
            "library/alpine-slim",
            "library/alpine/edge");
    for (int i = 0; i < names.size(); i++) {
      RepositoryName r = repo(names.get(i));
      // Each way of existing should count: a manifest, a tag or a link.
      switch (i % 3) {
        case 0 -> meta().putManifest(r, manifest("{\"r\":\"" + names.get(i) + "\"}", T1));
        case 1 -> meta().putTag(r, tagRecord("latest", fakeDigest(i)));
        default -> meta().linkBlob(r, fakeDigest(i));
      }
    }
    List<RepositoryName> sorted = names.stream().sorted().map(RepositoryName::parse).toList();

    for (int pageSize : new int[] {1, 2, 4, 7, 14, 15, 16}) {
      assertThat(
              drain(
                  (Optional<RepositoryName> after, Integer limit) ->
                      meta().listRepositories(after, limit),
                  pageSize))
          .as("page size %d", pageSize)
          .containsExactlyElementsOf(sorted);
    }
    Page<RepositoryName> page = meta().listRepositories(Optional.of(repo("a/b")), 3);
    assertThat(page.items()).containsExactly(repo("a/b/c"), repo("a__b"), repo("a_b"));
    assertThat(page.hasMore()).isTrue();
    assertThat(meta().listRepositories(Optional.of(repo("library")), 100).items())
        .containsExactly(
            repo("library/alpine"),
            repo("library/alpine-slim"),
            repo("library/alpine/edge"),
            repo("z/z/z/z"));
    assertThat(meta().listRepositories(Optional.of(repo("z/z/z/z")), 100)).isEqualTo(Page.empty());
  }

  @Test
  default void concurrentMetadataWritesAreAllKept() {
    RepositoryName r = repo("busy/repo");
    Digest subject = fakeDigest(999);
    int threads = 8;
    int each = 25;
    List<Callable<?>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * each;
      tasks.add(
          () -> {
            for (int i = base; i < base + each; i++) {
              meta().putTag(r, tagRecord("t" + i, fakeDigest(i)));
              meta().linkBlob(r, fakeDigest(i));
              meta().putReferrer(r, subject, referrer(i, "application/x"));
              meta().putManifest(r, manifest("{\"i\":" + i + "}", T1));
            }
            return null;
          });
    }

    List<Object> outcomes = runTogether(tasks);

    assertThat(outcomes).containsOnlyNulls();
    int total = threads * each;
    assertThat(
            drain(
                (Optional<Tag> after, Integer limit) -> toTags(meta().listTags(r, after, limit)),
                50))
        .hasSize(total)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, total).mapToObj(i -> tag("t" + i)).toList());
    assertThat(
            drain(
                (Optional<Digest> after, Integer limit) -> meta().listBlobLinks(r, after, limit),
                50))
        .hasSize(total);
    assertThat(
            drain(
                (Optional<Digest> after, Integer limit) -> meta().listManifests(r, after, limit),
                50))
        .hasSize(total);
    assertThat(
            drain(
                (Optional<Digest> after, Integer limit) ->
                    toDigests(meta().listReferrers(r, subject, after, limit)),
                50))
        .hasSize(total);
    assertThat(meta().listRepositories(Optional.empty(), 10).items()).containsExactly(r);
  }

  private static Page<Tag> toTags(Page<TagRecord> page) {
    return new Page<>(page.items().stream().map(TagRecord::tag).toList(), page.hasMore());
  }

  private static Page<Digest> toDigests(Page<Descriptor> page) {
    return new Page<>(page.items().stream().map(Descriptor::digest).toList(), page.hasMore());
  }
}
