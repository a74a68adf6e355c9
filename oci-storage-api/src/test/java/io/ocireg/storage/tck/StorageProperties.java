package io.ocireg.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.DigestMismatchException;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Properties every {@link Storage} backend must have, checked with generated inputs: extend this
 * class in a backend's tests and say how to make an empty storage.
 *
 * <pre>{@code
 * class MyStorageProperties extends StorageProperties {
 *   @Override protected Storage newStorage() {
 *     return MyStorage.open(Files.createTempDirectory("props"));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #newStorage()} is called once per try and must return a new, empty storage each time;
 * it is closed after the try. Tries are kept modest so that a disk backend stays quick.
 */
public abstract class StorageProperties {
  private static final RepositoryName REPO = RepositoryName.parse("props/repo");

  private final List<Storage> opened = new ArrayList<>();

  /** A new, empty storage; called for every try. */
  protected abstract Storage newStorage();

  private Storage open() {
    Storage storage = newStorage();
    opened.add(storage);
    return storage;
  }

  @AfterTry
  void closeStorages() {
    opened.forEach(Storage::close);
    opened.clear();
  }

  @Property(tries = 200)
  void howABlobIsSplitIntoChunksDoesNotChangeItsDigest(
      @ForAll @Size(max = 3000) byte[] content,
      @ForAll @Size(max = 8) List<@IntRange(max = 3000) Integer> cuts,
      @ForAll boolean sha512) {
    Storage storage = open();
    Digest digest = Digest.of(sha512 ? Digest.SHA512 : Digest.SHA256, content);

    BlobUpload upload = storage.uploads().create(REPO);
    int from = 0;
    for (int to : chunkEnds(content.length, cuts)) {
      upload.append(from, new ByteArrayInputStream(content, from, to - from));
      from = to;
    }

    assertThat(upload.commit(digest).digest()).isEqualTo(digest);
    assertThat(Fixtures.readAll(storage.blobs().open(digest, 0, -1))).isEqualTo(content);
  }

  @Property(tries = 20)
  void chunkSplitsOfLargerBlobsKeepTheirDigest(
      @ForAll long seed,
      @ForAll @IntRange(max = 300_000) int size,
      @ForAll @Size(max = 6) List<@IntRange(max = 300_000) Integer> cuts) {
    Storage storage = open();
    Digest digest = Fixtures.hash(Digest.SHA256, Fixtures.generated(seed, 0, size));

    BlobUpload upload = storage.uploads().create(REPO);
    int from = 0;
    for (int to : chunkEnds(size, cuts)) {
      assertThat(upload.append(from, Fixtures.generated(seed, from, to - from))).isEqualTo(to);
      from = to;
    }

    assertThat(upload.commit(digest).size()).isEqualTo(size);
    assertThat(Fixtures.hash(Digest.SHA256, storage.blobs().open(digest, 0, -1))).isEqualTo(digest);
  }

  @Property(tries = 100)
  void aWrongDigestLeavesNeitherBlobNorSession(
      @ForAll @Size(max = 2000) byte[] content,
      @ForAll @Size(min = 1, max = 50) byte[] other,
      @ForAll boolean sha512) {
    String algorithm = sha512 ? Digest.SHA512 : Digest.SHA256;
    byte[] claimedContent = concat(content, other);
    Digest claimed = Digest.of(algorithm, claimedContent);
    Storage storage = open();
    BlobUpload upload = storage.uploads().create(REPO);
    upload.append(0, new ByteArrayInputStream(content));

    assertThatThrownBy(() -> upload.commit(claimed))
        .isInstanceOfSatisfying(
            DigestMismatchException.class,
            e -> assertThat(e.actual()).isEqualTo(Digest.of(algorithm, content)));

    assertThat(storage.blobs().stat(claimed)).isEmpty();
    assertThat(storage.blobs().stat(Digest.of(algorithm, content))).isEmpty();
    assertThat(storage.blobs().list(Optional.empty(), 10).items()).isEmpty();
    assertThat(storage.uploads().find(upload.id())).isEmpty();
  }

  @Property(tries = 50)
  void uploadsBehaveLikeASimpleModel(@ForAll("uploadChains") ActionChain<UploadModel> chain) {
    chain.withInvariant("storage matches the model", UploadModel::matchesStorage).run();
  }

  /** How a generated repository came to be, and whether it therefore exists. */
  enum RepositoryState {
    MANIFEST(true),
    TAG(true),
    BLOB_LINK(true),
    /** Held a blob link that was removed again: whatever a backend kept for it is no repository. */
    EMPTIED(false),
    /** Referrer entries alone do not make a repository. */
    REFERRERS_ONLY(false);

    final boolean exists;

    RepositoryState(boolean exists) {
      this.exists = exists;
    }
  }

  /**
   * The listing of repositories is the lexical order of their full names, whatever the backend
   * keeps them in: nested names whose components sort otherwise than the whole names ({@code a-b <
   * a.b < a/b < a0 < a_b}), prefixes of each other, and the remains of repositories that no longer
   * exist, paged with every limit and continued after names that are stored or not.
   */
  @Property(tries = 60)
  void repositoriesListInLexicalOrderOfTheirFullNames(
      @ForAll("repositoryStates") Map<String, RepositoryState> repositories,
      @ForAll("repositoryNames") Set<String> probes,
      @ForAll @IntRange(min = 1, max = 5) int pageSize) {
    MetadataStore meta = open().metadata();
    int n = 0;
    for (Map.Entry<String, RepositoryState> e : repositories.entrySet()) {
      RepositoryName r = RepositoryName.parse(e.getKey());
      Digest d = Fixtures.fakeDigest(++n);
      switch (e.getValue()) {
        case MANIFEST -> meta.putManifest(r, Fixtures.manifest("{\"n\":" + n + "}", Fixtures.T1));
        case TAG -> meta.putTag(r, Fixtures.tagRecord("latest", d));
        case BLOB_LINK -> meta.linkBlob(r, d);
        case EMPTIED -> {
          meta.linkBlob(r, d);
          meta.unlinkBlob(r, d);
        }
        case REFERRERS_ONLY -> meta.putReferrer(r, d, Fixtures.referrer(n, "application/x"));
      }
    }
    List<String> expected =
        repositories.entrySet().stream()
            .filter(e -> e.getValue().exists)
            .map(Map.Entry::getKey)
            .sorted()
            .toList();

    for (String name : repositories.keySet()) {
      assertThat(meta.repositoryExists(RepositoryName.parse(name)))
          .as("%s exists", name)
          .isEqualTo(expected.contains(name));
    }
    assertThat(
            Fixtures.drain(
                (Optional<RepositoryName> after, Integer limit) ->
                    meta.listRepositories(after, limit),
                pageSize))
        .map(RepositoryName::value)
        .containsExactlyElementsOf(expected);
    assertThat(meta.listRepositories(Optional.empty(), 0))
        .isEqualTo(new Page<RepositoryName>(List.of(), !expected.isEmpty()));
    for (String probe : probes) {
      List<String> following = expected.stream().filter(r -> r.compareTo(probe) > 0).toList();
      Optional<RepositoryName> after = Optional.of(RepositoryName.parse(probe));
      Page<RepositoryName> page = meta.listRepositories(after, pageSize);
      assertThat(page.items())
          .as("after %s, limit %d", probe, pageSize)
          .map(RepositoryName::value)
          .containsExactlyElementsOf(following.subList(0, Math.min(pageSize, following.size())));
      assertThat(page.hasMore()).as("more after %s", probe).isEqualTo(following.size() > pageSize);
    }
  }

  @Provide
  Arbitrary<Map<String, RepositoryState>> repositoryStates() {
    return Arbitraries.maps(repositoryName(), Arbitraries.of(RepositoryState.class)).ofMaxSize(14);
  }

  @Provide
  Arbitrary<Set<String>> repositoryNames() {
    return repositoryName().set().ofMaxSize(6);
  }

  /**
   * Names of one to three components from a small alphabet whose characters sort around the
   * separator: {@code -} and {@code .} before {@code /}, digits, {@code _} and letters after it.
   */
  private static Arbitrary<String> repositoryName() {
    Arbitrary<String> component =
        Arbitraries.of("a", "b", "a-b", "a--b", "a.b", "a_b", "a__b", "a0", "0", "ab", "a-b.c");
    return component.list().ofMinSize(1).ofMaxSize(3).map(c -> String.join("/", c));
  }

  @Provide
  Arbitrary<ActionChain<UploadModel>> uploadChains() {
    return ActionChain.<UploadModel>startWith(() -> new UploadModel(open()))
        .withAction(2, Action.just("create", Transformer.mutate("create", UploadModel::create)))
        .withAction(5, onSession(this::append))
        .withAction(1, onSession(this::failingAppend))
        .withAction(2, onSession(this::commit))
        .withAction(1, onSession(this::cancel))
        .withAction(1, deleteBlob())
        .withMaxTransformations(30);
  }

  private static Action.Independent<UploadModel> deleteBlob() {
    return () ->
        Arbitraries.integers()
            .between(0, 100)
            .map(pick -> Transformer.mutate("delete blob " + pick, m -> m.delete(pick)));
  }

  private Arbitrary<Transformer<UploadModel>> append(int index) {
    // Mostly at the right offset; sometimes a little off, which must be rejected.
    Arbitrary<Integer> shift =
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(-5, 5)));
    return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(300), shift)
        .as(
            (chunk, delta) ->
                Transformer.mutate(
                    "append " + chunk.length + " bytes to #" + index + " shifted by " + delta,
                    m -> m.append(index, chunk, delta)));
  }

  private Arbitrary<Transformer<UploadModel>> failingAppend(int index) {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMaxSize(300)
        .map(
            before ->
                Transformer.mutate(
                    "failing append of " + before.length + " bytes to #" + index,
                    m -> m.failingAppend(index, before)));
  }

  private Arbitrary<Transformer<UploadModel>> commit(int index) {
    return Combinators.combine(
            Arbitraries.of(true, true, true, false), Arbitraries.of(Digest.SHA256, Digest.SHA512))
        .as(
            (right, algorithm) ->
                Transformer.mutate(
                    "commit #" + index + (right ? "" : " with a wrong") + " " + algorithm,
                    m -> m.commit(index, right, algorithm)));
  }

  private Arbitrary<Transformer<UploadModel>> cancel(int index) {
    return Arbitraries.just(Transformer.mutate("cancel #" + index, m -> m.cancel(index)));
  }

  /** An action on one of the sessions opened so far, picked by index. */
  private static Action.Dependent<UploadModel> onSession(
      java.util.function.IntFunction<Arbitrary<Transformer<UploadModel>>> action) {
    return new Action.Dependent<>() {
      @Override
      public boolean precondition(UploadModel model) {
        return model.hasSessions();
      }

      @Override
      public Arbitrary<Transformer<UploadModel>> transformer(UploadModel model) {
        return Arbitraries.integers().between(0, model.sessions.size() - 1).flatMap(action::apply);
      }
    };
  }

  /** Sorted, distinct chunk end positions in {@code (0, length]} ending with {@code length}. */
  private static List<Integer> chunkEnds(int length, List<Integer> cuts) {
    TreeSet<Integer> ends = new TreeSet<>();
    for (int cut : cuts) {
      if (cut > 0 && cut < length) {
        ends.add(cut);
      }
    }
    ends.add(length);
    return new ArrayList<>(ends);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
