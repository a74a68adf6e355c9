package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The web UI in a real headless Chromium (the system's {@code chromium} and {@code chromedriver},
 * driven by Selenium) against the packaged server with Basic authentication: images pushed by
 * skopeo (one platform, and a multi-platform index with {@code --all}) and an artifact with an
 * {@code artifactType} that refers to the image, pushed over plain HTTP with hostile annotations.
 * The pages must show what the clients pushed, delete only after confirmation (and then for {@code
 * skopeo list-tags} too), keep hostile text inert, and the registry must refuse a delete, a
 * collection, an upload or a mount that another site makes the browser send. Screenshots of every
 * page, at desktop and phone width, go to {@code target/webui/}. The steps build on each other, in
 * order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-pass";
  private static final String CREDS = USER + ":" + PASSWORD;

  /** May pull, nothing else. */
  private static final String READER = "bob";

  private static final String READER_PASSWORD = "read-only-pass";
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** Repositories besides the four of the scenario: more than one page (50) of the list. */
  private static final int BULK = 52;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** Markup in a config label, an annotation value and an annotation key: all must stay text. */
  private static final String HOSTILE_LABEL =
      "<img src=x onerror=\"window.__xss='label'\"><script>window.__xss='label2'</script>";

  private static final String HOSTILE_ANNOTATION =
      "\"><svg onload=\"window.__xss='annotation'\"></svg><b id=\"injected\">bold</b>";
  private static final String HOSTILE_KEY = "org.example.<img src=x onerror=alert(7)>";
  private static final String ARTIFACT_TYPE = "application/vnd.example.sbom.v1+json";

  /** Records what hostile content could do if it ever ran, before any script of the page. */
  private static final String WATCH =
      "window.__dialogs = []; window.__violations = []; window.__errors = [];"
          + "['alert','confirm','prompt'].forEach(function (f) {"
          + "  window[f] = function (m) { window.__dialogs.push(f + ': ' + m); return null; }; });"
          + "document.addEventListener('securitypolicyviolation', function (e) {"
          + "  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });"
          + "window.addEventListener('error', function (e) {"
          + "  window.__errors.push(String(e.message || e.type)); }, true);"
          + "window.addEventListener('unhandledrejection', function (e) {"
          + "  window.__errors.push('unhandled: ' + e.reason); });";

  @TempDir static Path work;
  static Path shots;
  static RegistryProcess registry;
  static Skopeo skopeo;
  static ChromeDriver driver;
  static WebDriverWait wait;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static String appDigest;
  static JsonNode appManifest;
  static long appManifestBytes;
  static Instant appPushedFrom;
  static String multiDigest;
  static Instant multiPushedFrom;
  static Instant multiPushedTo;
  static long multiSize;
  static List<String> multiChildren = new ArrayList<>();
  static String otherDigest;
  static String artifactDigest;
  static long artifactSize;

  @BeforeAll
  static void pushImagesAndStartBrowser() throws Exception {
    Tools.require("skopeo", "umoci", "chromium", "chromedriver");
    Path layout = work.resolve("layout");
    buildLayout(layout, work.resolve("scratch"));
    Path htpasswd =
        Files.writeString(
            work.resolve("users"),
            USER
                + ":"
                + BCrypt.hashpw(PASSWORD, BCrypt.gensalt("$2y", 5))
                + "\n"
                + READER
                + ":"
                + BCrypt.hashpw(READER_PASSWORD, BCrypt.gensalt("$2y", 5))
                + "\n");
    registry =
        RegistryProcess.start(
            work.resolve("storage"),
            List.of(),
            List.of(
                "--htpasswd",
                htpasswd.toString(),
                "--access-rule",
                "user:" + USER + " ** pull,push,delete,admin;user:" + READER + " ** pull",
                "--admin-endpoints",
                "true"));
    skopeo = Skopeo.in(work.resolve("skopeo"));

    appPushedFrom = Instant.now();
    appDigest = push(layout, "app", "web/app:1.0", false);
    push(layout, "app", "web/app:doomed", false);
    multiPushedFrom = Instant.now();
    multiDigest = push(layout, "multi", "web/multi:latest", true);
    multiPushedTo = Instant.now();
    otherDigest = push(layout, "other", "web/other:x", false);
    push(layout, "other", "web/other:y", false);
    push(layout, "other", "tools/helper:1", false);

    appManifest = JSON.readTree(manifestBytes("web/app", appDigest));
    appManifestBytes = manifestBytes("web/app", appDigest).length;
    JsonNode index = JSON.readTree(manifestBytes("web/multi", multiDigest));
    multiSize = manifestBytes("web/multi", multiDigest).length;
    for (JsonNode child : index.get("manifests")) {
      String digest = child.get("digest").asText();
      multiChildren.add(digest);
      byte[] bytes = manifestBytes("web/multi", digest);
      multiSize += bytes.length + contentSize(JSON.readTree(bytes));
    }
    artifactDigest = pushArtifact();
    for (int i = 0; i < BULK; i++) {
      pushSmallImage(String.format("team-a/service-%02d", i), 100 + 997 * i);
    }
    awaitListing(BULK + 4);

    shots = Files.createDirectories(Path.of("target", "webui"));
    startBrowser(USER, PASSWORD);
  }

  @AfterAll
  static void stopAll() {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  @AfterEach
  void screenshotTheLastPage(TestInfo test) throws IOException {
    // On failure too: the last page, to see what the browser saw.
    String name = test.getTestMethod().map(m -> m.getName()).orElse("test");
    Files.write(shots.resolve("last-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  @Order(1)
  void listShowsEveryRepositoryAndSearchFiltersAsYouType() throws Exception {
    open("#/");
    List<WebElement> rows = awaitRows("repo-row", 50);
    assertThat(text(rows.get(0), "repo-name")).isEqualTo("team-a/service-00");
    assertThat(driver.findElement(By.id("repo-count")).getText())
        .isEqualTo((BULK + 4) + " repositories");
    screenshots("list");
    WebElement more = driver.findElement(By.id("more"));
    assertThat(more.isDisplayed()).isTrue();
    more.click();
    rows = awaitRows("repo-row", BULK + 4);
    List<String> names = rows.stream().map(r -> text(r, "repo-name")).toList();
    assertThat(names).doesNotHaveDuplicates().isSorted();
    assertThat(names.subList(BULK, BULK + 4))
        .containsExactly("tools/helper", "web/app", "web/multi", "web/other");
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("more")));
    WebElement app = rows.get(BULK + 1);
    assertThat(text(app, "repo-tags")).isEqualTo("3");
    // Two tags of one image count it once, plus the artifact.
    assertThat(text(app, "repo-size"))
        .isEqualTo(human(appManifestBytes + contentSize(appManifest) + artifactSize));
    assertPushedWithin(app.findElement(By.cssSelector("[data-test=repo-pushed]")), appPushedFrom);
    assertThat(driver.findElement(By.id("user")).getText()).isEqualTo(USER);

    WebElement search = driver.findElement(By.id("search"));
    search.sendKeys("MULTI");
    awaitRows("repo-row", 1);
    assertThat(text(driver.findElement(By.cssSelector("[data-test=repo-row]")), "repo-name"))
        .isEqualTo("web/multi");
    search.clear();
    search.sendKeys("web/");
    assertThat(awaitRows("repo-row", 3).stream().map(r -> text(r, "repo-name")))
        .containsExactly("web/app", "web/multi", "web/other");
    search.sendKeys("nothing-like-this");
    // Each key may start a search; the last one decides.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("list-status"), "web/nothing-like-this"));
    awaitRows("repo-row", 0);
    assertPageInert();
  }

  @Test
  @Order(2)
  void repositoryPageShowsTagsAsSkopeoPushedThem() throws Exception {
    // The filter is part of the address, so a filtered list can be bookmarked.
    open("#/?q=" + enc("web/app"));
    assertThat(driver.findElement(By.id("search")).getDomProperty("value")).isEqualTo("web/app");
    awaitRows("repo-row", 1).get(0).click();
    List<WebElement> rows = awaitRows("tag-row", 3);
    assertThat(rows.stream().map(r -> text(r, "tag-name")))
        .containsExactly("1.0", "doomed", "sbom");
    WebElement image = rows.get(0);
    assertThat(text(image, "tag-digest")).isEqualTo(appDigest);
    assertThat(
            image
                .findElement(By.cssSelector("[data-test=copy-digest]"))
                .getDomAttribute("data-digest"))
        .isEqualTo(appDigest);
    assertThat(kind(image, "tag-kind")).isEqualTo("image");
    assertThat(text(image, "tag-platforms")).isEqualTo("linux/amd64");
    assertThat(text(image, "tag-size"))
        .isEqualTo(human(appManifestBytes + contentSize(appManifest)));
    assertThat(text(image, "tag-size")).endsWith(" KB");
    assertPushedWithin(image.findElement(By.cssSelector("[data-test=tag-pushed]")), appPushedFrom);
    assertThat(image.findElements(By.cssSelector("[data-test=delete-tag]"))).hasSize(1);

    WebElement artifact = rows.get(2);
    assertThat(text(artifact, "tag-digest")).isEqualTo(artifactDigest);
    assertThat(kind(artifact, "tag-kind")).isEqualTo("artifact");
    assertThat(text(artifact, "artifact-type")).isEqualTo(ARTIFACT_TYPE);
    screenshots("repository");
    // Last: the button says "Copied" for a moment.
    WebElement copy = image.findElement(By.cssSelector("[data-test=copy-digest]"));
    copy.click();
    wait.until(ExpectedConditions.textToBePresentInElement(copy, "Copied"));
    driver.executeCdpCommand(
        "Browser.grantPermissions",
        Map.of(
            "origin",
            "http://" + registry.host(),
            "permissions",
            List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    Object copied =
        driver.executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + "navigator.clipboard.readText().then(done, function (e) { done(String(e)); });");
    assertThat(copied).isEqualTo(appDigest);

    open("#/r/" + enc("web/multi"));
    WebElement index = awaitRows("tag-row", 1).get(0);
    assertThat(text(index, "tag-digest")).isEqualTo(multiDigest);
    assertThat(kind(index, "tag-kind")).isEqualTo("index");
    assertThat(text(index, "tag-platforms")).isEqualTo("linux/amd64, linux/arm64");
    assertThat(text(index, "tag-size")).isEqualTo(human(multiSize));
    assertPushedWithin(
        index.findElement(By.cssSelector("[data-test=tag-pushed]")), multiPushedFrom);
    Instant shown =
        Instant.parse(index.findElement(By.cssSelector("time")).getDomAttribute("datetime"));
    assertThat(shown).isBeforeOrEqualTo(multiPushedTo.plusSeconds(2));
    assertPageInert();
  }

  @Test
  @Order(3)
  void tagPageShowsManifestConfigLayersAndReferrers() throws Exception {
    open("#/r/" + enc("web/app") + "/t/1.0");
    WebElement digest = await("[data-test=manifest-digest]");
    assertThat(digest.getText()).isEqualTo(appDigest);
    assertThat(kind(driver.findElement(By.id("overview")), "manifest-kind")).isEqualTo("image");
    assertThat(driver.findElement(By.cssSelector("[data-test=manifest-size]")).getText())
        .isEqualTo(human(appManifestBytes + contentSize(appManifest)));
    assertPushedWithin(
        driver.findElement(By.cssSelector("[data-test=manifest-pushed]")), appPushedFrom);
    assertThat(driver.findElement(By.cssSelector("[data-test=manifest-tags]")).getText())
        .isEqualTo("1.0, doomed");

    List<WebElement> layers = driver.findElements(By.cssSelector("[data-test=layer-row]"));
    JsonNode expected = appManifest.get("layers");
    assertThat(layers).hasSize(expected.size());
    for (int i = 0; i < layers.size(); i++) {
      assertThat(text(layers.get(i), "layer-size"))
          .isEqualTo(human(expected.get(i).get("size").asLong()));
      assertThat(text(layers.get(i), "layer-media-type"))
          .isEqualTo(expected.get(i).get("mediaType").asText());
      assertThat(
              layers
                  .get(i)
                  .findElement(By.cssSelector("[data-test=layer-digest]"))
                  .getDomAttribute("title"))
          .isEqualTo(expected.get(i).get("digest").asText());
    }
    WebElement config = driver.findElement(By.id("config-summary"));
    assertThat(config.findElement(By.cssSelector("[data-test=config-platform]")).getText())
        .isEqualTo("linux/amd64");
    assertThat(config.getText()).contains("[\"/bin/true\"]").contains(HOSTILE_LABEL);
    assertThat(JSON.readTree(textContent(By.id("manifest-json")))).isEqualTo(appManifest);

    WebElement referrers = driver.findElement(By.id("referrers"));
    List<WebElement> refs = referrers.findElements(By.cssSelector("[data-test=referrer-row]"));
    assertThat(refs).hasSize(1);
    assertThat(text(refs.get(0), "referrer-type")).isEqualTo(ARTIFACT_TYPE);
    assertThat(
            refs.get(0)
                .findElement(By.cssSelector("[data-test=referrer-digest]"))
                .getDomAttribute("title"))
        .isEqualTo(artifactDigest);
    assertThat(refs.get(0).getText()).contains(HOSTILE_ANNOTATION);
    assertPageInert();
    screenshots("tag");
  }

  @Test
  @Order(4)
  void indexPageLinksToItsChildrenAndArtifactToItsSubject() throws Exception {
    open("#/r/" + enc("web/multi") + "/t/latest");
    await("[data-test=manifest-digest]");
    List<WebElement> children = awaitRows("child-row", 2);
    assertThat(children.stream().map(c -> text(c, "child-platform")))
        .containsExactly("linux/amd64", "linux/arm64");
    assertThat(children.stream().map(c -> attr(c, "child-digest", "title")))
        .containsExactlyElementsOf(multiChildren);
    screenshots("index");
    children.get(1).findElement(By.cssSelector("[data-test=child-platform]")).click();
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("[data-test=manifest-digest]"), multiChildren.get(1)));
    assertThat(driver.findElement(By.cssSelector("[data-test=config-platform]")).getText())
        .isEqualTo("linux/arm64");

    open("#/r/" + enc("web/app") + "/t/sbom");
    wait.until(
        ExpectedConditions.textToBe(By.cssSelector("[data-test=manifest-digest]"), artifactDigest));
    assertThat(kind(driver.findElement(By.id("overview")), "manifest-kind")).isEqualTo("artifact");
    assertThat(driver.findElement(By.cssSelector("#overview [data-test=artifact-type]")).getText())
        .isEqualTo(ARTIFACT_TYPE);
    WebElement annotations = driver.findElement(By.id("annotations"));
    assertThat(annotations.getText()).contains(HOSTILE_ANNOTATION).contains(HOSTILE_KEY);
    assertThat(driver.findElements(By.id("injected"))).isEmpty();
    assertPageInert();
    screenshots("artifact");
    driver.findElement(By.cssSelector("[data-test=subject-link]")).click();
    wait.until(
        ExpectedConditions.textToBe(By.cssSelector("[data-test=manifest-digest]"), appDigest));
  }

  @Test
  @Order(5)
  void tagNameWithMarkupIsRefusedAtPush() throws Exception {
    byte[] manifest = manifestBytes("web/app", appDigest);
    String tag = URLEncoder.encode("<b>x</b>", StandardCharsets.UTF_8);
    HttpResponse<String> put =
        HTTP.send(
            authorized("v2/web/app/manifests/" + tag)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(400);
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/app")).doesNotContain("<");
  }

  @Test
  @Order(6)
  void crossSitePostCannotDeleteWithTheBrowsersCachedCredentials() throws Exception {
    // The browser holds Basic credentials for the registry (the earlier steps signed it in).
    open("#/");
    awaitRows("repo-row", 50);
    String registryOrigin = "http://" + registry.host();
    String page =
        "<!doctype html><title>evil</title><pre id=log></pre>"
            + "<form id=f method=POST enctype=text/plain action='"
            + registryOrigin
            + "/delete'><input type=hidden name='{\"repository\":\"web/app\",\"tag\":\"1.0\",\"x\":\"'"
            + " value='\"}'></form><script>"
            + "var log = function (m) { document.getElementById('log').textContent += m + '\\n'; };"
            + "var body = JSON.stringify({repository: 'web/app', tag: '1.0'});"
            + "fetch('"
            + registryOrigin
            + "/api/delete', {method: 'POST', mode: 'no-cors', credentials: 'include',"
            + " headers: {'Content-Type': 'text/plain'}, body: body})"
            + ".then(function () { log('no-cors sent'); }, function (e) { log('no-cors ' + e); })"
            + ".then(function () { return fetch('"
            + registryOrigin
            + "/api/delete', {method: 'POST', credentials: 'include', headers:"
            + " {'Content-Type': 'application/json', 'X-Requested-By': 'ocireg'}, body: body}); })"
            + ".then(function (r) { log('cors ' + r.status); }, function (e) { log('cors ' + e); })"
            + ".then(function () { document.title = 'posting'; document.getElementById('f').submit(); });"
            + "</script>";
    HttpServer evil =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    evil.createContext(
        "/",
        exchange -> {
          byte[] body = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    evil.start();
    int mark = registry.output().size();
    try {
      // "localhost" and "127.0.0.1" are different sites, like evil.example and the registry.
      driver.get("http://localhost:" + evil.getAddress().getPort() + "/");
      // The form's POST navigates the browser to the registry's answer.
      wait.until(ExpectedConditions.urlContains(registry.host() + "/delete"));
      awaitLine(mark, ".* POST /delete 403 .*");
      awaitLine(mark, ".* POST /api/delete 403 .*");
    } finally {
      evil.stop(0);
    }
    List<String> seen = registry.output().subList(mark, registry.output().size());
    seen.stream()
        .filter(l -> l.contains("delete"))
        .forEach(l -> System.out.println("cross-site: " + l));
    assertThat(seen).noneMatch(l -> l.matches(".* POST /(api/)?delete 200 .*"));
    // Valid credentials do not help a request that did not come from the page itself.
    String body = "{\"repository\":\"web/app\",\"tag\":\"1.0\"}";
    for (Map<String, String> headers :
        List.of(
            Map.of("Content-Type", "text/plain"),
            Map.of("Content-Type", "application/json"),
            Map.of(
                "Content-Type",
                "application/json",
                "X-Requested-By",
                "ocireg",
                "Origin",
                "http://localhost:1"),
            Map.of(
                "Content-Type",
                "application/json",
                "X-Requested-By",
                "ocireg",
                "Sec-Fetch-Site",
                "cross-site"))) {
      HttpRequest.Builder post = authorized("api/delete");
      headers.forEach(post::header);
      HttpResponse<String> refused =
          HTTP.send(
              post.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as("%s: %s", headers, refused.body()).isEqualTo(403);
    }
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/app")).contains("\"1.0\"");
    HttpResponse<Void> head =
        HTTP.send(
            authorized("v2/web/app/manifests/1.0")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
  }

  @Test
  @Order(7)
  void deletesATagOnlyAfterConfirmation() throws Exception {
    open("#/r/" + enc("web/app"));
    awaitRows("tag-row", 3);
    By doomed = By.cssSelector("[data-test=tag-row][data-tag='doomed']");
    driver.findElement(doomed).findElement(By.cssSelector("[data-test=delete-tag]")).click();
    WebElement dialog = awaitDialogOpen();
    String said = driver.findElement(By.id("confirm-text")).getText();
    assertThat(said).contains("\"doomed\"").contains("\"web/app\"");
    screenshotsNow("confirm-desktop");
    driver.findElement(By.id("confirm-cancel")).click();
    wait.until(d -> !isOpen(dialog));
    assertThat(driver.findElements(doomed)).hasSize(1);
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/app"))
        .contains("\"doomed\"");

    driver.findElement(doomed).findElement(By.cssSelector("[data-test=delete-tag]")).click();
    awaitDialogOpen();
    driver.findElement(By.id("confirm-ok")).click();
    wait.until(ExpectedConditions.numberOfElementsToBe(doomed, 0));
    awaitRows("tag-row", 2);
    assertThat(driver.findElement(By.id("notice")).getText()).contains("web/app:doomed");
    String tags = skopeo("list-tags", "docker://" + registry.host() + "/web/app");
    assertThat(tags).doesNotContain("\"doomed\"").contains("\"1.0\"").contains("\"sbom\"");
    assertPageInert();
  }

  @Test
  @Order(8)
  void deletesAManifestWithItsTagsOnlyAfterConfirmation() throws Exception {
    open("#/r/" + enc("web/other") + "/t/x");
    wait.until(
        ExpectedConditions.textToBe(By.cssSelector("[data-test=manifest-digest]"), otherDigest));
    driver.findElement(By.cssSelector("[data-test=delete-manifest]")).click();
    awaitDialogOpen();
    assertThat(driver.findElement(By.id("confirm-text")).getText())
        .contains(otherDigest)
        .contains("web/other");
    assertThat(driver.findElement(By.id("confirm-list")).getText())
        .contains("web/other:x")
        .contains("web/other:y");
    driver.findElement(By.id("confirm-cancel")).click();
    wait.until(d -> !isOpen(driver.findElement(By.id("confirm"))));
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/other")).contains("\"x\"");

    driver.findElement(By.cssSelector("[data-test=delete-manifest]")).click();
    awaitDialogOpen();
    driver.findElement(By.id("confirm-ok")).click();
    wait.until(ExpectedConditions.urlToBe(registry.baseUri() + "#/r/" + enc("web/other")));
    assertThat(driver.findElement(By.id("notice")).getText()).contains(otherDigest);
    String tags = skopeo("list-tags", "docker://" + registry.host() + "/web/other");
    assertThat(tags).doesNotContain("\"x\"").doesNotContain("\"y\"");
    HttpResponse<Void> gone =
        HTTP.send(
            authorized("v2/web/other/manifests/" + otherDigest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(gone.statusCode()).isEqualTo(404);
    // The same image under another repository is untouched.
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/tools/helper"))
        .contains("\"1\"");
  }

  @Test
  @Order(9)
  void adminStartsGarbageCollectionAndSeesTheReport() throws Exception {
    open("#/");
    awaitRows("repo-row", 50);
    WebElement gc = await("#gc-button");
    gc.click();
    awaitDialogOpen();
    driver.findElement(By.id("confirm-cancel")).click();
    wait.until(d -> !isOpen(driver.findElement(By.id("confirm"))));
    assertThat(driver.findElement(By.id("gc-result")).isDisplayed()).isFalse();

    gc.click();
    awaitDialogOpen();
    driver.findElement(By.id("confirm-ok")).click();
    wait.until(d -> textContent(By.id("gc-result")).startsWith("{"));
    JsonNode report = JSON.readTree(textContent(By.id("gc-result")));
    assertThat(report.path("dryRun").asBoolean(true)).isFalse();
    assertThat(report.path("marked").path("repositories").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(driver.findElement(By.id("gc-summary")).getText()).isNotBlank();
    assertPageInert();
    screenshotsNow("gc-desktop");
    // What is still tagged survives the collection.
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/app")).contains("\"1.0\"");
    Path pulled = work.resolve("pulled");
    skopeo.runRetryingPing(
        "copy",
        "--src-tls-verify=false",
        "--src-creds",
        CREDS,
        "--all",
        "docker://" + registry.host() + "/web/multi:latest",
        "oci:" + pulled + ":back");
    assertThat(OciLayouts.manifestDigest(pulled, "back")).isEqualTo(multiDigest);
  }

  @Test
  @Order(10)
  void aReaderSeesNoDeleteOrGcButtonsAndCannotDelete() throws Exception {
    ChromeDriver admin = driver;
    WebDriverWait adminWait = wait;
    try {
      startBrowser(READER, READER_PASSWORD);
      open("#/r/" + enc("web/app"));
      assertThat(awaitRows("tag-row", 2).stream().map(r -> text(r, "tag-name")))
          .containsExactly("1.0", "sbom");
      assertThat(driver.findElement(By.id("user")).getText()).isEqualTo(READER);
      assertThat(driver.findElements(By.cssSelector("[data-test=delete-tag]"))).isEmpty();
      assertThat(driver.findElement(By.id("gc-button")).isDisplayed()).isFalse();
      open("#/r/" + enc("web/app") + "/t/1.0");
      wait.until(
          ExpectedConditions.textToBe(By.cssSelector("[data-test=manifest-digest]"), appDigest));
      assertThat(driver.findElements(By.cssSelector("[data-test=delete-manifest]"))).isEmpty();
      assertThat(driver.findElements(By.cssSelector("[data-test=delete-tag]"))).isEmpty();
      assertPageInert();
      // The page's own request, sent anyway from its origin: refused by the access rules.
      @SuppressWarnings("unchecked")
      Map<String, Object> answer =
          (Map<String, Object>)
              driver.executeAsyncScript(
                  "var done = arguments[arguments.length - 1];"
                      + "fetch('api/delete', {method: 'POST', credentials: 'same-origin',"
                      + " headers: {'Content-Type': 'application/json', 'X-Requested-By': 'ocireg'},"
                      + " body: JSON.stringify({repository: 'web/app', tag: '1.0'})})"
                      + ".then(function (r) { return r.text().then(function (t) {"
                      + " done({status: r.status, body: t}); }); },"
                      + " function (e) { done({status: -1, body: String(e)}); });");
      assertThat(((Number) answer.get("status")).intValue()).as("%s", answer).isEqualTo(403);
      assertThat((String) answer.get("body")).contains("DENIED");
      assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/app"))
          .contains("\"1.0\"");
    } finally {
      if (driver != admin) {
        driver.quit();
      }
      driver = admin;
      wait = adminWait;
    }
  }

  @Test
  @Order(11)
  void aRepositoryOfManyTagsPagesItsTagsAndItsDeleteDialogCountsThemAll() throws Exception {
    byte[] helper = manifestBytes("tools/helper", otherDigest);
    int extra = 110; // 111 tags with "1": more than the page of 100
    for (int i = 0; i < extra; i++) {
      HttpResponse<String> put =
          HTTP.send(
              authorized("v2/tools/helper/manifests/" + String.format("p%03d", i))
                  .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(helper))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }
    open("#/r/" + enc("tools/helper"));
    awaitRows("tag-row", 100);
    WebElement more = driver.findElement(By.id("more-tags"));
    assertThat(more.isDisplayed()).isTrue();
    more.click();
    List<WebElement> rows = awaitRows("tag-row", extra + 1);
    assertThat(text(rows.get(extra), "tag-name")).isEqualTo("p109");
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("more-tags")));

    open("#/r/" + enc("tools/helper") + "/t/1");
    wait.until(
        ExpectedConditions.textToBe(By.cssSelector("[data-test=manifest-digest]"), otherDigest));
    driver.findElement(By.cssSelector("[data-test=delete-manifest]")).click();
    awaitDialogOpen();
    assertThat(driver.findElement(By.id("confirm-text")).getText())
        .contains("all " + (extra + 1) + " tags");
    assertThat(driver.findElement(By.id("confirm-list")).getText()).contains("and 11 more tags");
    driver.findElement(By.id("confirm-cancel")).click();
    wait.until(d -> !isOpen(driver.findElement(By.id("confirm"))));
  }

  @Test
  @Order(20)
  void crossSitePostsCannotCollectOrPushWithTheBrowsersCachedCredentials() throws Exception {
    // Last, as it ends with a real collection. The admin's browser, signed in.
    open("#/");
    awaitRows("repo-row", 50);
    String untagged = pushUntaggedManifest("web/loose");
    String registryOrigin = "http://" + registry.host();
    String blob = "not a layer, written by another site\n";
    String blobDigest = OciLayouts.sha256(blob.getBytes(StandardCharsets.UTF_8));
    String layerDigest = appManifest.get("layers").get(0).get("digest").asText();
    // Simple requests, which no CORS preflight guards: a no-cors text/plain upload with its
    // digest, a cross-repository mount, then a form that runs a collection keeping nothing.
    String page =
        "<!doctype html><title>evil</title><form id=f method=POST action='"
            + registryOrigin
            + "/admin/gc?keepUntagged=0&amp;gracePeriod=0s'></form><script>"
            + "var simple = {method: 'POST', mode: 'no-cors', credentials: 'include',"
            + " headers: {'Content-Type': 'text/plain'}};"
            + "var upload = Object.assign({body: "
            + JSON.writeValueAsString(blob)
            + "}, simple);"
            + "var ignore = function () {};"
            + "fetch('"
            + registryOrigin
            + "/v2/web/app/blobs/uploads/?digest="
            + blobDigest
            + "', upload).then(ignore, ignore)"
            + ".then(function () { return fetch('"
            + registryOrigin
            + "/v2/web/loot/blobs/uploads/?mount="
            + layerDigest
            + "&from=web/app', simple); }).then(ignore, ignore)"
            + ".then(function () { document.title = 'posting'; document.getElementById('f').submit(); });"
            + "</script>";
    HttpServer evil = serve(page);
    int mark = registry.output().size();
    try {
      driver.get("http://localhost:" + evil.getAddress().getPort() + "/");
      wait.until(ExpectedConditions.urlContains(registry.host() + "/admin/gc"));
      awaitLine(mark, ".* POST /v2/web/app/blobs/uploads/\\?digest=\\S+ 403 .*");
      awaitLine(mark, ".* POST /v2/web/loot/blobs/uploads/\\?mount=\\S+ 403 .*");
      awaitLine(mark, ".* POST /admin/gc\\?\\S* 403 .*");
      assertThat(driver.findElement(By.tagName("body")).getText())
          .contains("DENIED", "request from another site");
    } finally {
      evil.stop(0);
    }
    List<String> seen = registry.output().subList(mark, registry.output().size());
    seen.stream()
        .filter(l -> l.contains(" POST "))
        .forEach(l -> System.out.println("cross-site: " + l));
    assertThat(seen).noneMatch(l -> l.matches(".* POST \\S+ 20[012] .*"));
    // Nothing was stored, mounted or collected.
    assertThat(headStatus("v2/web/app/blobs/" + blobDigest)).isEqualTo(404);
    assertThat(headStatus("v2/web/loot/blobs/" + layerDigest)).isEqualTo(404);
    assertThat(headStatus("v2/web/loose/manifests/" + untagged)).isEqualTo(200);
    // The same collection asked for by the operator's own client does collect it.
    HttpResponse<String> gc =
        HTTP.send(
            authorized("admin/gc?keepUntagged=0&gracePeriod=0s")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(gc.statusCode()).as(gc.body()).isEqualTo(200);
    assertThat(headStatus("v2/web/loose/manifests/" + untagged)).isEqualTo(404);
    assertThat(skopeo("list-tags", "docker://" + registry.host() + "/web/app")).contains("\"1.0\"");
  }

  /** A page of another origin (another port on another name of loopback) serving {@code html}. */
  private static HttpServer serve(String html) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = html.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static int headStatus(String path) throws Exception {
    return HTTP.send(
            authorized(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Pushes, over HTTP, a small image manifest to {@code repository} by digest, with no tag. */
  private static String pushUntaggedManifest(String repository) throws Exception {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"loose\":1}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] layer = "loose layer".getBytes(StandardCharsets.UTF_8);
    uploadBlob(repository, config);
    uploadBlob(repository, layer);
    byte[] manifest =
        JSON.writeValueAsBytes(
            Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.oci.image.manifest.v1+json",
                "config",
                Map.of(
                    "mediaType",
                    "application/vnd.oci.image.config.v1+json",
                    "digest",
                    OciLayouts.sha256(config),
                    "size",
                    config.length),
                "layers",
                List.of(
                    Map.of(
                        "mediaType",
                        "application/vnd.oci.image.layer.v1.tar",
                        "digest",
                        OciLayouts.sha256(layer),
                        "size",
                        layer.length))));
    String digest = OciLayouts.sha256(manifest);
    HttpResponse<String> put =
        HTTP.send(
            authorized("v2/" + repository + "/manifests/" + digest)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    return digest;
  }

  // ------------------------------------------------------------------ images and pushes

  /**
   * {@code app} (one platform, a config label with markup), {@code multi} (an index), {@code
   * other}.
   */
  private static void buildLayout(Path layout, Path scratch) throws IOException {
    Map<String, String> env = Map.of();
    String l = layout.toString();
    OciLayouts.buildRandomLayerImage(layout, scratch, "app", 700_000, 6L);
    Path note = Files.writeString(Files.createDirectories(scratch).resolve("note.txt"), "web ui\n");
    Tools.run(env, "umoci", "insert", "--image", l + ":app", note.toString(), "/etc/note.txt");
    Tools.run(
        env,
        "umoci",
        "config",
        "--image",
        l + ":app",
        "--os",
        "linux",
        "--architecture",
        "amd64",
        "--config.label",
        "org.example.title=" + HOSTILE_LABEL);
    for (String arch : List.of("amd64", "arm64")) {
      Path file = Files.writeString(scratch.resolve(arch + ".txt"), arch + "\n");
      Tools.run(env, "umoci", "new", "--image", l + ":" + arch);
      Tools.run(env, "umoci", "insert", "--image", l + ":" + arch, file.toString(), "/arch.txt");
      Tools.run(
          env,
          "umoci",
          "config",
          "--image",
          l + ":" + arch,
          "--os",
          "linux",
          "--architecture",
          arch);
    }
    OciLayouts.addIndex(layout, "multi", List.of("amd64", "arm64"), List.of("amd64", "arm64"));
    OciLayouts.buildRandomLayerImage(layout, scratch, "other", 5_000, 8L);
  }

  /** Pushes {@code tag} of the layout with skopeo; returns the digest skopeo reports. */
  private static String push(Path layout, String tag, String dest, boolean all) throws IOException {
    Path digestFile = work.resolve("digest-" + dest.replaceAll("[^a-z0-9]", "_"));
    List<String> args = new ArrayList<>(List.of("copy", "--dest-tls-verify=false"));
    if (all) {
      args.add("--all");
    }
    args.addAll(
        List.of(
            "--dest-creds",
            CREDS,
            "--digestfile",
            digestFile.toString(),
            "oci:" + layout + ":" + tag,
            "docker://" + registry.host() + "/" + dest));
    skopeo.runRetryingPing(args.toArray(String[]::new));
    return Files.readString(digestFile).strip();
  }

  private static String skopeo(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(1, List.of("--tls-verify=false", "--creds", CREDS));
    return skopeo.runRetryingPing(all.toArray(String[]::new));
  }

  /**
   * Pushes, over plain HTTP, an SBOM-like artifact tagged {@code web/app:sbom} whose subject is the
   * image {@code web/app:1.0}, with markup in an annotation value and key.
   */
  private static String pushArtifact() throws Exception {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] sbom =
        "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}".getBytes(StandardCharsets.UTF_8);
    uploadBlob("web/app", empty);
    uploadBlob("web/app", sbom);
    String manifest =
        JSON.writeValueAsString(
            Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.oci.image.manifest.v1+json",
                "artifactType",
                ARTIFACT_TYPE,
                "config",
                Map.of(
                    "mediaType",
                    "application/vnd.oci.empty.v1+json",
                    "digest",
                    OciLayouts.sha256(empty),
                    "size",
                    empty.length),
                "layers",
                List.of(
                    Map.of(
                        "mediaType",
                        ARTIFACT_TYPE,
                        "digest",
                        OciLayouts.sha256(sbom),
                        "size",
                        sbom.length)),
                "subject",
                Map.of(
                    "mediaType",
                    "application/vnd.oci.image.manifest.v1+json",
                    "digest",
                    appDigest,
                    "size",
                    appManifestBytes),
                "annotations",
                Map.of(
                    "org.example.note",
                    HOSTILE_ANNOTATION,
                    HOSTILE_KEY,
                    "key with markup",
                    "org.opencontainers.image.created",
                    "2026-11-23T10:00:00Z")));
    byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
    artifactSize = bytes.length + empty.length + sbom.length;
    HttpResponse<String> put =
        HTTP.send(
            authorized("v2/web/app/manifests/sbom")
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(put.headers().firstValue("OCI-Subject")).contains(appDigest);
    return OciLayouts.sha256(bytes);
  }

  /** An image of one layer of {@code size} bytes, pushed over HTTP as {@code repository:1}. */
  private static void pushSmallImage(String repository, int size) throws Exception {
    byte[] config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] layer = new byte[size];
    new SplittableRandom(size).nextBytes(layer);
    uploadBlob(repository, config);
    uploadBlob(repository, layer);
    String manifest =
        JSON.writeValueAsString(
            Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.oci.image.manifest.v1+json",
                "config",
                Map.of(
                    "mediaType",
                    "application/vnd.oci.image.config.v1+json",
                    "digest",
                    OciLayouts.sha256(config),
                    "size",
                    config.length),
                "layers",
                List.of(
                    Map.of(
                        "mediaType",
                        "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest",
                        OciLayouts.sha256(layer),
                        "size",
                        layer.length))));
    HttpResponse<String> put =
        HTTP.send(
            authorized("v2/" + repository + "/manifests/1")
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
  }

  /**
   * Waits until the UI's repository list counts {@code total} repositories: on a large (or slow)
   * storage it lists from a snapshot that follows pushes within a moment, by design.
   */
  private static void awaitListing(int total) throws Exception {
    JsonNode page = null;
    for (int i = 0; i < 600; i++) {
      HttpResponse<byte[]> get =
          HTTP.send(
              authorized("api/repos?n=1").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(get.statusCode()).isEqualTo(200);
      page = JSON.readTree(get.body());
      if (page.path("total").asInt() == total) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(page.path("total").asInt()).as("%s", page).isEqualTo(total);
  }

  private static void uploadBlob(String repository, byte[] blob) throws Exception {
    HttpResponse<String> post =
        HTTP.send(
            authorized("v2/" + repository + "/blobs/uploads/?digest=" + OciLayouts.sha256(blob))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
  }

  private static byte[] manifestBytes(String repository, String digest) throws Exception {
    HttpResponse<byte[]> get =
        HTTP.send(
            authorized("v2/" + repository + "/manifests/" + digest)
                .header(
                    "Accept",
                    "application/vnd.oci.image.manifest.v1+json,"
                        + "application/vnd.oci.image.index.v1+json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(OciLayouts.sha256(get.body())).isEqualTo(digest);
    return get.body();
  }

  private static HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(registry.baseUri().resolve(path))
        .timeout(Duration.ofMinutes(2))
        .header(
            "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(CREDS.getBytes(StandardCharsets.UTF_8)));
  }

  /** What an image manifest pulls in: its config and layers. */
  private static long contentSize(JsonNode manifest) {
    long total = manifest.path("config").path("size").asLong();
    for (JsonNode layer : manifest.path("layers")) {
      total += layer.get("size").asLong();
    }
    return total;
  }

  /** The page's size format: 1 KB = 1000 B, one decimal, as JavaScript's toFixed(1) rounds. */
  static String human(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return new BigDecimal(v).setScale(1, RoundingMode.HALF_UP).toPlainString() + " " + units[i];
  }

  // ------------------------------------------------------------------ browser

  /**
   * Starts a browser of its own (profile, driver process) for {@code user}, makes it the one the
   * helpers drive, and signs it in.
   */
  private static void startBrowser(String user, String password) throws IOException {
    // The system's driver and browser, named explicitly: Selenium Manager must not download any.
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            // Starting the driver (and, below, the browser) may be slow on a loaded machine.
            .withTimeout(Duration.ofMinutes(2))
            .withLogFile(shots.resolve("chromedriver-" + user + ".log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory(work, "chromium-" + user));
    // An alert left open must be seen by the test, not dismissed for it.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(200));
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WATCH));
    resize(1280, 900);
    // Sign in once, as a person would at the browser's prompt: the browser keeps the credentials
    // for this registry and sends them with the page's API requests from then on.
    driver.get("http://" + user + ":" + password + "@" + registry.host() + "/api/login");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("body")));
    assertThat(driver.findElement(By.tagName("body")).getText()).contains("\"" + user + "\"");
  }

  /** Loads the page fresh at {@code hash} (no state kept from an earlier page). */
  private static void open(String hash) {
    driver.get("about:blank");
    driver.get(registry.baseUri() + hash);
    wait.until(
        d ->
            Boolean.TRUE.equals(
                ((JavascriptExecutor) d)
                    .executeScript("return document.getElementById('user').textContent !== '…'")));
  }

  private static WebElement await(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static List<WebElement> awaitRows(String test, int count) {
    By rows = By.cssSelector("[data-test=" + test + "]");
    wait.until(ExpectedConditions.numberOfElementsToBe(rows, count));
    return driver.findElements(rows);
  }

  private static WebElement awaitDialogOpen() {
    WebElement dialog = driver.findElement(By.id("confirm"));
    wait.until(d -> isOpen(dialog) && dialog.isDisplayed());
    return dialog;
  }

  private static boolean isOpen(WebElement dialog) {
    return Boolean.parseBoolean(dialog.getDomProperty("open"));
  }

  private static String text(WebElement in, String test) {
    return in.findElement(By.cssSelector("[data-test=" + test + "]")).getText();
  }

  private static String attr(WebElement in, String test, String attribute) {
    return in.findElement(By.cssSelector("[data-test=" + test + "]")).getDomAttribute(attribute);
  }

  private static String kind(WebElement in, String test) {
    return attr(in, test, "data-kind");
  }

  private static String textContent(By by) {
    return driver.findElement(by).getDomProperty("textContent");
  }

  private static String enc(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  /**
   * The time shown is in the push window (this machine's clock is the server's), written the way
   * the page writes times.
   */
  private static void assertPushedWithin(WebElement time, Instant from) {
    Instant at = Instant.parse(time.getDomAttribute("datetime"));
    assertThat(at).isAfterOrEqualTo(from.minusSeconds(2)).isBeforeOrEqualTo(Instant.now());
    assertThat(time.getText()).isEqualTo(SHOWN.format(at));
  }

  /** Nothing hostile ran: no dialog, no injected element, no blocked script, no error. */
  @SuppressWarnings("unchecked")
  private static void assertPageInert() {
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    Map<String, Object> seen =
        (Map<String, Object>)
            driver.executeScript(
                "return {xss: window.__xss || null, dialogs: window.__dialogs,"
                    + " violations: window.__violations, errors: window.__errors,"
                    + " injected: document.querySelectorAll("
                    + "'#main img, #main svg, #main script, #main iframe, #injected, [onerror],"
                    + " [onload]').length};");
    assertThat(seen.get("xss")).as("hostile script ran").isNull();
    assertThat((List<Object>) seen.get("dialogs")).as("dialogs opened").isEmpty();
    assertThat((List<Object>) seen.get("violations")).as("CSP violations").isEmpty();
    assertThat((List<Object>) seen.get("errors")).as("script errors").isEmpty();
    assertThat(((Number) seen.get("injected")).intValue()).as("injected elements").isZero();
    assertThat(driver.findElement(By.id("error")).isDisplayed())
        .as("error banner: %s", driver.findElement(By.id("error")).getText())
        .isFalse();
  }

  /** The current page at desktop and at phone width, then back to desktop. */
  private static void screenshots(String name) throws IOException {
    screenshotsNow(name + "-desktop");
    resize(390, 844);
    screenshotsNow(name + "-phone");
    resize(1280, 900);
  }

  private static void screenshotsNow(String name) throws IOException {
    Files.write(shots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
  }

  /** Sets the viewport (not the window) to {@code width} x {@code height}. */
  private static void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    long innerWidth = (Long) driver.executeScript("return window.innerWidth;");
    long innerHeight = (Long) driver.executeScript("return window.innerHeight;");
    if (innerWidth != width || innerHeight != height) {
      driver
          .manage()
          .window()
          .setSize(
              new Dimension((int) (2L * width - innerWidth), (int) (2L * height - innerHeight)));
    }
    wait.until(
        d -> (Long) ((JavascriptExecutor) d).executeScript("return window.innerWidth;") == width);
  }

  private static void awaitLine(int from, String regex) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      List<String> out = registry.output();
      if (out.subList(from, out.size()).stream().anyMatch(l -> l.matches(regex))) {
        return;
      }
      Thread.sleep(100);
    }
    List<String> out = registry.output();
    assertThat(out.subList(from, out.size())).anyMatch(l -> l.matches(regex));
  }
}
