package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Page;
import io.ocireg.storage.TagRecord;
import io.ocireg.storage.fs.FileSystemStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM to the packaged server while skopeo pushes a big layer: the server exits within its
 * shutdown timeout, starts again on the same storage, still serves what was pushed before, holds
 * the interrupted image completely or not at all, takes the push again, and every stored blob still
 * hashes to its digest. Run with a long shutdown timeout (the in-flight request may finish) and a
 * short one (it is cut off).
 */
class ShutdownDuringPushIT {
  static final long BIG_LAYER_BYTES = 384L << 20;
  // Upload data of this size on disk proves that the PATCH of the big layer is streaming.
  static final long IN_PROGRESS_BYTES = 8L << 20;
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path images;
  static Path source;

  @BeforeAll
  static void buildImages() throws Exception {
    Tools.require("skopeo", "umoci");
    source = images.resolve("source");
    Path scratch = images.resolve("scratch");
    OciLayouts.buildRandomLayerImage(source, scratch, "small", 64 * 1024 + 7, 11L);
    OciLayouts.buildRandomLayerImage(source, scratch, "big", BIG_LAYER_BYTES, 12L);
  }

  @ParameterizedTest(name = "shutdown timeout {0}s")
  @ValueSource(ints = {30, 1})
  void restartsWithConsistentStorageAfterSigtermDuringAPush(int shutdownSeconds, @TempDir Path work)
      throws Exception {
    Path storage = work.resolve("storage");
    List<String> flags = List.of("--shutdown-timeout", shutdownSeconds + "s");
    Skopeo skopeo = Skopeo.in(work);
    List<String> small = OciLayouts.configAndLayers(source, "small");
    List<String> big = OciLayouts.configAndLayers(source, "big");

    RegistryProcess registry = RegistryProcess.start(storage, List.of(), flags);
    Tools.Result interrupted;
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      push(skopeo, registry, "small", "e2e/small:1");
      String bigRemote = "docker://" + registry.host() + "/e2e/big:1";
      Future<Tools.Result> push =
          background.submit(
              () ->
                  skopeo.tryRun(
                      "copy",
                      "--dest-tls-verify=false",
                      "--format",
                      "oci",
                      "oci:" + source + ":big",
                      bigRemote));
      awaitUploadInProgress(registry, storage, push);

      long sent = System.nanoTime();
      registry.stop(Duration.ofSeconds(shutdownSeconds + 30L));
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      assertThat(registry.output()).as("the shutdown hook ran").contains("ocireg stopped");
      interrupted = push.get(5, TimeUnit.MINUTES);
      System.out.printf(
          "shutdown timeout %ds: stopped %d ms after SIGTERM; interrupted push exited %d%n",
          shutdownSeconds, stopMillis, interrupted.exitCode());
    } finally {
      background.shutdownNow();
      registry.close();
    }

    registry = RegistryProcess.start(storage, List.of(), flags);
    try {
      assertThat(get(registry, "readyz", "*/*").statusCode()).isEqualTo(200);

      Path pulled = work.resolve("pulled");
      pull(skopeo, registry, "e2e/small:1", pulled, "small");
      assertThat(OciLayouts.manifestDigest(pulled, "small"))
          .isEqualTo(OciLayouts.manifestDigest(source, "small"));
      assertThat(OciLayouts.configAndLayers(pulled, "small")).isEqualTo(small);

      String outcome = checkAllOrNothing(registry, skopeo, interrupted, pulled, big);
      System.out.printf("shutdown timeout %ds: interrupted image %s%n", shutdownSeconds, outcome);

      push(skopeo, registry, "big", "e2e/big:1");
      pull(skopeo, registry, "e2e/big:1", pulled, "big-again");
      assertThat(OciLayouts.manifestDigest(pulled, "big-again"))
          .isEqualTo(OciLayouts.manifestDigest(source, "big"));
      assertThat(OciLayouts.configAndLayers(pulled, "big-again")).isEqualTo(big);
    } finally {
      registry.close();
    }

