package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Page;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import io.ocireg.storage.fs.FileSystemStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code java -jar oci-registry.jar gc} with SIGKILL in the middle of its sweep, three times
 * (while it removes manifests, blob links, then blobs), over a filesystem registry with thousands
 * of unreferenced items. After each kill the storage opens, every tagged image (plain, a
 * multi-platform index and its children, referrers of live images) is complete and hashes right,
 * and no tag names a missing manifest. A last collection that runs to its end leaves exactly what
 * the tags need.
 *
 * <p>The kill lands once a sample of the phase's victims starts disappearing from disk; nothing
 * waits on a timer.
 */
class GcCrashIT {
  private static final int APPS = 4;
  private static final int TAGGED_PER_APP = 4;
  private static final int UNTAGGED_PER_APP = 300;
  private static final int ORPHAN_REFERRERS_PER_APP = 20;
  private static final int UNUSED_LINKS_PER_APP = 100;
  private static final int UNLINKED_BLOBS = 1000;
  private static final int EMPTY_REPO_MANIFESTS = 50;
  private static final int SAMPLE = 64;
  private static final int KILL_WHEN_GONE = 4;
  private static final RepositoryName EMPTY = RepositoryName.parse("crash/empty");
  private static final List<String> GC =
      List.of(
          "--grace-period",
          "0s",
          "--keep-untagged",
          "0",
          "--delete-orphan-referrers",
          "--remove-empty-repositories");

  @TempDir Path work;

  private Path root;
  private final Random random = new Random(42);
  private final Instant old = Instant.now().minusSeconds(86_400);

  // What the tags need, per repository.
  private final Map<RepositoryName, Map<Tag, Digest>> tags = new LinkedHashMap<>();
  private final Map<RepositoryName, Set<Digest>> liveManifests = new HashMap<>();
  private final Map<RepositoryName, Set<Digest>> liveLinks = new HashMap<>();
  private final Map<RepositoryName, Map<Digest, Set<Digest>>> liveReferrers = new HashMap<>();
  private final Set<Digest> liveBlobs = new HashSet<>();

  // What has to go: the files of each sweep phase, as the filesystem layout stores them.
  private final List<Path> deadManifestFiles = new ArrayList<>();
  private final List<Path> deadLinkFiles = new ArrayList<>();
  private final List<Path> deadBlobFiles = new ArrayList<>();
  private final Map<RepositoryName, Set<Digest>> deadSubjects = new HashMap<>();

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void collectionKilledInEachPhaseLeavesStorageConsistentAndTheNextOneFinishes() throws Exception {
    root = work.resolve("storage");
    populate();
    int initialBlobs = countFiles(root.resolve("blobs"));
    System.out.printf(
        "GcCrashIT: %d blobs (%d live), %d manifests and %d links to remove%n",
        initialBlobs, liveBlobs.size(), deadManifestFiles.size(), deadLinkFiles.size());

    List<String> figures = new ArrayList<>();
    for (Map.Entry<String, List<Path>> phase :
        List.of(
            Map.entry("manifests", deadManifestFiles),
            Map.entry("links", deadLinkFiles),
            Map.entry("blobs", deadBlobFiles))) {
      int gone = killWhileSweeping(phase.getKey(), phase.getValue());
      List<String> leftInTmp = list(root.resolve("tmp"));
      assertStorageConsistent("after the kill among " + phase.getKey());
      figures.add(
          String.format(
              "killed among %s (%d/%d of the sample gone): %d blobs left, tmp held %s",
              phase.getKey(), gone, SAMPLE, countFiles(root.resolve("blobs")), leftInTmp));
    }

    String report = collectToTheEnd();
    assertStorageConsistent("after the last collection");
    assertOnlyWhatTheTagsNeed();
    figures.add("last collection: " + report);
    figures.forEach(line -> System.out.println("GcCrashIT: " + line));
  }

  // ---- the collector process -------------------------------------------------------------

