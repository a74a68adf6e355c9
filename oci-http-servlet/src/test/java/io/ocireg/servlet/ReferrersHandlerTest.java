package io.ocireg.servlet;

import static io.ocireg.servlet.TestManifest.descriptor;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class ReferrersHandlerTest extends HttpTestBase {
  private static final String SBOM = "application/vnd.example.sbom.v1+json";
  private static final String SIGNATURE = "application/vnd.example.signature.v1";

  private Pushed subject;
  private final List<Digest> sboms = new ArrayList<>();
  private Digest signature;

  @BeforeEach
  void pushSubjectAndReferrers() {
    subject = pushImage("lib/app", "v1", "subject");
    String subjectDescriptor =
        descriptor(TestManifest.OCI_MANIFEST, subject.digest(), subject.bytes().length);
    Digest empty = server.pushBlob("lib/app", "{}".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 3; i++) {
      byte[] sbom =
          TestManifest.image(descriptor(TestManifest.OCI_EMPTY, empty, 2))
              .artifactType(SBOM)
              .subject(subjectDescriptor)
              .annotation("org.example.index", Integer.toString(i))
              .bytes();
      sboms.add(pushImage("lib/app", Digest.sha256(sbom).toString(), sbom).digest());
    }
    sboms.sort(Comparator.comparing(Digest::toString));
    byte[] sig =
        TestManifest.image(descriptor(TestManifest.OCI_EMPTY, empty, 2))
            .artifactType(SIGNATURE)
            .subject(subjectDescriptor)
            .bytes();
    signature = pushImage("lib/app", Digest.sha256(sig).toString(), sig).digest();
  }

  private static ImageIndex index(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(header(r, "Content-Type")).isEqualTo(TestManifest.OCI_INDEX);
    return (ImageIndex) Manifest.parse(r.body(), MediaType.OCI_INDEX);
  }

  private String path() {
    return "/v2/lib/app/referrers/" + subject.digest();
  }

  @Test
  void answersUnknownSubjectWithEmptyIndex() {
    Digest unknown = Digest.sha256("no such manifest".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r = server.get("/v2/lib/app/referrers/" + unknown);
    ImageIndex index = index(r);
    assertThat(index.manifests()).isEmpty();
    assertThat(index.schemaVersion()).isEqualTo(2);
    assertThat(header(r, "OCI-Filters-Applied")).isNull();
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void answersUnknownRepositoryWithEmptyIndex() {
    assertThat(index(server.get("/v2/never/pushed/referrers/" + subject.digest())).manifests())
        .isEmpty();
  }

  @Test
  void listsReferrersWithArtifactTypeAndAnnotations() {
    HttpResponse<byte[]> r = server.get(path());
    ImageIndex index = index(r);
    assertThat(index.manifests()).hasSize(4);
    assertThat(index.manifests())
        .extracting(Descriptor::digest)
        .containsExactlyInAnyOrder(sboms.get(0), sboms.get(1), sboms.get(2), signature);
    Descriptor sig =
        index.manifests().stream().filter(d -> d.digest().equals(signature)).findFirst().get();
    assertThat(sig.artifactType()).hasValue(MediaType.of(SIGNATURE));
    assertThat(sig.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    Descriptor first =
        index.manifests().stream().filter(d -> d.digest().equals(sboms.get(0))).findFirst().get();
    assertThat(first.artifactType()).hasValue(MediaType.of(SBOM));
    assertThat(first.annotations()).containsKey("org.example.index");
    assertThat(header(r, "OCI-Filters-Applied")).isNull();
  }

  @Test
  void filtersByArtifactTypeAndSaysSo() {
    HttpResponse<byte[]> r = server.get(path() + "?artifactType=" + SIGNATURE);
    ImageIndex index = index(r);
    assertThat(index.manifests()).extracting(Descriptor::digest).containsExactly(signature);
    assertThat(header(r, "OCI-Filters-Applied")).isEqualTo("artifactType");
  }

  @Test
  void filtersByArtifactTypeWithUnescapedPlus() {
    ImageIndex index = index(server.get(path() + "?artifactType=" + SBOM));
    assertThat(index.manifests()).extracting(Descriptor::digest).containsExactlyElementsOf(sboms);
  }

  @Test
  void filterMatchingNothingGivesEmptyIndex() {
    HttpResponse<byte[]> r = server.get(path() + "?artifactType=application/vnd.none");
    assertThat(index(r).manifests()).isEmpty();
    assertThat(header(r, "OCI-Filters-Applied")).isEqualTo("artifactType");
  }

  @Test
  void paginatesWithLink() {
    HttpResponse<byte[]> r = server.get(path() + "?n=1&artifactType=" + SBOM.replace("+", "%2B"));
    ImageIndex index = index(r);
    assertThat(index.manifests()).extracting(Descriptor::digest).containsExactly(sboms.get(0));
    assertThat(header(r, "Link"))
        .isEqualTo(
            "<"
                + path()
                + "?n=1&last="
                + sboms.get(0).toString().replace(":", "%3A")
                + "&artifactType="
                + SBOM.replace("/", "%2F").replace("+", "%2B")
                + ">; rel=\"next\"");
  }

  @Test
  void followsLinksThroughEveryPage() {
    List<Digest> seen = new ArrayList<>();
    String next = path() + "?n=1&artifactType=" + SBOM.replace("+", "%2B");
    int pages = 0;
    while (next != null) {
      HttpResponse<byte[]> r =
          server.send("GET", server.resolve(next), HttpRequest.BodyPublishers.noBody());
      index(r).manifests().forEach(d -> seen.add(d.digest()));
      assertThat(header(r, "OCI-Filters-Applied")).isEqualTo("artifactType");
      String link = header(r, "Link");
      next = link == null ? null : link.substring(1, link.indexOf('>'));
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(sboms);
  }

  @Test
  void dropsAReferrerWhenItIsDeleted() {
    assertThat(server.delete("/v2/lib/app/manifests/" + signature).statusCode()).isEqualTo(202);
    ImageIndex index = index(server.get(path()));
    assertThat(index.manifests()).extracting(Descriptor::digest).doesNotContain(signature);
    assertThat(index.manifests()).hasSize(3);
  }

  @Test
  void listsAReferrerOnceWhenItIsPushedAgain() {
    byte[] again = server.get("/v2/lib/app/manifests/" + signature).body();
    server.pushManifest("lib/app", "sig-tag", TestManifest.OCI_MANIFEST, again);
    assertThat(index(server.get(path())).manifests()).hasSize(4);
  }

  @Test
  void refusesInvalidDigestWith400() {
    assertError(server.get("/v2/lib/app/referrers/sha256:123"), 400, "DIGEST_INVALID");
    assertError(server.get("/v2/lib/app/referrers/latest"), 400, "DIGEST_INVALID");
  }

  @Test
  void refusesMalformedArtifactTypeAndN() {
    assertThat(server.get(path() + "?artifactType=nonsense").statusCode()).isEqualTo(400);
    assertThat(server.get(path() + "?n=many").statusCode()).isEqualTo(400);
  }

  @Test
  void ignoresUnknownParameters() {
    assertThat(index(server.get(path() + "?foo=bar&baz")).manifests()).hasSize(4);
  }
}
