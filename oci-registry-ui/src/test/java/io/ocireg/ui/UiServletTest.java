package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The page, its assets, the probes and the answers to everything else. */
class UiServletTest {
  private static final String NOT_FOUND =
      "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"not found\"}]}";

  private final UiServer server = UiServer.start(new InMemoryStorage());

  @AfterEach
  void stop() {
    server.close();
  }

  /** The Content-Type without spaces (Jetty drops the one before the charset). */
  static String type(HttpResponse<String> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
  }

  static void assertSecurityHeaders(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(Responses.CSP);
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void servesThePageAtTheRootWithAStrictPolicy() {
    HttpResponse<String> r = server.get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(type(r)).isEqualTo("text/html;charset=utf-8");
    assertThat(r.body()).containsIgnoringCase("<html");
    assertSecurityHeaders(r);
    assertThat(Responses.CSP)
        .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe");
    assertThat(server.get("/index.html").body()).isEqualTo(r.body());
  }

  @Test
  void thePageHasNoInlineScriptOrStyleAndNoAbsoluteLinks() {
    String html = server.get("/").body();

    assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
    assertThat(html).doesNotContainPattern("\\sstyle=");
    assertThat(html).doesNotContainPattern("<style");
    assertThat(html).doesNotContainPattern("(src|href)=\"(/|https?:)");
  }

  @Test
  void assetsHaveTheirTypeAndAnETagThatRevalidates() {
    HttpResponse<String> page = server.get("/");
    String script = page.body().replaceAll("(?s).*<script[^>]*\\ssrc=\"([^\"]+)\".*", "$1");
    HttpResponse<String> js = server.get("/" + script);

    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(type(js)).isEqualTo("text/javascript;charset=utf-8");
    assertThat(js.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertSecurityHeaders(js);
    String etag = js.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = server.get("/" + script, "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void unknownPathsAreTheServersJson404WhateverTheMethod() {
    for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
      HttpResponse<String> r = server.send(method, "/nothing/here", null);
      assertThat(r.statusCode()).as(method).isEqualTo(404);
      assertThat(r.body()).isEqualTo(NOT_FOUND);
      assertThat(type(r)).isEqualTo("application/json;charset=utf-8");
      assertSecurityHeaders(r);
    }
  }

  @Test
  void onlyPlainAssetNamesOfKnownTypesAreServed() {
    for (String path :
        new String[] {
          "/assets/missing.js",
          "/assets/.hidden.js",
          "/assets/index.html.class",
          "/assets/../UiServlet.class",
          "/assets/",
          "/api/nothing",
          "/assets/sub/app.js"
        }) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.body()).as(path).doesNotContain("<html").doesNotContain("class");
    }
  }

  @Test
  void healthIsOpenEvenWhenEverythingElseNeedsCredentials() {
    try (UiServer locked =
        UiServer.start(new InMemoryStorage(), TestAccess.control(), UiOptions.defaults())) {
      HttpResponse<String> r = locked.get("/health");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(type(r)).isEqualTo("application/json;charset=utf-8");
      assertSecurityHeaders(r);
      assertThat(locked.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void pagesAndApiRefuseOtherMethodsWithAllow() {
    HttpResponse<String> r = server.send("PUT", "/api/repos", "{}");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(UiServer.json(r).path("errors").get(0).path("code").asText())
        .isEqualTo("UNSUPPORTED");
    assertThat(server.get("/api/delete").statusCode()).isEqualTo(405);
  }

  @Test
  void headAnswersWithoutABody() {
    HttpResponse<String> r = server.send("HEAD", "/api/repos", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Length")).isPresent();
  }

  @Test
  void worksUnderAPrefixAndRedirectsThePrefixToItsSlash() {
    try (UiServer prefixed =
        UiServer.start(
            new InMemoryStorage(),
            RegistryOptions.defaults(),
            Clock.systemUTC(),
            AccessControl.open(),
            UiOptions.defaults(),
            "/ui/*")) {
      assertThat(prefixed.get("/ui/").statusCode()).isEqualTo(200);
      assertThat(prefixed.get("/ui/health").body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(prefixed.get("/ui/api/repos").statusCode()).isEqualTo(200);
      HttpResponse<String> bare = prefixed.get("/ui");
      assertThat(bare.statusCode()).isEqualTo(301);
      assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> l.endsWith("/ui/"));
      assertThat(prefixed.get("/health").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theRegistryApiNextToTheUiIsUntouched() {
    HttpResponse<String> r = server.get("/v2/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
  }
}
