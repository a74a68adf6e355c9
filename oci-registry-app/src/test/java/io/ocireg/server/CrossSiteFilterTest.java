package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.auth.AccessRule;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-site requests that a browser holding the admin's Basic credentials could be made to send:
 * refused before they act, except for the operator's CORS origins on {@code /v2/}; registry
 * clients, which send no browser headers, and the page itself are unaffected. Every answer says
 * {@code nosniff}.
 */
class CrossSiteFilterTest {
  private static final String ADMIN = "alice";
  private static final String PASSWORD = "pw";
  private static final String UI_ORIGIN = "https://ui.example";
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final byte[] CONFIG = "{\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAYER = "layer".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER_CONFIG =
      "{\"os\":\"linux\",\"v\":2}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EVIL = "<script>evil()</script>".getBytes(StandardCharsets.UTF_8);

  private final HttpClient http = HttpClient.newHttpClient();
  private OciRegistryServer server;
  private String untagged;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Basic auth for an admin of everything, the admin endpoints, the UI, {@link #UI_ORIGIN} allowed
   * by CORS; {@code team/app} holds an image tagged {@code v1} and an untagged manifest (which a
   * collection keeping no untagged manifest removes).
   */
  private void start(boolean token) throws Exception {
    SecurityOptions security =
        SecurityOptions.defaults()
            .withRules(List.of(AccessRule.parse("user:" + ADMIN + " ** pull,push,delete,admin")))
            .withCors(SecurityOptions.CorsOptions.none().withOrigins(List.of(UI_ORIGIN)));
    if (token) {
      security = security.withToken(SecurityOptions.TokenOptions.defaults().withEnabled(true));
    }
    server =
        OciRegistryServer.builder()
            .options(
                ServerOptions.defaults()
                    .withSecurity(security)
                    .withMaintenance(MaintenanceOptions.defaults().withAdminEndpoints(true)))
            .user(ADMIN, PASSWORD)
            .start();
    if (token) {
      return;
    }
    for (byte[] blob : List.of(CONFIG, LAYER, OTHER_CONFIG)) {
      assertThat(pushBlob("team/app", blob, Map.of()).statusCode()).isEqualTo(201);
    }
    assertThat(send("PUT", "/v2/team/app/manifests/v1", manifest(CONFIG), Map.of()).statusCode())
        .isEqualTo(201);
    byte[] loose = manifest(OTHER_CONFIG);
    untagged = Digest.sha256(loose).toString();
    assertThat(send("PUT", "/v2/team/app/manifests/" + untagged, loose, Map.of()).statusCode())
        .isEqualTo(201);
  }

  static Stream<Arguments> foreignBrowsers() {
    return Stream.of(
        Arguments.of("form from another site", Map.of("Origin", "http://evil.example")),
        Arguments.of(
            "fetch from another site",
            Map.of("Origin", "http://evil.example", "Sec-Fetch-Site", "cross-site")),
        Arguments.of("no Origin, cross-site", Map.of("Sec-Fetch-Site", "cross-site")),
        Arguments.of(
            "sibling subdomain",
            Map.of("Origin", "http://other.127.0.0.1.nip.io", "Sec-Fetch-Site", "same-site")),
        Arguments.of("sandboxed frame", Map.of("Origin", "null")),
        Arguments.of(
            "same host, another port",
            Map.of("Origin", "http://127.0.0.1:1", "Sec-Fetch-Site", "same-site")),
        Arguments.of(
            "redirect through another site",
            Map.of("Origin", "null", "Sec-Fetch-Site", "cross-site")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("foreignBrowsers")
  void refusesEveryChangeABrowserSendsForAnotherSiteAndTouchesNothing(
      String what, Map<String, String> browser) throws Exception {
    start(false);
    String layer = Digest.sha256(LAYER).toString();
    String upload =
        send("POST", "/v2/team/app/blobs/uploads/", new byte[0], Map.of())
            .headers()
            .firstValue("Location")
            .orElseThrow();
    String rangeBefore =
        send("GET", upload, null, Map.of()).headers().firstValue("Range").orElse("");
    Map<String, String> text = with(browser, "Content-Type", "text/plain");
    Map<String, String> json =
        with(with(browser, "Content-Type", "application/json"), "X-Requested-By", "ocireg");
    List<HttpResponse<String>> refused = new ArrayList<>();
    refused.add(send("POST", "/admin/gc?keepUntagged=0&gracePeriod=0s", new byte[0], text));
    refused.add(send("POST", "/admin/scrub?quarantine=true", new byte[0], text));
    refused.add(pushBlob("team/app", EVIL, text));
    refused.add(
        send(
            "POST",
            "/v2/elsewhere/blobs/uploads/?mount=" + layer + "&from=team/app",
            new byte[0],
            text));
    refused.add(
        send("PATCH", upload, EVIL, with(browser, "Content-Type", "application/octet-stream")));
    refused.add(
        send(
            "PUT",
            upload + "?digest=" + Digest.sha256(EVIL),
            EVIL,
            with(browser, "Content-Type", "application/octet-stream")));
    refused.add(
        send(
            "PUT",
            "/v2/team/app/manifests/evil",
            manifest(CONFIG),
            with(browser, "Content-Type", MANIFEST)));
    refused.add(send("DELETE", "/v2/team/app/manifests/v1", null, browser));
    refused.add(send("DELETE", "/v2/team/app/manifests/" + untagged, null, browser));
    refused.add(send("DELETE", "/v2/team/app/blobs/" + layer, null, browser));
    refused.add(send("DELETE", upload, null, browser));
    String tag = "{\"repository\":\"team/app\",\"tag\":\"v1\"}";
    refused.add(send("POST", "/api/delete", bytes(tag), json));
    refused.add(send("POST", "/delete", bytes(tag), text));
    refused.add(send("POST", "/api/gc", new byte[0], json));
    refused.add(send("POST", "/livez", new byte[0], text));

    for (HttpResponse<String> r : refused) {
      String request = r.request().method() + " " + r.request().uri();
      assertThat(r.statusCode()).as("%s: %s", request, r.body()).isEqualTo(403);
      assertThat(r.body())
          .as(request)
          .isEqualTo(
              "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource"
                  + " is denied\",\"detail\":\"request from another site\"}]}");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(request).hasValue("nosniff");
      assertNoCors(r);
    }
    // Each was refused by the filter (a small body is read and dropped, never stored), and nothing
    // changed.
    assertThat(server.journal().requests(r -> r.status() == 403))
        .hasSize(9)
        .allSatisfy(
            r -> assertThat(r.requestBytes()).isLessThanOrEqualTo(CrossSiteFilter.DRAIN_LIMIT));
    assertThat(status("HEAD", "/v2/team/app/manifests/v1")).isEqualTo(200);
    assertThat(status("HEAD", "/v2/team/app/manifests/" + untagged)).isEqualTo(200);
    assertThat(status("HEAD", "/v2/team/app/manifests/evil")).isEqualTo(404);
    assertThat(status("HEAD", "/v2/team/app/blobs/" + layer)).isEqualTo(200);
    assertThat(status("HEAD", "/v2/team/app/blobs/" + Digest.sha256(EVIL))).isEqualTo(404);
    assertThat(status("HEAD", "/v2/elsewhere/blobs/" + layer)).isEqualTo(404);
    HttpResponse<String> still = send("GET", upload, null, Map.of());
    assertThat(still.statusCode()).isEqualTo(204);
    assertThat(still.headers().firstValue("Range").orElse("")).isEqualTo(rangeBefore);
  }

  @Test
  void theSitesOwnPagesAndHeaderlessClientsStillChangeThings() throws Exception {
    start(false);
    String own = "http://127.0.0.1:" + server.port();
    for (Map<String, String> browser :
        List.of(
            Map.<String, String>of(),
            Map.of("Origin", own, "Sec-Fetch-Site", "same-origin"),
            Map.of("Origin", own),
            Map.of("Sec-Fetch-Site", "none"))) {
      byte[] blob = bytes("blob for " + browser);
      assertThat(
              pushBlob("team/app", blob, with(browser, "Content-Type", "text/plain")).statusCode())
          .as("%s", browser)
          .isEqualTo(201);
      assertThat(
              send(
                      "POST",
                      "/v2/elsewhere/blobs/uploads/?mount="
                          + Digest.sha256(LAYER)
                          + "&from=team/app",
                      new byte[0],
                      browser)
                  .statusCode())
          .as("%s", browser)
          .isEqualTo(201);
      assertThat(
              send(
                      "PUT",
                      "/v2/team/app/manifests/t",
                      manifest(CONFIG),
                      with(browser, "Content-Type", MANIFEST))
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              send("DELETE", "/v2/team/app/blobs/" + Digest.sha256(blob), null, browser)
                  .statusCode())
          .isEqualTo(202);
      Map<String, String> page =
          with(with(browser, "Content-Type", "application/json"), "X-Requested-By", "ocireg");
      HttpResponse<String> delete =
          send("POST", "/api/delete", bytes("{\"repository\":\"team/app\",\"tag\":\"t\"}"), page);
      assertThat(delete.statusCode()).as(delete.body()).isEqualTo(200);
    }
    HttpResponse<String> gc =
        send("POST", "/admin/gc?keepUntagged=0&gracePeriod=0s", new byte[0], Map.of("Origin", own));
    assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
    assertThat(gc.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    // The request the cross-site page tried does what it says when it is the operator's.
    assertThat(status("HEAD", "/v2/team/app/manifests/" + untagged)).isEqualTo(404);
    assertThat(status("HEAD", "/v2/team/app/manifests/v1")).isEqualTo(200);
  }

  @Test
  void aCorsOriginMayPushButNeitherAdministerNorUseTheUiApi() throws Exception {
    start(false);
    Map<String, String> ui = Map.of("Origin", UI_ORIGIN, "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> push = pushBlob("team/app", EVIL, with(ui, "Content-Type", "text/plain"));
    assertThat(push.statusCode()).as(push.body()).isEqualTo(201);
    assertThat(push.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI_ORIGIN);
    assertThat(push.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("Location");
    HttpResponse<String> put =
        send(
            "PUT",
            "/v2/team/app/manifests/v2",
            manifest(CONFIG),
            with(ui, "Content-Type", MANIFEST));
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(send("DELETE", "/v2/team/app/manifests/v2", null, ui).statusCode()).isEqualTo(202);

    HttpResponse<String> gc =
        send("POST", "/admin/gc?keepUntagged=0&gracePeriod=0s", new byte[0], ui);
    assertThat(gc.statusCode()).isEqualTo(403);
    Map<String, String> page =
        with(with(ui, "Content-Type", "application/json"), "X-Requested-By", "ocireg");
    HttpResponse<String> delete =
        send("POST", "/api/delete", bytes("{\"repository\":\"team/app\",\"tag\":\"v1\"}"), page);
    assertThat(delete.statusCode()).isEqualTo(403);
    for (HttpResponse<String> r : List.of(gc, delete)) {
      assertThat(r.body()).contains("\"DENIED\"", "request from another site");
      assertNoCors(r);
    }
    assertThat(status("HEAD", "/v2/team/app/manifests/" + untagged)).isEqualTo(200);
    assertThat(status("HEAD", "/v2/team/app/manifests/v1")).isEqualTo(200);

    // Neither an allowed origin's "null" twin nor an origin merely containing it passes.
    for (String origin : List.of("null", UI_ORIGIN + ".evil.example", "https://evil.example")) {
      assertThat(pushBlob("team/app", LAYER, Map.of("Origin", origin)).statusCode())
          .as(origin)
          .isEqualTo(403);
    }
  }

  @Test
  void preflightsAreAnsweredByCorsOnTheRegistryApiOnly() throws Exception {
    start(false);
    HttpResponse<String> allowed = preflight("/v2/team/app/blobs/uploads/", UI_ORIGIN, "POST");
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI_ORIGIN);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    HttpResponse<String> foreign =
        preflight("/v2/team/app/blobs/uploads/", "https://evil.example", "POST");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertNoCors(foreign);

    for (String path : List.of("/api/delete", "/admin/gc", "/api/session", "/livez", "/")) {
      HttpResponse<String> r = preflight(path, UI_ORIGIN, "POST");
      assertNoCors(r);
    }
    for (String path : List.of("/api/session", "/api/repos", "/livez", "/readyz", "/")) {
      HttpResponse<String> r = send("GET", path, null, Map.of("Origin", UI_ORIGIN));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertNoCors(r);
    }
    assertThat(
            send("GET", "/v2/", null, Map.of("Origin", UI_ORIGIN))
                .headers()
                .firstValue("Access-Control-Allow-Origin"))
        .hasValue(UI_ORIGIN);
  }

  @Test
  void theTokenEndpointRefusesCrossSitePostsExceptFromCorsOrigins() throws Exception {
    start(true);
    HttpResponse<String> foreign =
        send("POST", "/token", new byte[0], Map.of("Origin", "https://evil.example"));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("request from another site");
    // Past the guard, the endpoint itself answers: it has no POST.
    HttpResponse<String> ui = send("POST", "/token", new byte[0], Map.of("Origin", UI_ORIGIN));
    assertThat(ui.statusCode()).isEqualTo(405);
    assertThat(ui.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI_ORIGIN);
    HttpResponse<String> get =
        send("GET", "/token", null, Map.of("Origin", "https://evil.example"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertNoCors(get);
    assertThat(preflight("/token", UI_ORIGIN, "GET").statusCode()).isEqualTo(204);
  }

  @Test
  void everyAnswerIsMarkedNosniffAndBlobsNeverRunAsAPage() throws Exception {
    start(false);
    assertThat(pushBlob("team/app", EVIL, Map.of()).statusCode()).isEqualTo(201);
    String evilBlob = "/v2/team/app/blobs/" + Digest.sha256(EVIL);
    List<HttpResponse<String>> answers =
        List.of(
            send("GET", "/v2/", null, Map.of()),
            send("GET", evilBlob, null, Map.of()),
            send("HEAD", evilBlob, null, Map.of()),
            send("GET", "/v2/team/app/manifests/v1", null, Map.of("Accept", MANIFEST)),
            send("GET", "/v2/team/app/blobs/" + Digest.sha256(new byte[] {1}), null, Map.of()),
            send("GET", "/v2/team/app/nothing", null, Map.of()),
            send("POST", "/v2/team/app/blobs/uploads/?digest=sha256:bad", new byte[0], Map.of()),
            send("GET", "/v2/", null, Map.of("Authorization", "Basic bm9ib2R5Om5v")),
            send("GET", "/livez", null, Map.of()),
            send("GET", "/readyz", null, Map.of()),
            send("POST", "/livez", new byte[0], Map.of()),
            send("POST", "/admin/gc?dryRun=maybe", new byte[0], Map.of()),
            send("POST", "/admin/gc?dryRun=true", new byte[0], Map.of()),
            send("GET", "/admin/gc", null, Map.of()),
            send("GET", "/nothing/here", null, Map.of()),
            send("GET", "/api/session", null, Map.of()),
            send("GET", "/", null, Map.of()),
            // Refused by Jetty before any servlet: an encoded dot segment, huge headers.
            send("GET", "/v2/a/%2e%2e/b/tags/list", null, Map.of()),
            send("GET", "/v2/", null, Map.of("X-Big", "a".repeat(20_000))));
    for (HttpResponse<String> r : answers) {
      assertThat(r.headers().firstValue("X-Content-Type-Options"))
          .as("%s %s -> %d", r.request().method(), r.request().uri(), r.statusCode())
          .hasValue("nosniff");
    }
    assertThat(answers.stream().map(HttpResponse::statusCode))
        .contains(200, 400, 401, 404, 405, 431);
    for (HttpResponse<String> blob : answers.subList(1, 3)) {
      assertThat(blob.statusCode()).isEqualTo(200);
      assertThat(blob.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'none'; sandbox");
      assertThat(blob.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }
  }

  @Test
  void theOriginIsComparedWithTheHostTheBrowserAddressed() throws Exception {
    start(false);
    // As a browser that reached the server by name (through a proxy, say) sends them.
    assertThat(raw("registry.example:5000", "http://registry.example:5000"))
        .startsWith("HTTP/1.1 200");
    assertThat(raw("registry.example", "https://registry.example")).startsWith("HTTP/1.1 200");
    assertThat(raw("registry.example:5000", "http://127.0.0.1:" + server.port()))
        .startsWith("HTTP/1.1 403");
    assertThat(raw("registry.example:5000", "http://registry.example:5001"))
        .startsWith("HTTP/1.1 403");
  }

  /** {@code POST /admin/gc?dryRun=true} with exactly these {@code Host} and {@code Origin}. */
  private String raw(String host, String origin) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(60_000);
      String request =
          "POST /admin/gc?dryRun=true HTTP/1.1\r\nHost: "
              + host
              + "\r\nOrigin: "
              + origin
              + "\r\nAuthorization: "
              + AccessControlHttpTest.basic(ADMIN, PASSWORD)
              + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void comparesTheOriginsHostAndPortWithTheAddressedOne() {
    assertThat(CrossSiteFilter.sameHostAndPort("http://127.0.0.1:5000", "127.0.0.1:5000")).isTrue();
    assertThat(CrossSiteFilter.sameHostAndPort("https://Registry.Example", "registry.example:443"))
        .isTrue();
    assertThat(CrossSiteFilter.sameHostAndPort("http://registry.example:80", "registry.example"))
        .isTrue();
    // Behind a TLS-terminating proxy the scheme differs; host and port decide.
    assertThat(CrossSiteFilter.sameHostAndPort("https://registry.example", "registry.example"))
        .isTrue();
    assertThat(CrossSiteFilter.sameHostAndPort("http://[::1]:5000", "[::1]:5000")).isTrue();

    assertThat(CrossSiteFilter.sameHostAndPort("http://127.0.0.1:5001", "127.0.0.1:5000"))
        .isFalse();
    assertThat(CrossSiteFilter.sameHostAndPort("http://localhost:5000", "127.0.0.1:5000"))
        .isFalse();
    assertThat(CrossSiteFilter.sameHostAndPort("https://registry.example", "registry.example:80"))
        .isFalse();
    assertThat(CrossSiteFilter.sameHostAndPort("http://[::1]:5000", "[::2]:5000")).isFalse();
    for (String origin :
        List.of(
            "null",
            "",
            "registry.example",
            "http://registry.example/",
            "http://registry.example:5000/path",
            "http://user@registry.example:5000",
            "http://registry.example:5000?x",
            "http://registry.example:x",
            "http://registry.example:5000:1")) {
      assertThat(CrossSiteFilter.sameHostAndPort(origin, "registry.example:5000"))
          .as(origin)
          .isFalse();
    }
    assertThat(CrossSiteFilter.sameHostAndPort("http://registry.example", "")).isFalse();
  }

  // ------------------------------------------------------------------ helpers

  private static byte[] manifest(byte[] config) {
    return bytes(
        "{\"schemaVersion\":2,\"mediaType\":\""
            + MANIFEST
            + "\",\"config\":"
            + Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(config), config.length).toJson()
            + ",\"layers\":["
            + Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(LAYER), LAYER.length).toJson()
            + "]}");
  }

  private static void assertNoCors(HttpResponse<String> r) {
    assertThat(r.headers().map().keySet())
        .as("%s %s", r.request().method(), r.request().uri())
        .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> with(Map<String, String> headers, String name, String value) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put(name, value);
    return all;
  }

  private HttpResponse<String> pushBlob(String repository, byte[] blob, Map<String, String> headers)
      throws Exception {
    Map<String, String> h =
        headers.containsKey("Content-Type")
            ? headers
            : with(headers, "Content-Type", "application/octet-stream");
    return send(
        "POST", "/v2/" + repository + "/blobs/uploads/?digest=" + Digest.sha256(blob), blob, h);
  }

  private int status(String method, String path) throws Exception {
    return send(method, path, null, Map.of()).statusCode();
  }

  private HttpResponse<String> preflight(String path, String origin, String method)
      throws Exception {
    return send(
        "OPTIONS",
        path,
        null,
        Map.of(
            "Origin",
            origin,
            "Access-Control-Request-Method",
            method,
            "Access-Control-Request-Headers",
            "authorization,content-type",
            "Sec-Fetch-Site",
            "cross-site"));
  }

  /** Sends as the admin (the browser's cached credentials) with {@code headers}. */
  private HttpResponse<String> send(
      String method, String path, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .timeout(Duration.ofMinutes(1))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (!headers.containsKey("Authorization")) {
      b.header("Authorization", AccessControlHttpTest.basic(ADMIN, PASSWORD));
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
