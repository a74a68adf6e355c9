package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whatever refuses a request, Jetty or the registry, the client gets the spec's JSON error. */
class JsonErrorsTest {
  private static OciRegistryServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = OciRegistryServer.builder().build();
    server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUri() + path.substring(1)));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void encodedDotSegmentsRefusedByJettyAreNameInvalidJson() throws Exception {
    HttpResponse<String> r = get("/v2/a/%2e%2e/b/tags/list");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).contains("\"code\":\"NAME_INVALID\"").doesNotContain("Jetty");
  }

  @Test
  void unknownPathsOutsideV2AreJson404() throws Exception {
    HttpResponse<String> r = get("/nothing/here");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body())
        .isEqualTo("{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"not found\"}]}");
  }

  @Test
  void oversizedHeadersAreJsonAndNoResponseNamesTheServer() throws Exception {
    HttpResponse<String> r = get("/v2/", "X-Big", "a".repeat(20_000));
    assertThat(r.statusCode()).isEqualTo(431);
    assertThat(r.body()).contains("\"code\":\"UNSUPPORTED\"");
    HttpResponse<String> ok = get("/v2/");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Server")).isEmpty();
    assertThat(r.headers().firstValue("Server")).isEmpty();
  }
}