  private Process startCollector(Path out) throws IOException {
    Path jar = Path.of(System.getProperty("ocireg.jar", "target/oci-registry.jar"));
    assertThat(jar).as("the packaged server (mvn package)").isRegularFile();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-jar", jar.toString(), "gc", "--storage", root.toString()));
    cmd.addAll(GC);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  /**
   * Starts a collection, kills it (SIGKILL) once {@link #KILL_WHEN_GONE} files of a sample of
   * {@code victims} are gone, and returns how many of the sample were gone when it died.
   */
  private int killWhileSweeping(String phase, List<Path> victims) throws Exception {
    List<Path> sample = new ArrayList<>(victims);
    sample.removeIf(p -> !Files.exists(p)); // an earlier, killed run may have taken some
    Collections.shuffle(sample, random);
    sample = sample.subList(0, Math.min(SAMPLE, sample.size()));
    assertThat(sample).as("victims of the %s phase left to watch", phase).hasSize(SAMPLE);
    Path out = work.resolve("gc-" + phase + ".log");
    Process gc = startCollector(out);
    try {
      while (gone(sample) < KILL_WHEN_GONE) {
        assertThat(gc.isAlive())
            .as(
                "the collection ended before the kill among %s; its output:%n%s",
                phase, Files.readString(out))
            .isTrue();
        Thread.sleep(1);
      }
      gc.destroyForcibly(); // SIGKILL, wherever the sweep is
      assertThat(gc.waitFor(1, TimeUnit.MINUTES)).isTrue();
    } finally {
      gc.destroyForcibly();
    }
    assertThat(gc.exitValue()).as("killed, not finished: %s", Files.readString(out)).isNotZero();
    int gone = gone(sample);
    assertThat(gone).as("the kill landed before the %s phase ended", phase).isLessThan(SAMPLE);
    return gone;
  }

  private String collectToTheEnd() throws Exception {
    Path out = work.resolve("gc-last.log");
    Process gc = startCollector(out);
    try {
      assertThat(gc.waitFor(5, TimeUnit.MINUTES)).as("the last collection ended").isTrue();
    } finally {
      gc.destroyForcibly();
    }
    String output = Files.readString(out);
    assertThat(gc.exitValue()).as(output).isZero();
    String report = output.lines().filter(l -> l.startsWith("{")).findFirst().orElse(output);
    // The counts and the duration; the list of what went is long.
    int items = report.indexOf(",\"items\"");
    return items < 0 ? report.strip() : report.substring(0, items) + "}";
  }

  private static int gone(List<Path> sample) {
    int n = 0;
    for (Path p : sample) {
      if (!Files.exists(p)) {
        n++;
      }
    }
    return n;
  }

  // ---- checks ----------------------------------------------------------------------------

  /** What a restarted server would see: everything tagged is whole, nothing dangles. */
  private void assertStorageConsistent(String when) throws IOException {
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      assertThat(list(root.resolve("tmp"))).as("tmp/ %s, once opened", when).isEmpty();
      for (Map.Entry<RepositoryName, Map<Tag, Digest>> repo : tags.entrySet()) {
        RepositoryName r = repo.getKey();
        for (Map.Entry<Tag, Digest> t : repo.getValue().entrySet()) {
          TagRecord tag =
              storage
                  .metadata()
                  .getTag(r, t.getKey())
                  .orElseThrow(() -> new AssertionError(when + ": lost tag " + r + ":" + t));
          assertThat(tag.digest()).as("%s: %s:%s", when, r, t.getKey()).isEqualTo(t.getValue());
          assertManifestComplete(storage, r, tag.digest(), when);
        }
        for (Map.Entry<Digest, Set<Digest>> s : liveReferrers.get(r).entrySet()) {
          assertThat(
                  listAll(
                      p -> storage.metadata().listReferrers(r, s.getKey(), p, 100),
                      Descriptor::digest))
              .extracting(Descriptor::digest)
              .as("%s: referrers of %s in %s", when, s.getKey(), r)
              .containsAll(s.getValue());
          for (Digest referrer : s.getValue()) {
            assertManifestComplete(storage, r, referrer, when);
          }
        }
      }
      // No tag anywhere names a manifest that is gone, and every stored record is whole.
      for (RepositoryName r :
          GcCrashIT.<RepositoryName>listAll(p -> storage.metadata().listRepositories(p, 100))) {
        for (TagRecord t : listAll(p -> storage.metadata().listTags(r, p, 100), TagRecord::tag)) {
          assertThat(storage.metadata().getManifest(r, t.digest()))
              .as("%s: tag %s:%s", when, r, t.tag())
              .isPresent();
        }
        for (Digest m :
            GcCrashIT.<Digest>listAll(p -> storage.metadata().listManifests(r, p, 1000))) {
          ManifestRecord record = storage.metadata().getManifest(r, m).orElseThrow();
          assertThat(Digest.sha256(record.content()))
              .as("%s: record %s@%s", when, r, m)
              .isEqualTo(m);
        }
      }
    }
  }

