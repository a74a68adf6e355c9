package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExchangePrinterTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void printsTheRequestLineHeadersAndBodyAndTheResponseStatusHeadersAndBody() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire wire =
        new Wire(
            registry.registry().baseUri(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    String manifest = "not a manifest";
    wire.send(
        HttpRequest.newBuilder(wire.url("/v2/demo/manifests/v1"))
            .header("Content-Type", MediaTypes.IMAGE_MANIFEST)
            .PUT(HttpRequest.BodyPublishers.ofString(manifest))
            .build(),
        manifest);
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .contains("> PUT " + registry.registry().baseUri().resolve("/v2/demo/manifests/v1"))
        .contains("> Content-Type: " + MediaTypes.IMAGE_MANIFEST)
        .contains("> Content-Length: " + manifest.length())
        .contains("> not a manifest")
        .contains("< 400 Bad Request")
        .contains("< Content-Type: application/json")
        .contains("\"code\":\"MANIFEST_INVALID\"");
  }

  @Test
  void printsBinaryBodiesAsTheirSizeAndStreamedOnesAsChunked() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Wire wire =
        new Wire(
            registry.registry().baseUri(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

    wire.send(
        HttpRequest.newBuilder(wire.url("/v2/demo/blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))
            .build());
    wire.send(
        HttpRequest.newBuilder(wire.url("/v2/demo/blobs/uploads/"))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(new byte[0])))
            .build());
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out).contains("> (3 bytes)").contains("> Transfer-Encoding: chunked");
  }

  @Test
  void writesHeaderNamesAsTheSpecDoes() {
    assertThat(ExchangePrinter.canonical("docker-content-digest"))
        .isEqualTo("Docker-Content-Digest");
    assertThat(ExchangePrinter.canonical("oci-filters-applied")).isEqualTo("OCI-Filters-Applied");
    assertThat(ExchangePrinter.canonical("docker-distribution-api-version"))
        .isEqualTo("Docker-Distribution-API-Version");
    assertThat(ExchangePrinter.canonical("docker-upload-uuid")).isEqualTo("Docker-Upload-UUID");
  }

  @Test
  void keepsTheRegistrysQueryWhenAddingTheDigest() {
    assertThat(
            Wire.withQuery(
                java.net.URI.create("http://r/v2/a/blobs/uploads/x?_state=s"),
                "digest",
                "sha256:ab"))
        .hasToString("http://r/v2/a/blobs/uploads/x?_state=s&digest=sha256:ab");
    assertThat(
            Wire.withQuery(
                java.net.URI.create("http://r/up"), "artifactType", "application/spdx+json"))
        .hasToString("http://r/up?artifactType=application/spdx%2Bjson");
  }
}