    Set<String> expected = new HashSet<>(small);
    expected.addAll(big);
    checkStorage(storage, expected);
  }

  /**
   * Waits until the big layer streams: its upload session was opened (POST answered 202) and holds
   * {@value #IN_PROGRESS_BYTES} bytes or more. Fails if the push ends first.
   */
  private static void awaitUploadInProgress(
      RegistryProcess registry, Path storage, Future<Tools.Result> push) throws Exception {
    String opened = "POST /v2/e2e/big/blobs/uploads/ 202 ";
    while (true) {
      if (push.isDone()) {
        fail("the push ended before its upload was seen in progress: " + push.get().output());
      }
      if (registry.output().stream().anyMatch(line -> line.contains(opened))
          && largestUpload(storage) >= IN_PROGRESS_BYTES) {
        return;
      }
      Thread.sleep(10);
    }
  }

  /** The size of the biggest {@code uploads/<id>/data} file of the storage's on-disk layout. */
  private static long largestUpload(Path storage) throws IOException {
    long largest = 0;
    try (Stream<Path> sessions = Files.list(storage.resolve("uploads"))) {
      for (Path session : (Iterable<Path>) sessions::iterator) {
        try {
          largest = Math.max(largest, Files.size(session.resolve("data")));
        } catch (IOException e) {
          // Not written yet, or committed and moved into blobs/ since the listing.
        }
      }
    }
    return largest;
  }

  /**
   * The interrupted image is either unknown or whole: its manifest is the source's, each of its
   * blobs has the right size, and it pulls with identical digests. A push that skopeo reported done
   * must have left it whole.
   */
  private static String checkAllOrNothing(
      RegistryProcess registry,
      Skopeo skopeo,
      Tools.Result interrupted,
      Path pulled,
      List<String> big)
      throws Exception {
    for (String digest : big) {
      HttpResponse<String> head = head(registry, "v2/e2e/big/blobs/" + digest);
      assertThat(head.statusCode()).as("HEAD blob %s", digest).isIn(200, 404);
      if (head.statusCode() == 200) {
        assertThat(head.headers().firstValueAsLong("Content-Length").orElse(-1))
            .as("a blob is never partial: %s", digest)
            .isEqualTo(blobSize(big, digest));
      }
    }
    HttpResponse<byte[]> manifest = get(registry, "v2/e2e/big/manifests/1", OCI_MANIFEST);
    if (manifest.statusCode() == 404) {
      assertThat(interrupted.exitCode())
          .as("skopeo reported the push done, yet the tag is unknown: %s", interrupted.output())
          .isNotZero();
      assertThat(OciLayouts.json(utf8(manifest.body())).get("errors").get(0).get("code").asText())
          .isEqualTo("MANIFEST_UNKNOWN");
      return "absent";
    }
    assertThat(manifest.statusCode()).as(utf8(manifest.body())).isEqualTo(200);
    assertThat(OciLayouts.sha256(manifest.body()))
        .isEqualTo(OciLayouts.manifestDigest(source, "big"));
    for (String digest : big) {
      assertThat(head(registry, "v2/e2e/big/blobs/" + digest).statusCode())
          .as("blob %s of the tagged image", digest)
          .isEqualTo(200);
    }
    pull(skopeo, registry, "e2e/big:1", pulled, "big");
    assertThat(OciLayouts.configAndLayers(pulled, "big")).isEqualTo(big);
    return "complete";
  }

  private static long blobSize(List<String> configAndLayers, String digest) throws IOException {
    if (digest.equals(configAndLayers.get(0))) {
      return OciLayouts.blobJson(source, OciLayouts.manifestDigest(source, "big"))
          .get("config")
          .get("size")
          .asLong();
    }
    return OciLayouts.layerSize(source, "big", digest);
  }

  /**
   * Opens the storage as the server left it: every blob hashes to its digest (and has the size it
   * is listed with), the expected ones are there, and every tag leads to a stored manifest whose
   * config and layers are stored blobs.
   */
  private static void checkStorage(Path storage, Set<String> expected) throws Exception {
    try (FileSystemStorage fs = FileSystemStorage.open(storage)) {
      Set<String> stored = new HashSet<>();
      Optional<Digest> after = Optional.empty();
      Page<Digest> page;
      do {
        page = fs.blobs().list(after, 100);
        for (Digest digest : page.items()) {
          BlobInfo info = fs.blobs().stat(digest).orElseThrow();
          assertThat(hash(fs, digest, info.size()))
              .as("content of blob %s", digest)
              .isEqualTo(digest);
          stored.add(digest.toString());
          after = Optional.of(digest);
        }
      } while (page.hasMore());
      assertThat(stored).containsAll(expected);
      System.out.printf("%d blobs hash to their digests%n", stored.size());

      List<RepositoryName> repositories =
          fs.metadata().listRepositories(Optional.empty(), 100).items();
      assertThat(repositories)
          .extracting(RepositoryName::toString)
          .contains("e2e/small", "e2e/big");
      for (RepositoryName repository : repositories) {
        for (TagRecord tag : fs.metadata().listTags(repository, Optional.empty(), 100).items()) {
          ManifestRecord manifest =
              fs.metadata().getManifest(repository, tag.digest()).orElseThrow();
          assertThat(Digest.sha256(manifest.content())).isEqualTo(tag.digest());
          JsonNode json = OciLayouts.json(utf8(manifest.content()));
          List<JsonNode> descriptors = new ArrayList<>();
          descriptors.add(json.get("config"));
          json.get("layers").forEach(descriptors::add);
          for (JsonNode d : descriptors) {
            Digest digest = Digest.parse(d.get("digest").asText());
            assertThat(fs.blobs().stat(digest))
                .as("%s:%s references %s", repository, tag.tag(), digest)
                .hasValueSatisfying(b -> assertThat(b.size()).isEqualTo(d.get("size").asLong()));
          }
        }
      }
    }
  }

  /** Streams the blob through SHA-256 with a 1 MiB buffer, checking its length on the way. */
  private static Digest hash(FileSystemStorage fs, Digest digest, long size) throws IOException {
    MessageDigest sha = Digest.newMessageDigest(digest.algorithm());
    byte[] buf = new byte[1 << 20];
    long total = 0;
    try (InputStream in = fs.blobs().open(digest, 0, -1)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        total += n;
      }
    }
    assertThat(total).as("length of blob %s", digest).isEqualTo(size);
    return Digest.fromHash(digest.algorithm(), sha.digest());
  }

  private static void push(Skopeo skopeo, RegistryProcess registry, String ref, String to) {
    skopeo.run(
        "copy",
        "--dest-tls-verify=false",
        "--format",
        "oci",
        "oci:" + source + ":" + ref,
        "docker://" + registry.host() + "/" + to);
  }

  private static void pull(
      Skopeo skopeo, RegistryProcess registry, String from, Path layout, String ref) {
    skopeo.run(
        "copy",
        "--src-tls-verify=false",
        "docker://" + registry.host() + "/" + from,
        "oci:" + layout + ":" + ref);
  }

  private static HttpResponse<byte[]> get(RegistryProcess registry, String path, String accept)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(registry.baseUri().resolve(path)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> head(RegistryProcess registry, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(registry.baseUri().resolve(path))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