  private void assertManifestComplete(Storage storage, RepositoryName r, Digest d, String when)
      throws IOException {
    ManifestRecord record =
        storage
            .metadata()
            .getManifest(r, d)
            .orElseThrow(() -> new AssertionError(when + ": lost manifest " + r + "@" + d));
    assertThat(Digest.sha256(record.content())).isEqualTo(d);
    Manifest m = Manifest.parse(record.content(), record.mediaType());
    for (Descriptor ref : m.references()) {
      if (m instanceof ImageIndex) {
        assertManifestComplete(storage, r, ref.digest(), when);
        continue;
      }
      assertThat(storage.metadata().isBlobLinked(r, ref.digest()))
          .as("%s: link %s@%s", when, r, ref.digest())
          .isTrue();
      assertThat(storage.blobs().stat(ref.digest())).as("%s: blob %s", when, ref).isPresent();
      try (InputStream in = storage.blobs().open(ref.digest(), 0, -1)) {
        assertThat(sha256(in)).as("%s: content of %s", when, ref.digest()).isEqualTo(ref.digest());
      }
    }
  }

  private void assertOnlyWhatTheTagsNeed() {
    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      assertThat(GcCrashIT.<Digest>listAll(p -> storage.blobs().list(p, 1000)))
          .as("blobs")
          .containsExactlyInAnyOrderElementsOf(liveBlobs);
      assertThat(
              GcCrashIT.<RepositoryName>listAll(p -> storage.metadata().listRepositories(p, 100)))
          .as("repositories (the one without tags is gone)")
          .containsExactlyInAnyOrderElementsOf(tags.keySet());
      assertThat(tree(root.resolve("repositories/crash/empty")))
          .as("what is left of the repository without tags")
          .isEmpty();
      for (RepositoryName r : tags.keySet()) {
        assertThat(GcCrashIT.<Digest>listAll(p -> storage.metadata().listManifests(r, p, 1000)))
            .as("manifests of %s", r)
            .containsExactlyInAnyOrderElementsOf(liveManifests.get(r));
        assertThat(GcCrashIT.<Digest>listAll(p -> storage.metadata().listBlobLinks(r, p, 1000)))
            .as("links of %s", r)
            .containsExactlyInAnyOrderElementsOf(liveLinks.get(r));
        assertThat(listAll(p -> storage.metadata().listTags(r, p, 100), TagRecord::tag))
            .extracting(TagRecord::tag)
            .containsExactlyInAnyOrderElementsOf(tags.get(r).keySet());
        for (Digest subject : deadSubjects.getOrDefault(r, Set.of())) {
          assertThat(
                  listAll(
                      p -> storage.metadata().listReferrers(r, subject, p, 100),
                      Descriptor::digest))
              .as("referrers of the removed %s", subject)
              .isEmpty();
        }
      }
    }
  }

  // ---- the registry ----------------------------------------------------------------------

  /**
   * Writes, through the storage SPI with fsync off (fast), {@link #APPS} repositories of tagged
   * images sharing a base layer, one multi-platform index, referrers of live images, and thousands
   * of things nothing needs: untagged images, referrers of those, unused links, unlinked blobs, and
   * a repository without tags. Everything is a day old.
   */
  private void populate() {
    try (Storage s = FileSystemStorage.builder(root).fsync(false).open()) {
      Descriptor base = null;
      for (int a = 0; a < APPS; a++) {
        RepositoryName r = RepositoryName.parse("crash/app" + a);
        tags.put(r, new LinkedHashMap<>());
        liveManifests.put(r, new HashSet<>());
        liveLinks.put(r, new HashSet<>());
        liveReferrers.put(r, new HashMap<>());
        base = blob(s, r, "base layer", true);
        for (int i = 0; i < TAGGED_PER_APP; i++) {
          Digest m =
              image(s, r, List.of(base, blob(s, r, r + " layer " + i, true)), r + " v" + i, true);
          tag(s, r, "v" + i, m);
          if (i == 0) {
            Descriptor sig = blob(s, r, "signature of " + m, true);
            Digest referrer = referrer(s, r, m, sig, true);
            liveReferrers.get(r).put(m, Set.of(referrer));
          }
        }
        if (a == 0) {
          List<Descriptor> children = new ArrayList<>();
          for (String arch : List.of("amd64", "arm64")) {
            Digest child =
                image(s, r, List.of(base, blob(s, r, arch + " layer", true)), arch, true);
            children.add(Descriptor.of(MediaType.OCI_MANIFEST, child, manifestSize(s, r, child)));
          }
          tag(s, r, "multi", index(s, r, children));
        }
        for (int i = 0; i < UNTAGGED_PER_APP; i++) {
          Digest m =
              image(
                  s,
                  r,
                  List.of(
                      base, blob(s, r, r + " old " + i, false), blob(s, r, r + " tmp " + i, false)),
                  r + " untagged " + i,
                  false);
          if (i < ORPHAN_REFERRERS_PER_APP) {
            referrer(s, r, m, blob(s, r, "orphan signature " + m, false), false);
            deadSubjects.computeIfAbsent(r, k -> new HashSet<>()).add(m);
          }
        }
        for (int i = 0; i < UNUSED_LINKS_PER_APP; i++) {
          blob(s, r, r + " unused " + i, false);
        }
      }
      for (int i = 0; i < EMPTY_REPO_MANIFESTS; i++) {
        image(s, EMPTY, List.of(base, blob(s, EMPTY, "empty " + i, false)), "empty " + i, false);
      }
      for (int i = 0; i < UNLINKED_BLOBS; i++) {
        Descriptor d = put(s, EMPTY, "unlinked " + i);
        deadBlobFiles.add(blobFile(d.digest()));
      }
    }
  }

  private Descriptor blob(Storage s, RepositoryName r, String content, boolean live) {
    Descriptor d = put(s, r, content);
    s.metadata().linkBlob(r, d.digest(), old);
    Path link = root.resolve("repositories/" + r + "/_links/sha256/" + d.digest().encoded());
    if (live) {
      liveBlobs.add(d.digest());
      liveLinks.computeIfAbsent(r, k -> new HashSet<>()).add(d.digest());
    } else {
      deadBlobFiles.add(blobFile(d.digest()));
      deadLinkFiles.add(link);
    }
    return d;
  }

  /** Stores a blob without linking it anywhere. */
  private static Descriptor put(Storage s, RepositoryName r, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    BlobUpload upload = s.uploads().create(r);
    upload.append(0, new ByteArrayInputStream(bytes));
    Digest d = upload.commit(Digest.sha256(bytes)).digest();
    return Descriptor.of(MediaType.OCI_LAYER_GZIP, d, bytes.length);
  }

  private Digest image(
      Storage s, RepositoryName r, List<Descriptor> layers, String configText, boolean live) {
    Descriptor config = blob(s, r, "{\"config\":\"" + configText + "\"}", live);
    return manifest(s, r, imageJson(config, layers, null), MediaType.OCI_MANIFEST, live);
  }

  private Digest referrer(
      Storage s, RepositoryName r, Digest subject, Descriptor signature, boolean live) {
    Descriptor config = blob(s, r, "{\"signed\":\"" + subject + "\"}", live);
    Descriptor subjectDescriptor =
        Descriptor.of(MediaType.OCI_MANIFEST, subject, manifestSize(s, r, subject));
    byte[] json = imageJson(config, List.of(signature), subjectDescriptor);
    Digest d = manifest(s, r, json, MediaType.OCI_MANIFEST, live);
    s.metadata().putReferrer(r, subject, Descriptor.of(MediaType.OCI_MANIFEST, d, json.length));
    return d;
  }

  private Digest index(Storage s, RepositoryName r, List<Descriptor> children) {
    List<String> parts = children.stream().map(Descriptor::toJson).toList();
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaType.OCI_INDEX.value()
            + "\",\"manifests\":["
            + String.join(",", parts)
            + "]}";
    return manifest(s, r, json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_INDEX, true);
  }

  private static byte[] imageJson(Descriptor config, List<Descriptor> layers, Descriptor subject) {
    List<String> parts = layers.stream().map(Descriptor::toJson).toList();
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MediaType.OCI_MANIFEST.value()
            + "\",\"config\":"
            + Descriptor.of(MediaType.OCI_CONFIG, config.digest(), config.size()).toJson()
            + ",\"layers\":["
            + String.join(",", parts)
            + "]"
            + (subject == null ? "" : ",\"subject\":" + subject.toJson())
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private Digest manifest(Storage s, RepositoryName r, byte[] json, MediaType type, boolean live) {
    Digest d = Digest.sha256(json);
    s.metadata().putManifest(r, new ManifestRecord(d, type, json, old, 0));
    if (live) {
      liveManifests.get(r).add(d);
    } else {
      deadManifestFiles.add(
          root.resolve("repositories/" + r + "/_manifests/sha256/" + d.encoded()));
    }
    return d;
  }

  private void tag(Storage s, RepositoryName r, String name, Digest manifest) {
    Tag t = Tag.parse(name);
    s.metadata().putTag(r, new TagRecord(t, manifest, old));
    tags.get(r).put(t, manifest);
  }

  private static long manifestSize(Storage s, RepositoryName r, Digest d) {
    return s.metadata().getManifest(r, d).orElseThrow().content().length;
  }

  private Path blobFile(Digest d) {
    String e = d.encoded();
    return root.resolve("blobs/sha256/" + e.substring(0, 2) + "/" + e);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static Digest sha256(InputStream in) throws IOException {
    MessageDigest md = Digest.newMessageDigest(Digest.SHA256);
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) > 0; ) {
      md.update(buffer, 0, n);
    }
    return Digest.fromHash(Digest.SHA256, md.digest());
  }

  /** Every item of a paginated listing keyed by the item itself (digests, names). */
  private static <T> List<T> listAll(Function<Optional<T>, Page<T>> lister) {
    return listAll(lister, t -> t);
  }

  private static <T, K> List<T> listAll(Function<Optional<K>, Page<T>> lister, Function<T, K> key) {
    List<T> all = new ArrayList<>();
    Optional<K> after = Optional.empty();
    while (true) {
      Page<T> page = lister.apply(after);
      all.addAll(page.items());
      if (!page.hasMore() || page.items().isEmpty()) {
        return all;
      }
      after = Optional.of(key.apply(page.items().get(page.items().size() - 1)));
    }
  }

  private static int countFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return (int) files.filter(Files::isRegularFile).count();
    }
  }

  /** Every file and directory under {@code dir}, with {@code dir} itself; empty when missing. */
  private static List<String> tree(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.map(p -> dir.relativize(p) + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
