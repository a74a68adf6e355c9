package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import land.oras.ContainerRef;
import land.oras.Index;
import land.oras.Manifest;
import land.oras.ManifestDescriptor;
import land.oras.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each engine switch, as a real client meets it; each test has its own registry. */
class SwitchesTest {

  @Test
  @OciRegistryTest(referrers = false)
  void withoutReferrersTheSubjectIsNotAcknowledgedAndClientsUseTheTagSchema(
      OciRegistry registry, @TempDir Path work) throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    OrasTest.pushCard(registry, ref, work);
    Registry oras = Clients.oras(registry);
    String subjectDigest = registry.manifest("agents/weather", "1").orElseThrow().digest();
    ContainerRef subject = ref.withDigest(subjectDigest);
    Manifest sig = OrasTest.signature(oras.getManifest(subject), ref, oras);
    ContainerRef sigRef = ContainerRef.parse(registry.imageReference("agents/weather:sig"));

    // ORAS Java needs OCI-Subject and has no fallback of its own: it reports the old registry.
    assertThatThrownBy(() -> oras.pushManifest(sigRef, sig)).hasMessageContaining("OCI subject");
    assertThat(registry.manifest("agents/weather", "sig")).isPresent();
    assertThat(registry.journal().manifestPushes()).hasSize(2);
    assertThat(registry.journal().requests("PUT", ".*/manifests/sig"))
        .singleElement()
        .satisfies(r -> assertThat(r.responseHeader("OCI-Subject")).isEmpty());
    assertThatThrownBy(() -> oras.getReferrers(subject, null)).hasMessageContaining("404");

