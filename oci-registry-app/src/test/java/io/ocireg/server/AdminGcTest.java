package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.GcOptions;
import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobStore;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.UploadStore;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /admin/gc}, {@code /admin/scrub}, the schedule and the {@code gc} command. */
class AdminGcTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private static Descriptor blob(Registry r, String content) {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    Digest d = Digest.sha256(b);
    r.uploadWhole(REPO, d, new ByteArrayInputStream(b), b.length);
    return Descriptor.of(MediaType.OCI_LAYER_GZIP, d, b.length);
  }

  /** Pushes a small image tagged v1 and returns its layer. */
  private static Descriptor pushImage(Registry r) {
    Descriptor config = blob(r, "{}");
    Descriptor layer = blob(r, "layer");
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":"
            + Descriptor.of(MediaType.OCI_CONFIG, config.digest(), config.size()).toJson()
            + ",\"layers\":["
            + layer.toJson()
            + "]}";
    r.putManifest(
        REPO, Tag.parse("v1"), MediaType.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
    return layer;
  }

  private HttpResponse<String> post(OciRegistryServer server, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private OciRegistryServer server(MaintenanceOptions maintenance) {
    return OciRegistryServer.builder()
        .options(ServerOptions.defaults().withStorageDirectory(dir).withMaintenance(maintenance))
        .start();
  }

  @Test
  void adminEndpointsAreOffByDefault() throws Exception {
    try (OciRegistryServer server = server(MaintenanceOptions.defaults())) {
      assertThat(post(server, "/admin/gc", "").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void collectsAnEmptiedRepositoryAndAnswersTheReport() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      Registry r = server.registry();
      Descriptor layer = pushImage(r);
      r.deleteManifest(REPO, Tag.parse("v1"));

      HttpResponse<String> dry =
          post(
              server,
              "/admin/gc",
              "{\"dryRun\": true, \"gracePeriod\": \"0s\","
                  + " \"removeEmptyRepositories\": true}");
      assertThat(dry.statusCode()).isEqualTo(200);
      assertThat(dry.body())
          .contains("\"dryRun\":true", "\"links\":2,\"blobs\":2", "\"repositories\":1");
      assertThat(r.storage().blobs().stat(layer.digest())).isPresent();

      HttpResponse<String> real =
          post(server, "/admin/gc?gracePeriod=0s&removeEmptyRepositories=true", "");
      assertThat(real.statusCode()).isEqualTo(200);
      assertThat(real.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(real.body())
          .contains("\"dryRun\":false", "\"links\":2,\"blobs\":2", "\"repositories\":1");
      assertThat(r.storage().blobs().stat(layer.digest())).isEmpty();

      HttpResponse<String> catalog =
          http.send(
              HttpRequest.newBuilder(server.baseUri().resolve("/v2/_catalog")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(catalog.body()).doesNotContain("team/app");
      assertThat(dir.resolve("repositories/team")).doesNotExist();
    }
  }

  @Test
  void refusesUnknownOptions() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      HttpResponse<String> bad = post(server, "/admin/gc", "{\"frobnicate\": 1}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body())
          .isEqualTo(
              "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"unknown option frobnicate\","
                  + "\"detail\":\"frobnicate\"}]}");
    }
  }

  @Test
  void gcRefusesBadValuesAndBodiesInTheSpecErrorShape() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      HttpResponse<String> badDuration = post(server, "/admin/gc?gracePeriod=soon", "");
      assertThat(badDuration.statusCode()).isEqualTo(400);
      assertThat(badDuration.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(badDuration.body())
          .isEqualTo(
              "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"invalid option"
                  + " gracePeriod: 'soon' is not a duration such as 30s\","
                  + "\"detail\":\"gracePeriod\"}]}");
      HttpResponse<String> badKeep = post(server, "/admin/gc", "{\"keepUntagged\": -1}");
      assertThat(badKeep.statusCode()).isEqualTo(400);
      assertThat(badKeep.body()).contains("\"detail\":\"keepUntagged\"");
      HttpResponse<String> notAnObject = post(server, "/admin/gc", "[1, 2]");
      assertThat(notAnObject.statusCode()).isEqualTo(400);
      assertThat(notAnObject.body())
          .isEqualTo(
              "{\"errors\":[{\"code\":\"UNSUPPORTED\","
                  + "\"message\":\"options are not a JSON object\"}]}");
    }
  }

  @Test
  void scrubRefusesABadQuarantineValueAndUnknownOptionsWith400() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      HttpResponse<String> badQuery = post(server, "/admin/scrub?quarantine=x", "");
      assertThat(badQuery.statusCode()).isEqualTo(400);
      assertThat(badQuery.body())
          .isEqualTo(
              "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"invalid option"
                  + " quarantine: 'x' is not true or false\",\"detail\":\"quarantine\"}]}");
      HttpResponse<String> badBody = post(server, "/admin/scrub", "{\"quarantine\": 1}");
      assertThat(badBody.statusCode()).isEqualTo(400);
      HttpResponse<String> unknown = post(server, "/admin/scrub", "{\"dryRun\": true}");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("\"message\":\"unknown option dryRun\"");
      assertThat(post(server, "/admin/scrub?quarantine=false", "").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void unknownPathsAndMethodsAnswerInTheSpecErrorShape() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      HttpResponse<String> unknown = post(server, "/admin/defrag", "");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body())
          .isEqualTo(
              "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"no such admin"
                  + " endpoint\",\"detail\":\"/defrag\"}]}");
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(server.baseUri().resolve("/admin/gc")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.body()).startsWith("{\"errors\":[{\"code\":\"UNSUPPORTED\"");
    }
  }

  @Test
  void acceptsAJsonBodySentAsAForm() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      // What curl -d sends: the JSON body labelled as a form.
      HttpResponse<String> gc =
          http.send(
              HttpRequest.newBuilder(server.baseUri().resolve("/admin/gc"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"dryRun\": true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
      assertThat(gc.body()).contains("\"dryRun\":true");
    }
  }

  @Test
  void aSecondCollectionWhileOneRunsIs409() throws Exception {
    GatedStorage storage = new GatedStorage();
    try (OciRegistryServer server =
        OciRegistryServer.builder()
            .options(
                ServerOptions.defaults()
                    .withMaintenance(MaintenanceOptions.defaults().withAdminEndpoints(true)))
            .storage(storage)
            .start()) {
      pushImage(server.registry());
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch entered = storage.holdNext(release);
      CompletableFuture<HttpResponse<String>> first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return post(server, "/admin/gc", "");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      try {
        assertThat(entered.await(60, TimeUnit.SECONDS)).as("the first collection runs").isTrue();
        HttpResponse<String> second = post(server, "/admin/gc", "");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body())
            .isEqualTo(
                "{\"errors\":[{\"code\":\"UNSUPPORTED\","
                    + "\"message\":\"a collection is already running\"}]}");
      } finally {
        release.countDown();
      }
      assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aStorageFailureIs500InTheSpecErrorShape() throws Exception {
    BrokenStorage storage = new BrokenStorage();
    try (OciRegistryServer server =
        OciRegistryServer.builder()
            .options(
                ServerOptions.defaults()
                    .withMaintenance(MaintenanceOptions.defaults().withAdminEndpoints(true)))
            .storage(storage)
            .start()) {
      pushImage(server.registry());
      storage.broken = true;
      for (String path : List.of("/admin/scrub", "/admin/gc")) {
        HttpResponse<String> failed = post(server, path, "");
        assertThat(failed.statusCode()).as(path).isEqualTo(500);
        assertThat(failed.body())
            .as(path)
            .startsWith("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"")
            .doesNotContain("disk on fire");
      }
    }
  }

  /** In-memory storage whose blobs fail on demand. */
  private static final class BrokenStorage implements Storage {
    private final InMemoryStorage delegate = new InMemoryStorage();
    volatile boolean broken;

    @Override
    public BlobStore blobs() {
      if (broken) {
        throw new StorageException("disk on fire");
      }
      return delegate.blobs();
    }

    @Override
    public UploadStore uploads() {
      return delegate.uploads();
    }

    @Override
    public MetadataStore metadata() {
      return delegate.metadata();
    }

    @Override
    public void checkUsable() {
      delegate.checkUsable();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  @Test
  void scrubReportsAsJson() throws Exception {
    try (OciRegistryServer server =
        server(MaintenanceOptions.defaults().withAdminEndpoints(true))) {
      pushImage(server.registry());
      HttpResponse<String> scrub = post(server, "/admin/scrub", "");
      assertThat(scrub.statusCode()).isEqualTo(200);
      assertThat(scrub.body()).contains("\"blobsChecked\":2", "\"clean\":true");
    }
  }

  @Test
  void theScheduleCollectsOnItsOwn() throws Exception {
    MaintenanceOptions every =
        MaintenanceOptions.defaults()
            .withGcInterval(Optional.of(Duration.ofMillis(50)))
            .withGc(GcOptions.defaults().withGracePeriod(Duration.ZERO));
    try (OciRegistryServer server = server(every)) {
      Registry r = server.registry();
      Descriptor orphan = blob(r, "orphan");
      r.deleteBlob(REPO, orphan.digest());
      // Bounded only to turn a broken schedule into a failure, not a speed requirement.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (r.storage().blobs().stat(orphan.digest()).isPresent()) {
        assertThat(System.nanoTime()).as("the schedule never collected").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void gcCommandCollectsAStorageDirectory() throws Exception {
    Descriptor layer;
    try (OciRegistryServer server = server(MaintenanceOptions.defaults())) {
      layer = pushImage(server.registry());
      server.registry().deleteManifest(REPO, Tag.parse("v1"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main main =
        new Main(
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    main.launch(
        "gc",
        "--storage",
        dir.toString(),
        "--grace-period",
        "0s",
        "--keep-untagged",
        "0",
        "--dry-run");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "\"dryRun\":true", "\"swept\":{\"manifests\":1,\"tags\":0,\"links\":2,\"blobs\":2");
    assertThat(dir.resolve("blobs/sha256").resolve(layer.digest().encoded().substring(0, 2)))
        .isNotEmptyDirectory();

    out.reset();
    main.launch("gc", "--storage", dir.toString(), "--grace-period", "0s", "--keep-untagged", "0");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "\"dryRun\":false", "\"swept\":{\"manifests\":1,\"tags\":0,\"links\":2,\"blobs\":2");

    out.reset();
    main.launch("scrub", "--storage", dir.toString());
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"blobsChecked\":0");
  }
}
