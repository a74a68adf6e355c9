package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class VersionHandlerTest extends HttpTestBase {

  @Test
  void answersVersionCheckWithEmptyJsonObject() {
    HttpResponse<byte[]> r = server.get("/v2/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("{}");
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    assertThat(header(r, "Content-Length")).isEqualTo("2");
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void answersVersionCheckWithoutTrailingSlash() {
    HttpResponse<byte[]> r = server.get("/v2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(text(r)).isEqualTo("{}");
  }

  @Test
  void answersHeadWithHeadersOnly() {
    HttpResponse<byte[]> r = server.head("/v2/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    assertThat(header(r, "Content-Length")).isEqualTo("2");
    assertThat(header(r, "Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
  }

  @Test
  void refusesPostOnVersionCheck() {
    HttpResponse<byte[]> r = server.send("POST", "/v2/", new byte[0]);
    assertError(r, 405, "UNSUPPORTED");
    assertThat(header(r, "Allow")).isEqualTo("GET, HEAD, OPTIONS");
  }
}
