package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.server.RequestMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import land.oras.Annotations;
import land.oras.ArtifactType;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.Layer;
import land.oras.LocalPath;
import land.oras.Manifest;
import land.oras.Referrers;
import land.oras.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ORAS Java SDK pushes, pulls and attaches artifacts against the extension's registry. */
@OciRegistryTest
class OrasTest {
  static final String CARD_TYPE = "application/vnd.example.agent-card.v1";
  static final String SIGNATURE_TYPE = "application/vnd.example.signature.v1";
  static final String CARD = "{\"name\":\"weather-agent\",\"skills\":[\"forecast\"]}";

  static Manifest pushCard(OciRegistry registry, ContainerRef ref, Path work) throws Exception {
    Path card = Clients.file(work.resolve("card"), "agent-card.json", CARD);
    return Clients.oras(registry)
        .pushArtifact(
            ref,
            ArtifactType.from(CARD_TYPE),
            Annotations.empty(),
            Config.empty(),
            LocalPath.of(card, "application/json"));
  }

  static Manifest signature(Manifest subject, ContainerRef ref, Registry oras) {
    Layer sig = oras.pushBlob(ref, "signed".getBytes());
    return Manifest.empty()
        .withArtifactType(ArtifactType.from(SIGNATURE_TYPE))
        .withLayers(java.util.List.of(sig))
        .withSubject(subject.getDescriptor().toSubject());
  }

  @Test
  void pushesAJsonArtifactPullsItBackAndFindsItsReferrer(OciRegistry registry, @TempDir Path work)
      throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    Manifest pushed = pushCard(registry, ref, work);

    StoredManifest stored = registry.manifest("agents/weather", "1").orElseThrow();
    assertThat(stored.json()).contains("\"artifactType\":\"" + CARD_TYPE + "\"");
    assertThat(stored.json()).contains("\"mediaType\":\"application/json\"");
    String layer = pushed.getLayers().get(0).getDigest();
    assertThat(new String(registry.blob("agents/weather", layer))).isEqualTo(CARD);

    Registry oras = Clients.oras(registry);
    Path out = Files.createDirectories(work.resolve("out"));
    oras.pullArtifact(ref, out, true);
    assertThat(Files.readString(out.resolve("agent-card.json"))).isEqualTo(CARD);

    ContainerRef subject = ref.withDigest(stored.digest());
    Manifest sig = signature(oras.getManifest(subject), ref, oras);
    oras.pushManifest(ContainerRef.parse(registry.imageReference("agents/weather:signature")), sig);

    Referrers referrers = oras.getReferrers(subject, ArtifactType.from(SIGNATURE_TYPE));
    assertThat(referrers.getManifests())
        .singleElement()
        .satisfies(d -> assertThat(d.getArtifactType()).isEqualTo(SIGNATURE_TYPE));
    assertThat(registry.journal().requests("GET", ".*/referrers/.*"))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void pullFailsWhenTheConnectionIsCutInTheMiddleOfTheBlob(OciRegistry registry, @TempDir Path work)
      throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    pushCard(registry, ref, work);
    registry.faults().on(RequestMatcher.blobGet()).cutBodyHalfway();

    Path out = Files.createDirectories(work.resolve("out"));
    assertThatThrownBy(() -> Clients.oras(registry).pullArtifact(ref, out, true))
        .hasStackTraceContaining("bytes received: " + CARD.length() / 2);
    assertThat(registry.journal().requests("GET", ".*/blobs/.*"))
        .singleElement()
        .satisfies(r -> assertThat(r.responseBytes()).isEqualTo(CARD.length() / 2));
  }

  @Test
  void pullsBytesThatDoNotMatchTheirDigestWhenTheBlobIsCorrupted(
      OciRegistry registry, @TempDir Path work) throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    Manifest pushed = pushCard(registry, ref, work);
    registry.faults().on(RequestMatcher.blobGet()).corruptBody();

    Path out = Files.createDirectories(work.resolve("out"));
    Clients.oras(registry).pullArtifact(ref, out, true);
    // ORAS does not verify what it pulls: the test sees the mismatch a verifying client reports.
    byte[] pulled = Files.readAllBytes(out.resolve("agent-card.json"));
    assertThat(pulled).hasSize(CARD.length());
    assertThat(digestOf(pulled)).isNotEqualTo(pushed.getLayers().get(0).getDigest());
  }

  @Test
  void seesTheInjectedStatusTooManyRequestsAndADelay(OciRegistry registry, @TempDir Path work)
      throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("agents/weather:1"));
    pushCard(registry, ref, work);
    Registry oras = Clients.oras(registry);
    registry.faults().on(RequestMatcher.manifestGet()).respond(503, "UNAVAILABLE", "maintenance");
    assertThatThrownBy(() -> oras.getManifest(ref)).hasMessageContaining("503");
    registry.faults().clear();
    registry.faults().on(RequestMatcher.manifestGet()).tooManyRequests(Duration.ofSeconds(3));
    assertThatThrownBy(() -> oras.getManifest(ref)).hasMessageContaining("429");
    registry.faults().clear();
    registry.faults().on(RequestMatcher.manifestGet()).delay(Duration.ofMillis(300));
    assertThat(oras.getManifest(ref).getArtifactType().getMediaType()).isEqualTo(CARD_TYPE);

    assertThat(registry.journal().requests("GET", ".*/manifests/1"))
        .extracting(r -> r.status())
        .endsWith(503, 429, 200);
    var delayed = registry.journal().requests("GET", ".*/manifests/1");
    assertThat(delayed.get(delayed.size() - 1).duration())
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(delayed.get(delayed.size() - 2).responseHeader("Retry-After")).contains("3");
  }

  static String digestOf(String s) throws Exception {
    return digestOf(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static String digestOf(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