    // The tag-schema fallback, done with the same client: an index at sha256-<hex>.
    StoredManifest stored = registry.manifest("agents/weather", "sig").orElseThrow();
    String fallbackTag = subjectDigest.replace(':', '-');
    Index index =
        Index.fromManifests(
            List.of(
                ManifestDescriptor.of(stored.mediaType(), stored.digest(), stored.content().length)
                    .withArtifactType(OrasTest.SIGNATURE_TYPE)));
    oras.pushIndex(
        ContainerRef.parse(registry.imageReference("agents/weather:" + fallbackTag)), index);
    Index found =
        oras.getIndex(ContainerRef.parse(registry.imageReference("agents/weather:" + fallbackTag)));
    assertThat(found.getManifests())
        .singleElement()
        .satisfies(d -> assertThat(d.getDigest()).isEqualTo(stored.digest()));
  }

  @Test
  @OciRegistryTest(singlePostUpload = false)
  void withoutSinglePostUploadOrasFallsBackToASession(OciRegistry registry, @TempDir Path work)
      throws Exception {
    var pushed =
        OrasTest.pushCard(
            registry, ContainerRef.parse(registry.imageReference("agents/weather:1")), work);
    String layer = pushed.getLayers().get(0).getDigest();

    assertThat(registry.blobExists("agents/weather", layer)).isTrue();
    assertThat(registry.journal().requests("POST", ".*/blobs/uploads/?"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(202));
    assertThat(registry.journal().upload(layer).orElseThrow().singleRequest()).isFalse();
  }

  @Test
  @OciRegistryTest
  void withSinglePostUploadOrasPushesEachBlobInOneRequest(OciRegistry registry, @TempDir Path work)
      throws Exception {
    var pushed =
        OrasTest.pushCard(
            registry, ContainerRef.parse(registry.imageReference("agents/weather:1")), work);
    var upload = registry.journal().upload(pushed.getLayers().get(0).getDigest()).orElseThrow();
    assertThat(upload.singleRequest()).isTrue();
    assertThat(upload.chunkSizes()).containsExactly((long) OrasTest.CARD.length());
  }

  @Test
  @OciRegistryTest(dockerMediaTypes = false)
  void withoutDockerMediaTypesJibsDefaultFormatIsRefused(OciRegistry registry, @TempDir Path work)
      throws Exception {
    Path file = Clients.file(work.resolve("src"), "a.txt", "docker");
    assertThatThrownBy(
            () ->
                Clients.fromScratch(file, ImageFormat.Docker)
                    .containerize(
                        Clients.jibTo(
                            registry.imageReference("demo/app:1"), registry.credentials(), work)))
        .hasStackTraceContaining("400");
    assertThat(registry.journal().requests("PUT", ".*/manifests/1"))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(400));

    Clients.jibPush(registry, "demo/app:1", work, "oci");
    assertThat(registry.manifest("demo/app", "1")).isPresent();
  }

  @Test
  @OciRegistryTest
  void dockerMediaTypesAreAcceptedByDefault(OciRegistry registry, @TempDir Path work)
      throws Exception {
    Path file = Clients.file(work.resolve("src"), "a.txt", "docker");
    Clients.fromScratch(file, ImageFormat.Docker)
        .containerize(
            Clients.jibTo(registry.imageReference("demo/app:1"), registry.credentials(), work));
    assertThat(registry.manifest("demo/app", "1").orElseThrow().mediaType())
        .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
  }

  @Test
  @OciRegistryTest(immutableTags = true)
  void withImmutableTagsATagCannotMoveButTheSamePushIsFine(OciRegistry registry, @TempDir Path work)
      throws Exception {
    Clients.jibPush(registry, "demo/app:1", work, "first");
    String first = registry.manifest("demo/app", "1").orElseThrow().digest();
    Clients.jibPush(registry, "demo/app:1", work, "first"); // reproducible: same digest

    assertThatThrownBy(() -> Clients.jibPush(registry, "demo/app:1", work, "second"))
        .hasStackTraceContaining("400");
    assertThat(registry.manifest("demo/app", "1").orElseThrow().digest()).isEqualTo(first);
  }

  @Test
  @OciRegistryTest
  void tagsMoveByDefault(OciRegistry registry, @TempDir Path work) throws Exception {
    Clients.jibPush(registry, "demo/app:1", work, "first");
    String first = registry.manifest("demo/app", "1").orElseThrow().digest();
    Clients.jibPush(registry, "demo/app:1", work, "second");
    assertThat(registry.manifest("demo/app", "1").orElseThrow().digest()).isNotEqualTo(first);
  }

  @Test
  @OciRegistryTest(deletes = false)
  void withoutDeletesManifestAndBlobDeletesAre405(OciRegistry registry, @TempDir Path work)
      throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    var pushed = OrasTest.pushCard(registry, ref, work);
    Registry oras = Clients.oras(registry);
    String layer = pushed.getLayers().get(0).getDigest();

    assertThatThrownBy(() -> oras.deleteManifest(ref)).hasMessageContaining("405");
    assertThatThrownBy(() -> oras.deleteBlob(ref.withDigest(layer))).hasMessageContaining("405");
    assertThat(registry.manifest("agents/weather", "1")).isPresent();
    assertThat(registry.blobExists("agents/weather", layer)).isTrue();
  }

  @Test
  @OciRegistryTest
  void deletesWorkByDefault(OciRegistry registry, @TempDir Path work) throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    OrasTest.pushCard(registry, ref, work);
    Clients.oras(registry).deleteManifest(ref);
    assertThat(registry.manifest("agents/weather", "1")).isEmpty();
  }

  @Test
  @OciRegistryTest(mountWithoutFrom = false)
  void withoutMountWithoutFromAMountWithoutFromOpensASession(
      OciRegistry registry, @TempDir Path work) throws Exception {
    assertThat(mountWithoutFrom(registry, work)).isEqualTo(202);
    assertThat(registry.journal().mounts()).isEmpty();
  }

  @Test
  @OciRegistryTest
  void mountWithoutFromMountsByDefault(OciRegistry registry, @TempDir Path work) throws Exception {
    assertThat(mountWithoutFrom(registry, work)).isEqualTo(201);
    assertThat(registry.journal().mounts())
        .singleElement()
        .satisfies(m -> assertThat(m.from()).isEmpty());
  }

  /** Pushes a blob to one repository and asks, on the wire, to mount it into another. */
  private static int mountWithoutFrom(OciRegistry registry, Path work) throws Exception {
    var pushed =
        OrasTest.pushCard(
            registry, ContainerRef.parse(registry.imageReference("agents/weather:1")), work);
    String layer = pushed.getLayers().get(0).getDigest();
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            registry.baseUri() + "v2/other/repo/blobs/uploads/?mount=" + layer))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return response.statusCode();
  }
}
