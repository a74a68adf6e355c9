package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.ocireg.server.RequestJournal;
import io.ocireg.server.RequestMatcher;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jib core builds and pushes to the extension's registry; the test checks the engine's view. */
@OciRegistryTest
class JibTest {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  static List<String> digestsIn(String json) {
    Matcher m = DIGEST.matcher(json);
    return m.results().map(r -> r.group()).toList();
  }

  @Test
  void pushesAnImageFromScratchWhoseManifestAndLayersTheRegistryHolds(
      OciRegistry registry, @TempDir Path work) throws Exception {
    JibContainer pushed = Clients.jibPush(registry, "demo/app:1.0", work, "hello from jib");

    assertThat(registry.repositories()).containsExactly("demo/app");
    assertThat(registry.tags("demo/app")).containsExactly("1.0");
    StoredManifest manifest = registry.manifest("demo/app", "1.0").orElseThrow();
    assertThat(manifest.digest()).isEqualTo(pushed.getDigest().toString());
    assertThat(manifest.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    List<String> blobs = digestsIn(manifest.json());
    assertThat(blobs).hasSize(2); // config and the one file layer
    assertThat(blobs).allMatch(d -> registry.blobExists("demo/app", d));
    assertThat(new String(registry.blob("demo/app", blobs.get(0)))).contains("\"rootfs\"");

    RequestJournal journal = registry.journal();
    assertThat(journal.manifestPushes())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.repository()).isEqualTo("demo/app");
              assertThat(p.reference()).isEqualTo("1.0");
              assertThat(p.mediaType()).contains("application/vnd.oci.image.manifest.v1+json");
              assertThat(p.digest()).contains(manifest.digest());
            });
    // Jib sends each blob as one PATCH and closes the session with an empty PUT.
    String layer = blobs.get(1);
    RequestJournal.BlobUpload upload = journal.upload(layer).orElseThrow();
    assertThat(upload.chunkCount()).isEqualTo(1);
    assertThat(upload.singleRequest()).isFalse();
    assertThat(upload.chunkSizes().get(0))
        .isEqualTo(
            registry
                .engine()
                .blobInfo(
                    io.ocireg.spec.RepositoryName.parse("demo/app"),
                    io.ocireg.spec.Digest.parse(layer))
                .size());
    assertThat(journal.mounts()).isEmpty();
  }

  @Test
  void mountsTheLayersOfABaseImageFromTheSameRegistryAndSendsAcceptHeaders(
      OciRegistry registry, @TempDir Path work) throws Exception {
    Clients.jibPush(registry, "base/image:1", work, "base layer");
    List<String> baseBlobs = digestsIn(registry.manifest("base/image", "1").orElseThrow().json());
    registry.journal().reset();

    Path file = Clients.file(work.resolve("app"), "app.txt", "app layer");
    Jib.from(RegistryImage.named(registry.imageReference("base/image:1")))
        .setFormat(ImageFormat.OCI)
        .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
        .containerize(
            Clients.jibTo(registry.imageReference("team/app:2"), registry.credentials(), work));

    String baseLayer = baseBlobs.get(1);
    assertThat(registry.journal().wasMounted(baseLayer)).isTrue();
    assertThat(registry.journal().mounts())
        .anySatisfy(
            m -> {
              assertThat(m.repository()).isEqualTo("team/app");
              assertThat(m.from()).contains("base/image");
            });
    assertThat(registry.journal().upload(baseLayer)).isEmpty();
    assertThat(registry.journal().acceptHeaders())
        .isNotEmpty()
        .allMatch(a -> a.contains("application/vnd.oci.image.manifest.v1+json"));
    assertThat(registry.blobExists("team/app", baseLayer)).isTrue();
  }

  @Test
  void seesAnInjected500OnTheManifestPushAndSucceedsOnItsNextPush(
      OciRegistry registry, @TempDir Path work) throws Exception {
    var fault = registry.faults().on(RequestMatcher.manifestPut()).respond(500, "UNKNOWN");

    assertThatThrownBy(() -> Clients.jibPush(registry, "demo/app:1", work, "x"))
        .hasStackTraceContaining("500");
    assertThat(registry.manifest("demo/app", "1")).isEmpty();
    assertThat(fault.fired()).isEqualTo(1);

    Clients.jibPush(registry, "demo/app:1", work, "x");
    assertThat(registry.manifest("demo/app", "1")).isPresent();
    assertThat(registry.journal().requests("PUT", ".*/manifests/1"))
        .extracting(r -> r.status())
        .containsExactly(500, 201);
  }

  @Test
  void seesA429WithRetryAfterOnTheUploadStart(OciRegistry registry, @TempDir Path work) {
    registry
        .faults()
        .on(RequestMatcher.uploadStart())
        .tooManyRequests(java.time.Duration.ofSeconds(2));

    assertThatThrownBy(() -> Clients.jibPush(registry, "demo/app:1", work, "x"))
        .hasStackTraceContaining("429");
    assertThat(registry.journal().requests(r -> r.status() == 429))
        .singleElement()
        .satisfies(r -> assertThat(r.responseHeader("Retry-After")).contains("2"));
  }

  @Test
  void failsWithADigestErrorWhenTheBaseImageConfigItPullsIsCorrupted(
      OciRegistry registry, @TempDir Path work) throws Exception {
    Clients.jibPush(registry, "base/image:1", work, "base layer");
    registry.faults().on(RequestMatcher.blobGet()).always().corruptBody();

    Path file = Clients.file(work.resolve("app"), "app.txt", "app layer");
    Containerizer to =
        Clients.jibTo(registry.imageReference("team/app:2"), registry.credentials(), work)
            .setAlwaysCacheBaseImage(true);
    assertThatThrownBy(
            () ->
                Jib.from(RegistryImage.named(registry.imageReference("base/image:1")))
                    .setFormat(ImageFormat.OCI)
                    .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
                    .containerize(to))
        .hasStackTraceContaining("digest");
    assertThat(registry.manifest("team/app", "2")).isEmpty();
  }
}
