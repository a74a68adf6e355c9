package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several skopeo clients push images that share layers and delete tags while garbage is collected
 * in a loop (two seconds of grace, untagged manifests and empty repositories removed): by the
 * server itself ({@code POST /admin/gc}), or by {@code java -jar oci-registry.jar gc} in processes
 * of their own on the server's directory. Half the pushes are images of their own on top of a
 * shared one, so that deleted tags leave real garbage. Afterwards every image that was acknowledged
 * and is still tagged pulls completely with matching digests (all of them over plain HTTP, every
 * blob hashed; a random sample of {@value #SKOPEO_SAMPLE} with skopeo as well), and nothing
 * unreferenced is left on disk.
 *
 * <p>Each test is bounded by {@code -Dgc.stress.seconds} (default 60); run a soak with a larger
 * value, against a private copy of the jar with {@code -Docireg.jar=PATH}.
 */
class GcStressIT {
  private static final int IMAGES = 6;
  private static final int CLIENTS = 3;
  private static final long SECONDS = Long.getLong("gc.stress.seconds", 60);
  private static final int SKOPEO_SAMPLE = 20;
  private static final int UNIQUE_BYTES = 40_000;
  private static final String GC_OPTIONS =
      "{\"gracePeriod\":\"2s\",\"keepUntagged\":0,\"removeEmptyRepositories\":true,"
          + "\"deleteOrphanReferrers\":true}";

  private static final List<String> GC_FLAGS =
      List.of(
          "--grace-period",
          "2s",
          "--keep-untagged",
          "0",
          "--remove-empty-repositories",
          "--delete-orphan-referrers");

  @TempDir Path work;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void acknowledgedImagesSurviveCollectionsRunningDuringPushesAndDeletes() throws Exception {
    stress(List.of("--admin-endpoints", "true"), this::collectThroughAdminEndpoint);
  }

  /**
   * The same with {@code java -jar oci-registry.jar gc --storage DIR} in a loop, each run a process
   * of its own on the directory the server is using: only the storage's collection lock and the
   * times in storage keep the two apart.
   */
  @Test
  void acknowledgedImagesSurviveCollectionsFromTheCommandLineInAnotherProcess() throws Exception {
    stress(List.of(), this::collectFromTheCommandLine);
  }

  /** One collection: its report, or empty when another one was running. */
  private interface Collector {
    Optional<JsonNode> collectOnce(RegistryProcess registry) throws Exception;
  }

  private Optional<JsonNode> collectThroughAdminEndpoint(RegistryProcess registry)
      throws IOException {
    HttpResponse<String> r = gc(registry, GC_OPTIONS);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 409);
    return r.statusCode() == 200 ? Optional.of(OciLayouts.json(r.body())) : Optional.empty();
  }

  private Optional<JsonNode> collectFromTheCommandLine(RegistryProcess registry)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                System.getProperty("ocireg.jar", "target/oci-registry.jar"),
                "gc",
                "--storage",
                work.resolve("storage").toString()));
    command.addAll(GC_FLAGS);
    Tools.Result r = Tools.tryRun(Map.of(), command.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    String report =
        r.output()
            .lines()
            .filter(l -> l.startsWith("{\"startedAt\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no report in: " + r.output()));
    return Optional.of(OciLayouts.json(report));
  }

  private void stress(List<String> serverArgs, Collector gc) throws Exception {
    Tools.require("skopeo", "umoci");
    Path layout = work.resolve("images");
    buildImagesSharingLayers(layout);
    Skopeo skopeo = Skopeo.in(work);
    try (RegistryProcess registry =
        RegistryProcess.start(work.resolve("storage"), List.of("-Xmx256m"), serverArgs)) {
      List<DerivedImage> shared = new ArrayList<>();
      for (int i = 0; i < IMAGES; i++) {
        shared.add(
            new DerivedImage(
                OciLayouts.manifestDigest(layout, "img" + i),
                OciLayouts.configAndLayers(layout, "img" + i)));
      }
      Map<String, DerivedImage> tagged = new ConcurrentHashMap<>(); // repo:tag -> what it holds
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong pushes = new AtomicLong();
      AtomicLong failedPushes = new AtomicLong();
      AtomicLong deletes = new AtomicLong();
      AtomicLong collections = new AtomicLong();
      GcTotals stats = new GcTotals();
      long started = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
      try {
        pool.submit(
            () -> {
              // Progress for long runs: one line a minute.
              while (!done.get()) {
                Thread.sleep(60_000);
                System.out.printf(
                    "gc stress at %d s: %d pushes acknowledged, %d refused, %d tags deleted,"
                        + " %s; load %s%n",
                    (System.nanoTime() - started) / 1_000_000_000L,
                    pushes.get(),
                    failedPushes.get(),
                    deletes.get(),
                    stats.summary(),
                    loadAverage());
              }
              return null;
            });
        Future<?> collector =
            pool.submit(
                () -> {
                  while (!done.get()) {
                    Optional<JsonNode> report = gc.collectOnce(registry);
                    if (report.isPresent()) {
                      collections.incrementAndGet();
                      stats.add(report.get());
                    }
                  }
                  return null;
                });
        List<Future<?>> clients = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        for (int c = 0; c < CLIENTS; c++) {
          int id = c;
          clients.add(
              pool.submit(
                  () -> {
                    Random random = new Random(id);
                    for (int i = 0; System.nanoTime() < end; i++) {
                      int base = random.nextInt(IMAGES);
                      String ref = "stress/r" + random.nextInt(3) + ":c" + id + "-" + i;
                      // Half the pushes are one of the shared images, half an image of their own
                      // on top of one (garbage once its tag goes).
                      String source = "oci:" + layout + ":img" + base;
                      DerivedImage image = shared.get(base);
                      Path own = work.resolve("own/c" + id + "-" + i);
                      if (random.nextBoolean()) {
                        image =
                            DerivedImage.write(
                                layout, "img" + base, own, random.nextLong(), UNIQUE_BYTES);
                        source = "oci:" + own + ":" + DerivedImage.TAG;
                      }
                      Tools.Result r =
                          skopeo.tryRun(
                              "copy",
                              "--dest-tls-verify=false",
                              source,
                              "docker://" + registry.host() + "/" + ref);
                      deleteTree(own);
                      if (r.exitCode() == 0) {
                        tagged.put(ref, image);
                        pushes.incrementAndGet();
                      } else {
                        // Refused because a collection took a blob it meant to reuse: never
                        // acknowledged, so nothing is owed.
                        failedPushes.incrementAndGet();
                      }
                      if (random.nextInt(3) == 0 && !tagged.isEmpty()) {
                        List<String> refs = new ArrayList<>(tagged.keySet());
                        String victim = refs.get(random.nextInt(refs.size()));
                        if (tagged.remove(victim) != null) {
                          deleteTag(registry, victim);
                          deletes.incrementAndGet();
                        }
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> client : clients) {
          client.get(SECONDS + 600, TimeUnit.SECONDS);
        }
        done.set(true);
        collector.get(600, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      System.out.printf(
          "gc stress: %d s, %d pushes acknowledged, %d refused, %d tags deleted, %d still tagged,"
              + " %s; load %s%n",
          (System.nanoTime() - started) / 1_000_000_000L,
          pushes.get(),
          failedPushes.get(),
          deletes.get(),
          tagged.size(),
          stats.summary(),
          loadAverage());
      assertThat(pushes.get()).isPositive();
      assertThat(collections.get()).isPositive();

      Thread.sleep(2_500); // past the grace period
      stats.add(gc.collectOnce(registry).orElseThrow());

      // Every acknowledged, still tagged image, pulled completely over HTTP.
      long verifyStart = System.nanoTime();
      HttpImageCheck check = new HttpImageCheck(registry.baseUri());
      List<String> lost = new ArrayList<>();
      Set<String> needed = new HashSet<>();
      for (Map.Entry<String, DerivedImage> e : tagged.entrySet()) {
        String[] at = e.getKey().split(":");
        lost.addAll(check.check(at[0], at[1], e.getValue().manifestDigest()));
        needed.addAll(e.getValue().blobs());
      }
      long httpMillis = (System.nanoTime() - verifyStart) / 1_000_000;
      // A sample of them with a real client too; skopeo verifies every blob it pulls.
      List<String> sample = new ArrayList<>(new TreeSet<>(tagged.keySet()));
      Collections.shuffle(sample, new Random(SECONDS));
      sample = sample.subList(0, Math.min(SKOPEO_SAMPLE, sample.size()));
      for (String ref : sample) {
        Path out = work.resolve("pulled");
        skopeo.runRetryingPing(
            "copy",
            "--src-tls-verify=false",
            "docker://" + registry.host() + "/" + ref,
            "oci:" + out + ":x");
        assertThat(OciLayouts.manifestDigest(out, "x"))
            .as(ref)
            .isEqualTo(tagged.get(ref).manifestDigest());
        assertThat(OciLayouts.configAndLayers(out, "x")).as(ref).isEqualTo(tagged.get(ref).blobs());
      }
      Set<String> onDisk = blobsOnDisk(work.resolve("storage"));
      System.out.printf(
          "gc stress verification: %d tagged images checked over HTTP (%d manifests, %d blobs,"
              + " %d bytes hashed) in %d ms, %d lost; %d pulled with skopeo; %d blobs on disk,"
              + " %d needed; load %s%n",
          tagged.size(),
          check.manifestsChecked(),
          check.blobsChecked(),
          check.bytesChecked(),
          httpMillis,
          lost.size(),
          sample.size(),
          onDisk.size(),
          needed.size(),
          loadAverage());
      assertThat(lost).as("acknowledged, still tagged images that did not pull whole").isEmpty();
      assertThat(onDisk).isEqualTo(needed);
      for (int r = 0; r < 3; r++) {
        String repo = "stress/r" + r;
        boolean any = tagged.keySet().stream().anyMatch(k -> k.startsWith(repo + ":"));
        assertThat(Files.exists(work.resolve("storage/repositories/stress/r" + r)))
            .as(repo)
            .isEqualTo(any);
      }
      System.out.println("gc stress totals: " + stats.summary());
    }
  }

  /** img0 is a base; img1..n each add a layer on top of img0, so all share its layer. */
  private void buildImagesSharingLayers(Path layout) throws IOException {
    Path scratch = Files.createDirectories(work.resolve("scratch"));
    OciLayouts.buildRandomLayerImage(layout, scratch, "img0", 200_000, 1);
    for (int i = 1; i < IMAGES; i++) {
      Path data = scratch.resolve("f" + i);
      Files.write(data, ("unique content " + i).repeat(1000).getBytes(StandardCharsets.UTF_8));
      Tools.run(Map.of(), "umoci", "tag", "--image", layout + ":img0", "img" + i);
      Tools.run(
          Map.of(),
          "umoci",
          "insert",
          "--image",
          layout + ":img" + i,
          data.toString(),
          "/data/f" + i);
    }
  }

  private HttpResponse<String> gc(RegistryProcess registry, String options) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(registry.baseUri().resolve("/admin/gc"))
              .POST(HttpRequest.BodyPublishers.ofString(options))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void deleteTag(RegistryProcess registry, String ref) throws Exception {
    String[] at = ref.split(":");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    registry.baseUri().resolve("/v2/" + at[0] + "/manifests/" + at[1]))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Sums of the reports of the collections that ran. */
  private static final class GcTotals {
    private long runs;
    private long manifests;
    private long tags;
    private long links;
    private long blobs;
    private long referrers;
    private long repositories;
    private long keptRecent;
    private long bytesFreed;
    private long longestMillis;

    synchronized void add(JsonNode report) {
      JsonNode swept = report.get("swept");
      runs++;
      manifests += swept.get("manifests").asLong();
      tags += swept.get("tags").asLong();
      links += swept.get("links").asLong();
      blobs += swept.get("blobs").asLong();
      referrers += swept.get("referrers").asLong();
      repositories += swept.get("repositories").asLong();
      keptRecent += report.get("keptRecent").asLong();
      bytesFreed += report.get("bytesFreed").asLong();
      longestMillis = Math.max(longestMillis, report.get("durationMillis").asLong());
    }

    synchronized String summary() {
      return String.format(
          "%d collections swept %d manifests, %d tags, %d links, %d blobs, %d referrers,"
              + " %d repositories (%d kept as recent), %d bytes freed, longest %d ms",
          runs,
          manifests,
          tags,
          links,
          blobs,
          referrers,
          repositories,
          keptRecent,
          bytesFreed,
          longestMillis);
    }
  }

  private static Set<String> blobsOnDisk(Path storage) throws IOException {
    Set<String> out = new HashSet<>();
    try (Stream<Path> files = Files.walk(storage.resolve("blobs"))) {
      files.filter(Files::isRegularFile).forEach(f -> out.add("sha256:" + f.getFileName()));
    }
    return out;
  }
}
