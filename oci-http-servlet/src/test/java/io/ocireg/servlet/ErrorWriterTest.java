package io.ocireg.servlet;

import static io.ocireg.servlet.HttpTestBase.header;
import static io.ocireg.servlet.HttpTestBase.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.Digest;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures that are not registry errors: storage faults before and during a response. */
class ErrorWriterTest {
  private final FaultyStorage storage = new FaultyStorage();
  private final RegistryServer server = RegistryServer.start(storage);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersStorageFailureWith500AndAGenericBody() {
    Digest d = server.pushBlob("lib/app", "content".getBytes(StandardCharsets.UTF_8));
    storage.failStat();
    HttpResponse<byte[]> r = server.get("/v2/lib/app/blobs/" + d);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    assertThat(text(r))
        .isEqualTo("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"internal error\"}]}");
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
    assertThat(header(r, "Docker-Content-Digest")).isNull();
  }

  @Test
  void neverShowsTheCauseToTheClient() {
    Digest d = server.pushBlob("lib/app", "content".getBytes(StandardCharsets.UTF_8));
    storage.failStat();
    HttpResponse<byte[]> r = server.get("/v2/lib/app/blobs/" + d);
    assertThat(text(r)).doesNotContain(FaultyStorage.SECRET).doesNotContain("Exception");
    HttpResponse<byte[]> head = server.head("/v2/lib/app/blobs/" + d);
    assertThat(head.statusCode()).isEqualTo(500);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void abortsAResponseThatFailsAfterItStarted() {
    byte[] big = new byte[4 * BlobsHandler.BUFFER_SIZE];
    new Random(7).nextBytes(big);
    Digest d = server.pushBlob("lib/app", big);
    storage.failReadsAfter(BlobsHandler.BUFFER_SIZE + 100);
    // The status and length are on the wire already: the client must see a broken transfer,
    // never a complete-looking short body.
    assertThatThrownBy(() -> server.get("/v2/lib/app/blobs/" + d))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void answersAFailureBeforeTheFirstByteWith500AndKeepsServing() {
    Digest d = server.pushBlob("lib/app", "content".getBytes(StandardCharsets.UTF_8));
    storage.failReadsAfter(0);
    HttpResponse<byte[]> r = server.get("/v2/lib/app/blobs/" + d);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(text(r)).contains("\"UNSUPPORTED\"").doesNotContain(FaultyStorage.SECRET);
    assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(r.body().length));
    assertThat(server.get("/v2/").statusCode()).isEqualTo(200);
  }
}
