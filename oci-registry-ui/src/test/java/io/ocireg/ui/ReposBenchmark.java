package io.ocireg.ui;

import io.ocireg.core.Registry;
import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.fs.FileSystemStorage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Not a test: times {@code GET api/repos} over HTTP (embedded Jetty, {@link UiServlet} at {@code
 * /}) against a filesystem registry of {@code REPOS} repositories (default 10 000), each holding
 * one tagged image pushed through the engine, plus one repository {@value #BIG} whose image has
 * {@code BIG_TAGS} tags (default 100 000). Prints median and p95 of the first page, a later page, a
 * search (50 rows each), the page holding the big repository, and pages of its tags; and the time
 * of the first request of each case (nothing remembered yet).
 *
 * <pre>
 * java -cp ... io.ocireg.ui.ReposBenchmark [DIR] [REPOS] [ROUNDS]
 * </pre>
 *
 * (see {@code bench/ui-repos.sh}, which builds the class path). {@code DIR} is filled once and
 * reused by later runs.
 */
public final class ReposBenchmark {
  private ReposBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir =
        Path.of(args.length > 0 ? args[0] : Files.createTempDirectory("ui-bench").toString());
    int repos = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    int bigTags = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    Path marker = dir.resolve("filled-" + repos);
    if (!Files.exists(marker)) {
      long t = System.nanoTime();
      fill(dir, repos);
      Files.writeString(marker, "");
      System.out.printf("filled %d repositories in %.1f s%n", repos, (System.nanoTime() - t) / 1e9);
    }
    Path bigMarker = dir.resolve("big-" + bigTags);
    if (bigTags > 0 && !Files.exists(bigMarker)) {
      long t = System.nanoTime();
      fillBig(dir, bigTags);
      Files.writeString(bigMarker, "");
      System.out.printf(
          "filled %s with %d tags in %.1f s%n", BIG, bigTags, (System.nanoTime() - t) / 1e9);
    }
    try (UiServer server =
        UiServer.start(
            FileSystemStorage.open(dir),
            RegistryOptions.defaults(),
            Clock.systemUTC(),
            AccessControl.open(),
            UiOptions.defaults(),
            "/")) {
      long cold = System.nanoTime();
      check(server.get("/api/repos?n=50"));
      System.out.printf(
          "first request after start (lists the storage once): %.1f ms%n",
          (System.nanoTime() - cold) / 1e6);
      String later = name(repos / 2);
      Map<String, String> cases = new java.util.LinkedHashMap<>();
      cases.put("first page", "/api/repos?n=50");
      cases.put("later page", "/api/repos?n=50&last=" + later);
      cases.put("search", "/api/repos?n=50&q=app-12");
      if (bigTags > 0) {
        // team-050/app-5081 ... app-5099, then team-050/big, then team-051/...
        cases.put("big page", "/api/repos?n=50&last=" + name(5080));
        cases.put("big tags 1", "/api/tags/" + BIG + "?n=100");
        cases.put("big tags n", "/api/tags/" + BIG + "?n=100&last=" + bigTag(bigTags / 2));
        cases.put("big digest", "/api/manifest/" + BIG + "?ref=" + bigTag(0));
      }
      System.out.printf(
          "%d repositories, %d timed requests per case after %d warm-up requests%n",
          repos, rounds, rounds / 2);
      for (Map.Entry<String, String> c : cases.entrySet()) {
        long first = System.nanoTime();
        check(server.get(c.getValue()));
        System.out.printf(
            "%-11s first request %.1f ms%n", c.getKey(), (System.nanoTime() - first) / 1e6);
        // Counting a digest's tags reads every tag of the repository: a few rounds only.
        int n = c.getKey().equals("big digest") ? Math.min(rounds, 5) : rounds;
        for (int i = 0; i < n / 2; i++) {
          check(server.get(c.getValue()));
        }
        List<Double> ms = new ArrayList<>();
        String total = "-";
        for (int i = 0; i < n; i++) {
          long t = System.nanoTime();
          HttpResponse<String> r = server.get(c.getValue());
          ms.add((System.nanoTime() - t) / 1e6);
          check(r);
          total = UiServer.json(r).path("total").asText("-");
        }
        Collections.sort(ms);
        System.out.printf(
            "%-11s %-46s total=%-6s median %6.1f ms  p95 %6.1f ms  max %6.1f ms%n",
            c.getKey(),
            c.getValue(),
            total,
            ms.get(ms.size() / 2),
            ms.get((int) Math.ceil(ms.size() * 0.95) - 1),
            ms.get(ms.size() - 1));
      }
    }
  }

  private static void check(HttpResponse<String> r) {
    if (r.statusCode() != 200
        || r.uri().getPath().endsWith("/api/repos")
            && UiServer.json(r).path("repositories").size() != 50) {
      throw new IllegalStateException("unexpected answer " + r.statusCode() + ": " + r.body());
    }
  }

  /** The repository of many tags, sorting among team-050's. */
  static final String BIG = "team-050/big";

  static String bigTag(int i) {
    return String.format("t%06d", i);
  }

  /**
   * One image under {@code tags} tags: the manifest through the engine, the tags written straight
   * into the metadata store (the engine would write the same records, much more slowly).
   */
  private static void fillBig(Path dir, int tags) {
    try (FileSystemStorage storage = FileSystemStorage.builder(dir).fsync(false).open()) {
      Registry registry = Registry.create(storage);
      TestImages images = new TestImages(registry);
      TestImages.Pushed image = images.image(BIG, bigTag(0), "linux", "amd64");
      RepositoryName repo = RepositoryName.parse(BIG);
      java.time.Instant now = java.time.Instant.now();
      for (int i = 1; i < tags; i++) {
        storage
            .metadata()
            .putTag(
                repo, new io.ocireg.storage.TagRecord(Tag.parse(bigTag(i)), image.digest(), now));
      }
    }
  }

  /** {@code team-NNN/app-NNNN}: a hundred repositories per team. */
  static String name(int i) {
    return String.format("team-%03d/app-%04d", i / 100, i);
  }

  /** Pushes one tagged image per repository through the engine (fsync off while filling). */
  private static void fill(Path dir, int repos) {
    try (FileSystemStorage storage = FileSystemStorage.builder(dir).fsync(false).open()) {
      Registry registry = Registry.create(storage);
      TestImages images = new TestImages(registry);
      RepositoryName seed = RepositoryName.parse("seed/base");
      Descriptor config = images.config(seed.value(), "linux", "amd64", Map.of());
      Descriptor layer =
          images.blob(seed.value(), MediaType.OCI_LAYER_GZIP, new byte[] {1, 2, 3, 4, 5});
      for (int i = 0; i < repos; i++) {
        RepositoryName repo = RepositoryName.parse(name(i));
        registry.mount(repo, config.digest(), Optional.of(seed));
        registry.mount(repo, layer.digest(), Optional.of(seed));
        ImageManifest m =
            new ImageManifest(
                2,
                MediaType.OCI_MANIFEST,
                Optional.empty(),
                config,
                List.of(layer),
                Optional.empty(),
                Map.of("org.example.index", Integer.toString(i)));
        registry.putManifest(repo, Tag.parse("latest"), MediaType.OCI_MANIFEST, m.toJson());
      }
      // The seed is one more repository; drop its links so that exactly REPOS remain.
      storage.metadata().unlinkBlob(seed, config.digest());
      storage.metadata().unlinkBlob(seed, layer.digest());
      storage.metadata().pruneRepository(seed);
    }
  }
}
