package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever a client pushed comes back as JSON strings equal to what was pushed, never as markup:
 * the characters HTML and script parsers care about are escaped in every response.
 */
class HostileContentTest {
  static final List<String> HOSTILE =
      List.of(
          "</script><script>alert(1)</script>",
          "<img src=x onerror=alert(document.cookie)>",
          "\"'><svg onload=alert(1)>",
          "a\u2028b\u2029c",
          "&lt;entity&gt; & ampersand",
          "back\\slash \u0000 nul \u001f unit",
          "emoji \uD83D\uDE00 and RTL \u202E override");

  private UiServer server;
  private TestImages.Pushed image;
  private TestImages.Pushed referrer;

  @BeforeEach
  void push() {
    server = UiServer.start(new InMemoryStorage());
    TestImages images = new TestImages(server.registry());
    Map<String, String> hostile = new java.util.LinkedHashMap<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      hostile.put("k" + i, HOSTILE.get(i));
    }
    hostile.put("<b>key</b>", "value");
    image = images.image("evil/app", "1.0", "linux", "amd64", hostile, hostile);
    referrer =
        images.artifact(
            "evil/app",
            TestImages.BY_DIGEST,
            "application/vnd.example+json",
            Optional.of(image),
            hostile);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void assertRoundTrips(JsonNode map) {
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertThat(map.path("k" + i).asText()).isEqualTo(HOSTILE.get(i));
    }
    assertThat(map.path("<b>key</b>").asText()).isEqualTo("value");
  }

  @Test
  void annotationsLabelsAndReferrersRoundTripAsStringsWithoutMarkup() {
    HttpResponse<String> r = server.get("/api/manifest/evil/app?ref=1.0");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("<", ">", "&", "'", "\u2028", "\u2029");
    assertThat(r.body()).contains("\\u003C");
    JsonNode m = UiServer.json(r);
    assertRoundTrips(m.path("annotations"));
    assertRoundTrips(m.path("config").path("labels"));
    assertRoundTrips(m.path("manifest").path("annotations"));
    assertRoundTrips(m.path("referrers").get(0).path("annotations"));
    assertThat(m.path("referrers").get(0).path("digest").asText())
        .isEqualTo(referrer.digest().toString());
  }

  @Test
  void listingsEscapeToo() {
    for (String path : new String[] {"/api/repos", "/api/tags/evil/app"}) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).doesNotContain("<", ">");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void errorsNeverEchoMarkupAsHtml() {
    HttpResponse<String> r = server.get("/api/manifest/evil/app?ref=%3Cscript%3E");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(UiServletTest.type(r)).isEqualTo("application/json;charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(Responses.CSP);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }
}
