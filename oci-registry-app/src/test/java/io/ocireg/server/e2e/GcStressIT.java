package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * Several skopeo clients push images that share layers and delete tags while the server collects
 * garbage in a loop ({@code POST /admin/gc}, two seconds of grace, untagged manifests and empty
 * repositories removed). Afterwards every image that was acknowledged and is still tagged pulls
 * completely with matching digests, and nothing unreferenced is left on disk.
 *
 * <p>Bounded by {@code -Dgc.stress.seconds} (default 60); run a soak with a larger value.
 */
class GcStressIT {
  private static final int IMAGES = 6;
  private static final int CLIENTS = 3;
  private static final long SECONDS = Long.getLong("gc.stress.seconds", 60);
  private static final String GC_OPTIONS =
      "{\"gracePeriod\":\"2s\",\"keepUntagged\":0,\"removeEmptyRepositories\":true,"
          + "\"deleteOrphanReferrers\":true}";

  @TempDir Path work;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void acknowledgedImagesSurviveCollectionsRunningDuringPushesAndDeletes() throws Exception {
    Tools.require("skopeo", "umoci");
    Path layout = work.resolve("images");
    buildImagesSharingLayers(layout);
    Skopeo skopeo = Skopeo.in(work);
    try (RegistryProcess registry =
        RegistryProcess.start(
            work.resolve("storage"), List.of("-Xmx256m"), List.of("--admin-endpoints", "true"))) {
      Map<String, String> tagged = new ConcurrentHashMap<>(); // repo:tag -> image name
      AtomicBoolean done = new AtomicBoolean();
      AtomicLong pushes = new AtomicLong();
      AtomicLong failedPushes = new AtomicLong();
      AtomicLong deletes = new AtomicLong();
      AtomicLong collections = new AtomicLong();
      AtomicLong freed = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
      try {
        Future<?> collector =
            pool.submit(
                () -> {
                  while (!done.get()) {
                    HttpResponse<String> r = gc(registry, GC_OPTIONS);
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 409);
                    if (r.statusCode() == 200) {
                      collections.incrementAndGet();
                      freed.addAndGet(number(r.body(), "bytesFreed"));
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
                      String image = "img" + random.nextInt(IMAGES);
                      String ref = "stress/r" + random.nextInt(3) + ":c" + id + "-" + i;
                      Tools.Result r =
                          skopeo.tryRun(
                              "copy",
                              "--dest-tls-verify=false",
                              "oci:" + layout + ":" + image,
                              "docker://" + registry.host() + "/" + ref);
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
          "gc stress: %d pushes acknowledged, %d refused, %d tags deleted, %d collections,"
              + " %d bytes freed%n",
          pushes.get(), failedPushes.get(), deletes.get(), collections.get(), freed.get());
      assertThat(pushes.get()).isPositive();
      assertThat(collections.get()).isPositive();

      Thread.sleep(2_500); // past the grace period
      HttpResponse<String> last = gc(registry, GC_OPTIONS);
      assertThat(last.statusCode()).isEqualTo(200);

      Set<String> needed = new HashSet<>();
      for (Map.Entry<String, String> e : tagged.entrySet()) {
        String expected = OciLayouts.manifestDigest(layout, e.getValue());
        String inspected =
            skopeo.runRetryingPing(
                "inspect",
                "--tls-verify=false",
                "--format",
                "{{.Digest}}",
                "docker://" + registry.host() + "/" + e.getKey());
        assertThat(inspected.trim()).as(e.getKey()).isEqualTo(expected);
        Path out = work.resolve("pulled");
        skopeo.runRetryingPing(
            "copy",
            "--src-tls-verify=false",
            "docker://" + registry.host() + "/" + e.getKey(),
            "oci:" + out + ":x");
        // skopeo verifies every blob it pulls against its digest.
        assertThat(OciLayouts.configAndLayers(out, "x"))
            .isEqualTo(OciLayouts.configAndLayers(layout, e.getValue()));
        needed.addAll(OciLayouts.configAndLayers(layout, e.getValue()));
      }
      assertThat(blobsOnDisk(work.resolve("storage"))).isEqualTo(needed);
      for (int r = 0; r < 3; r++) {
        String repo = "stress/r" + r;
        boolean any = tagged.keySet().stream().anyMatch(k -> k.startsWith(repo + ":"));
        assertThat(Files.exists(work.resolve("storage/repositories/stress/r" + r)))
            .as(repo)
            .isEqualTo(any);
      }
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

  private HttpResponse<String> gc(RegistryProcess registry, String options) {
    try {
      return http.send(
          HttpRequest.newBuilder(registry.baseUri().resolve("/admin/gc"))
              .POST(HttpRequest.BodyPublishers.ofString(options))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
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

  private static long number(String json, String key) {
    int i = json.indexOf("\"" + key + "\":");
    int start = i + key.length() + 3;
    int end = start;
    while (end < json.length() && Character.isDigit(json.charAt(end))) {
      end++;
    }
    return Long.parseLong(json.substring(start, end));
  }

  private static Set<String> blobsOnDisk(Path storage) throws IOException {
    Set<String> out = new HashSet<>();
    try (Stream<Path> files = Files.walk(storage.resolve("blobs"))) {
      files.filter(Files::isRegularFile).forEach(f -> out.add("sha256:" + f.getFileName()));
    }
    return out;
  }
}
