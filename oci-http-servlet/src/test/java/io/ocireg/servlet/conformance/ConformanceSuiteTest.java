package io.ocireg.servlet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.Registry;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.spec.Digest;
import io.ocireg.storage.memory.InMemoryStorage;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The four workflows of the OCI distribution-spec conformance suite (pull, push, content discovery,
 * content management), replayed request by request with the suite's expectations, plus the stricter
 * checks of its newer edition (ranges, sha512, empty blobs, bad digests, large manifests, HEAD
 * after delete).
 *
 * <p>Written from the spec and from what the official suite sends on the wire: bodies are sent
 * chunked without {@code Content-Length}, chunk ranges without a {@code bytes} prefix, locations
 * followed as given. By default it runs against {@link RegistryServlet} in Jetty; set {@code
 * OCI_ROOT_URL} (and {@code OCI_NAMESPACE}) to run it against any registry.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConformanceSuiteTest {
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final String INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final String EMPTY = "application/vnd.oci.empty.v1+json";
  private static final String TYPE_A = "application/vnd.nhl.peanut.butter.bagel";
  private static final String TYPE_B = "application/vnd.nba.strawberry.jam.croissant";
  private static final String ANNOTATION = "org.opencontainers.conformance.test";

  private static Server server;
  static String root;
  private static String ns;
  private static String crossNs;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Optional<String> authorization = Optional.empty();
  private static Optional<String> tokenLogin = Optional.empty();
  private static Optional<String> bearer = Optional.empty();
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Random RANDOM = new Random(42);

  private static byte[] layer;
  private static final List<byte[]> CONFIGS = new ArrayList<>();
  private static final List<byte[]> MANIFESTS = new ArrayList<>();
  private static final String DUMMY = Digest.sha256(bytes("hello world")).toString();

  @BeforeAll
  static void start() throws Exception {
    startWith(Optional.empty(), Optional.empty());
  }

  /**
   * Starts the in-process servlet (unless {@code OCI_ROOT_URL} names another registry) under {@code
   * access} when given, and sends {@code authorization} as the {@code Authorization} header of
   * every request when given.
   */
  static void startWith(Optional<AccessControl> access, Optional<String> authorization)
      throws Exception {
    startWith(access, authorization, Optional.empty(), Optional.empty());
  }

  /**
   * Like {@link #startWith(Optional, Optional)}, with a token endpoint mounted at {@code /token}
   * when given; when {@code tokenLogin} is given, the client answers a {@code Bearer} challenge as
   * the Docker token specification says: it asks the challenge's realm for a token of its service
   * and scope with {@code tokenLogin} as {@code Authorization}, then sends the request again with
   * the token (and keeps using the token until another challenge).
   */
  static void startWith(
      Optional<AccessControl> access,
      Optional<String> authorization,
      Optional<HttpServlet> tokenEndpoint,
      Optional<String> tokenLogin)
      throws Exception {
    ConformanceSuiteTest.authorization = authorization;
    ConformanceSuiteTest.tokenLogin = tokenLogin;
    bearer = Optional.empty();
    // A subclass replays the suite in the same JVM: begin with fresh content.
    CONFIGS.clear();
    MANIFESTS.clear();
    String external = System.getenv("OCI_ROOT_URL");
    if (external != null && !external.isBlank()) {
      root = external.replaceAll("/+$", "");
      ns = System.getenv().getOrDefault("OCI_NAMESPACE", "conformance/ocireg");
    } else {
      server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      Registry registry = Registry.create(new InMemoryStorage());
      context.addServlet(
          new ServletHolder(
              access
                  .map(a -> new RegistryServlet(registry, a))
                  .orElseGet(() -> new RegistryServlet(registry))),
          "/v2/*");
      tokenEndpoint.ifPresent(t -> context.addServlet(new ServletHolder(t), "/token"));
      server.setHandler(context);
      server.start();
      root = "http://127.0.0.1:" + connector.getLocalPort();
      ns = "conformance/ocireg";
    }
    crossNs = "conformance-" + UUID.randomUUID();
    layer = randomBytes(1024);
    for (int i = 0; i < 5; i++) {
      byte[] config =
          ("{\n\t\"author\": \""
                  + UUID.randomUUID().toString().substring(0, 16)
                  + "\",\n\t\"architecture\": \"amd64\",\n\t\"os\": \"linux\",\n\t\"rootfs\":"
                  + " {\"type\": \"layers\", \"diff_ids\": []}\n}")
              .getBytes(StandardCharsets.UTF_8);
      CONFIGS.add(config);
      MANIFESTS.add(imageManifest(config));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  // ---- pull --------------------------------------------------------------------------------

  @Test
  @Order(1)
  void pull() throws Exception {
    for (byte[] blob : List.of(CONFIGS.get(0), CONFIGS.get(1), layer)) {
      assertThat(postPut(ns, blob).statusCode()).isBetween(200, 299);
    }
    assertThat(putManifest(ns, "tagtest0", MANIFEST, MANIFESTS.get(0)).statusCode())
        .isBetween(200, 299);
    assertThat(putManifest(ns, digest(MANIFESTS.get(1)), MANIFEST, MANIFESTS.get(1)).statusCode())
        .isBetween(200, 299);

    assertThat(send("HEAD", "/v2/" + ns + "/blobs/" + DUMMY).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> head = send("HEAD", "/v2/" + ns + "/blobs/" + digest(CONFIGS.get(0)));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(digest(CONFIGS.get(0)));
    assertThat(send("GET", "/v2/" + ns + "/blobs/" + DUMMY).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> get = send("GET", "/v2/" + ns + "/blobs/" + digest(CONFIGS.get(0)));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(CONFIGS.get(0));

    for (String method : List.of("HEAD", "GET")) {
      assertThat(send(method, "/v2/" + ns + "/manifests/.INVALID_MANIFEST_NAME").statusCode())
          .isEqualTo(404);
      for (String ref : List.of(digest(MANIFESTS.get(0)), digest(MANIFESTS.get(1)), "tagtest0")) {
        HttpResponse<byte[]> r =
            send(method, "/v2/" + ns + "/manifests/" + ref, "Accept", MANIFEST);
        assertThat(r.statusCode()).as(method + " " + ref).isEqualTo(200);
        String expected = ref.equals(digest(MANIFESTS.get(1))) ? ref : digest(MANIFESTS.get(0));
        assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(expected);
      }
    }
    HttpResponse<byte[]> wrong = send("GET", "/v2/" + ns + "/manifests/sha256:totallywrong");
    assertThat(wrong.statusCode()).isIn(400, 404);
    if (wrong.statusCode() == 400) {
      assertThat(errorCode(wrong)).isIn("DIGEST_INVALID", "MANIFEST_INVALID", "MANIFEST_UNKNOWN");
    }

    for (byte[] m : List.of(MANIFESTS.get(0), MANIFESTS.get(1))) {
      assertThat(send("DELETE", "/v2/" + ns + "/manifests/" + digest(m)).statusCode())
          .isIn(202, 405);
    }
    for (byte[] b : List.of(CONFIGS.get(0), CONFIGS.get(1), layer)) {
      assertThat(send("DELETE", "/v2/" + ns + "/blobs/" + digest(b)).statusCode())
          .isIn(202, 404, 405);
    }
  }

  // ---- push --------------------------------------------------------------------------------

  @Test
  @Order(2)
  void push() throws Exception {
    byte[] blobA = randomBytes(42);
    byte[] blobB = randomBytes(42);

    // streamed
    HttpResponse<byte[]> post = send("POST", "/v2/" + ns + "/blobs/uploads/");
    assertThat(location(post)).isNotEmpty();
    HttpResponse<byte[]> patch =
        send("PATCH", location(post), chunked(blobA), "Content-Type", "application/octet-stream");
    assertThat(patch.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> put = send("PUT", withDigest(location(patch), digest(blobA)));
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(location(put)).isNotEmpty();

    // monolithic, single POST
    assertThat(send("GET", "/v2/" + ns + "/blobs/" + DUMMY).statusCode()).isEqualTo(404);
    byte[] config1 = CONFIGS.get(1);
    HttpResponse<byte[]> single =
        send(
            "POST",
            "/v2/" + ns + "/blobs/uploads/?digest=" + digest(config1),
            chunked(config1),
            "Content-Type",
            "application/octet-stream");
    assertThat(single.statusCode()).isEqualTo(201);
    assertThat(location(single)).isNotEmpty();
    assertThat(send("GET", "/v2/" + ns + "/blobs/" + digest(config1)).statusCode()).isEqualTo(200);

    // monolithic, POST + PUT
    HttpResponse<byte[]> open = send("POST", "/v2/" + ns + "/blobs/uploads/");
    assertThat(open.statusCode()).isEqualTo(202);
    HttpResponse<byte[]> close =
        send("PUT", withDigest(location(open), digest(config1)), chunked(config1));
    assertThat(close.statusCode()).isEqualTo(201);
    assertThat(location(close)).isNotEmpty();
    assertThat(postPut(ns, layer).statusCode()).isEqualTo(201);
    assertThat(send("GET", "/v2/" + ns + "/blobs/" + digest(layer)).statusCode()).isEqualTo(200);

    // chunked, with an out-of-order chunk, a repeated chunk and a status check
    byte[] chunk1 = java.util.Arrays.copyOfRange(blobB, 0, 22);
    byte[] chunk2 = java.util.Arrays.copyOfRange(blobB, 22, 42);
    HttpResponse<byte[]> fresh = send("POST", "/v2/" + ns + "/blobs/uploads/");
    assertThat(
            send("PATCH", location(fresh), chunked(chunk2), "Content-Range", "22-41").statusCode())
        .isEqualTo(416);
    HttpResponse<byte[]> prev = send("POST", "/v2/" + ns + "/blobs/uploads/");
    HttpResponse<byte[]> first =
        send("PATCH", location(prev), chunked(chunk1), "Content-Range", "0-21");
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.headers().firstValue("Range")).contains("0-21");
    assertThat(send("PATCH", location(prev), chunked(chunk1), "Content-Range", "0-21").statusCode())
        .isEqualTo(416);
    HttpResponse<byte[]> status = send("GET", location(prev));
    assertThat(status.statusCode()).isEqualTo(204);
    assertThat(location(status)).isNotEmpty();
    assertThat(status.headers().firstValue("Range")).contains("0-21");
    HttpResponse<byte[]> second =
        send("PATCH", location(status), chunked(chunk2), "Content-Range", "22-41");
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(location(second)).isNotEmpty();
    HttpResponse<byte[]> done = send("PUT", withDigest(location(second), digest(blobB)));
    assertThat(done.statusCode()).isEqualTo(201);
    assertThat(location(done)).isNotEmpty();
    assertThat(send("GET", "/v2/" + ns + "/blobs/" + digest(blobB)).body()).isEqualTo(blobB);

    // cross-repository mount
    HttpResponse<byte[]> unknownMount =
        send("POST", "/v2/" + crossNs + "/blobs/uploads/?mount=" + DUMMY);
    assertThat(unknownMount.statusCode()).isEqualTo(202);
    assertThat(location(unknownMount)).isNotEmpty();
    HttpResponse<byte[]> mount =
        send("POST", "/v2/" + crossNs + "/blobs/uploads/?mount=" + digest(blobA) + "&from=" + ns);
    assertThat(mount.statusCode()).isEqualTo(201);
    assertThat(URI.create(location(mount)).getPath())
        .isEqualTo("/v2/" + crossNs + "/blobs/" + digest(blobA));
    assertThat(send("GET", location(mount)).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> missingMount =
        send(
            "POST",
            "/v2/" + crossNs + "/blobs/uploads/?mount=" + digest(blobB) + "&from=" + crossNs + "x");
    assertThat(missingMount.statusCode()).isEqualTo(202);
    assertThat(URI.create(location(missingMount)).getPath())
        .startsWith("/v2/" + crossNs + "/blobs/uploads/");

    // manifests
    assertThat(send("GET", "/v2/" + ns + "/manifests/.INVALID_MANIFEST_NAME").statusCode())
        .isEqualTo(404);
    for (int i = 0; i < 4; i++) {
      HttpResponse<byte[]> m = putManifest(ns, "test" + i, MANIFEST, MANIFESTS.get(1));
      assertThat(m.statusCode()).isEqualTo(201);
      assertThat(location(m)).isNotEmpty();
    }
    byte[] emptyLayer =
        ("{\"schemaVersion\":2,\"config\":" + descriptor(CONFIG, config1) + ",\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> empty = putManifest(ns, "emptylayer", MANIFEST, emptyLayer);
    assertThat(empty.statusCode()).isEqualTo(201);
    HttpResponse<byte[]> back =
        send("GET", "/v2/" + ns + "/manifests/" + digest(MANIFESTS.get(1)), "Accept", MANIFEST);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.body()).isEqualTo(MANIFESTS.get(1));
    assertThat(back.headers().firstValue("Content-Type")).contains(MANIFEST);

    assertThat(send("DELETE", "/v2/" + ns + "/manifests/" + digest(MANIFESTS.get(1))).statusCode())
        .isEqualTo(202);
    assertThat(send("DELETE", "/v2/" + ns + "/manifests/" + digest(emptyLayer)).statusCode())
        .isEqualTo(202);
    assertThat(send("DELETE", "/v2/" + ns + "/blobs/" + digest(config1)).statusCode())
        .isEqualTo(202);
    assertThat(send("DELETE", "/v2/" + ns + "/blobs/" + digest(layer)).statusCode()).isEqualTo(202);
  }

  // ---- content discovery -------------------------------------------------------------------

  @Test
  @Order(3)
  void contentDiscovery() throws Exception {
    byte[] config2 = CONFIGS.get(2);
    byte[] config4 = CONFIGS.get(4);
    assertThat(postPut(ns, config2).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, layer).statusCode()).isEqualTo(201);
    for (int i = 0; i < 4; i++) {
      assertThat(putManifest(ns, "test" + i, MANIFEST, MANIFESTS.get(2)).statusCode())
          .isEqualTo(201);
    }

    byte[] emptyJson = bytes("{}");
    assertThat(digest(emptyJson))
        .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    byte[] refA = bytes("NHL Peanut Butter on my NHL bagel");
    byte[] refB = bytes("NBA Strawberry Jam on my NBA croissant");
    byte[] subject = MANIFESTS.get(4);
    byte[] missingSubject = MANIFESTS.get(3);
    assertThat(postPut(ns, emptyJson).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, refA).statusCode()).isEqualTo(201);

    byte[] aConfig = refManifest(TYPE_A, null, refA, emptyJson, EMPTY, subject, "test config a");
    byte[] aLayer = refManifest(EMPTY, TYPE_A, emptyJson, refA, TYPE_A, subject, "test layer a");
    // The subject is not pushed yet: the registry must accept the referrers anyway.
    expectSubject(putManifest(ns, digest(aConfig), MANIFEST, aConfig), subject);
    expectSubject(putManifest(ns, digest(aLayer), MANIFEST, aLayer), subject);
    byte[] index =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + INDEX
                + "\",\"artifactType\":\"application/vnd.food.stand\",\"manifests\":["
                + descriptor(MANIFEST, aConfig)
                + ","
                + descriptor(MANIFEST, aLayer)
                + "],\"subject\":"
                + descriptor(MANIFEST, subject)
                + ",\"annotations\":{\""
                + ANNOTATION
                + "\":\"test index\"}}")
            .getBytes(StandardCharsets.UTF_8);
    expectSubject(putManifest(ns, digest(index), INDEX, index), subject);

    assertThat(postPut(ns, config4).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, layer).statusCode()).isEqualTo(201);
    assertThat(putManifest(ns, "tagtest0", MANIFEST, subject).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, refB).statusCode()).isEqualTo(201);
    byte[] bConfig = refManifest(TYPE_B, null, refB, emptyJson, EMPTY, subject, "test config b");
    byte[] bLayer = refManifest(EMPTY, TYPE_B, emptyJson, refB, TYPE_B, subject, "test layer b");
    expectSubject(putManifest(ns, digest(bConfig), MANIFEST, bConfig), subject);
    expectSubject(putManifest(ns, digest(bLayer), MANIFEST, bLayer), subject);
    byte[] cLayer = refManifest(EMPTY, TYPE_B, emptyJson, refB, TYPE_B, missingSubject, null);
    expectSubject(putManifest(ns, digest(cLayer), MANIFEST, cLayer), missingSubject);

    // tag listing
    HttpResponse<byte[]> all = send("GET", "/v2/" + ns + "/tags/list");
    assertThat(all.statusCode()).isEqualTo(200);
    List<String> tags = jsonStrings(all.body(), "tags");
    assertThat(tags).containsExactly("tagtest0", "test0", "test1", "test2", "test3");
    int half = tags.size() / 2;
    HttpResponse<byte[]> firstHalf = send("GET", "/v2/" + ns + "/tags/list?n=" + half);
    assertThat(jsonStrings(firstHalf.body(), "tags")).isEqualTo(tags.subList(0, half));
    HttpResponse<byte[]> rest =
        send("GET", "/v2/" + ns + "/tags/list?n=" + tags.size() + "&last=" + tags.get(half - 1));
    assertThat(rest.statusCode()).isEqualTo(200);
    assertThat(jsonStrings(rest.body(), "tags")).isEqualTo(tags.subList(half, tags.size()));

    // referrers
    HttpResponse<byte[]> none = send("GET", "/v2/" + ns + "/referrers/" + DUMMY);
    assertThat(none.statusCode()).isEqualTo(200);
    assertThat(none.headers().firstValue("Content-Type")).contains(INDEX);
    assertThat(jsonStrings(none.body(), "digest")).isEmpty();
    assertThat(new String(none.body(), StandardCharsets.UTF_8))
        .contains("\"schemaVersion\":2")
        .contains("\"mediaType\":\"" + INDEX + "\"");

    HttpResponse<byte[]> refs = send("GET", "/v2/" + ns + "/referrers/" + digest(subject));
    assertThat(refs.statusCode()).isEqualTo(200);
    assertThat(refs.headers().firstValue("Content-Type")).contains(INDEX);
    assertThat(jsonStrings(refs.body(), "digest"))
        .containsExactlyInAnyOrder(
            digest(aConfig), digest(aLayer), digest(index), digest(bConfig), digest(bLayer));
    assertThat(jsonStrings(refs.body(), ANNOTATION))
        .containsExactlyInAnyOrder(
            "test config a", "test layer a", "test index", "test config b", "test layer b");
    assertThat(jsonStrings(refs.body(), "artifactType"))
        .containsExactlyInAnyOrder(TYPE_A, TYPE_A, "application/vnd.food.stand", TYPE_B, TYPE_B);

    HttpResponse<byte[]> filtered =
        send("GET", "/v2/" + ns + "/referrers/" + digest(subject) + "?artifactType=" + TYPE_A);
    assertThat(filtered.statusCode()).isEqualTo(200);
    assertThat(filtered.headers().firstValue("Content-Type")).contains(INDEX);
    assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    assertThat(jsonStrings(filtered.body(), "digest"))
        .containsExactlyInAnyOrder(digest(aConfig), digest(aLayer));

    HttpResponse<byte[]> dangling =
        send("GET", "/v2/" + ns + "/referrers/" + digest(missingSubject));
    assertThat(jsonStrings(dangling.body(), "digest")).containsExactly(digest(cLayer));

    for (byte[] m : List.of(index, MANIFESTS.get(2), subject, aConfig, aLayer, bConfig, bLayer)) {
      assertThat(send("DELETE", "/v2/" + ns + "/manifests/" + digest(m)).statusCode())
          .isEqualTo(202);
    }
    assertThat(send("DELETE", "/v2/" + ns + "/manifests/tagtest0").statusCode()).isIn(202, 404);
    assertThat(send("DELETE", "/v2/" + ns + "/manifests/" + digest(cLayer)).statusCode())
        .isEqualTo(202);
    // Deleting the referrer removes it from its subject's listing.
    assertThat(
            jsonStrings(
                send("GET", "/v2/" + ns + "/referrers/" + digest(missingSubject)).body(), "digest"))
        .isEmpty();
    for (byte[] b : List.of(config2, layer)) {
      assertThat(send("DELETE", "/v2/" + ns + "/blobs/" + digest(b)).statusCode()).isEqualTo(202);
    }
  }

  // ---- content management ------------------------------------------------------------------

  @Test
  @Order(4)
  void contentManagement() throws Exception {
    byte[] config3 = CONFIGS.get(3);
    byte[] m3 = MANIFESTS.get(3);
    assertThat(postPut(ns, config3).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, layer).statusCode()).isEqualTo(201);
    assertThat(putManifest(ns, "tagtest0", MANIFEST, m3).statusCode()).isEqualTo(201);
    assertThat(putManifest(ns, "tagtest1", MANIFEST, m3).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> list = send("GET", "/v2/" + ns + "/tags/list");
    assertThat(list.statusCode()).isEqualTo(200);
    int before = jsonStrings(list.body(), "tags").size();

    assertThat(send("DELETE", "/v2/" + ns + "/manifests/tagtest0").statusCode()).isEqualTo(202);
    assertThat(send("HEAD", "/v2/" + ns + "/manifests/tagtest0").statusCode()).isEqualTo(404);
    assertThat(send("HEAD", "/v2/" + ns + "/manifests/tagtest1").statusCode()).isEqualTo(200);
    assertThat(send("DELETE", "/v2/" + ns + "/manifests/" + digest(m3)).statusCode())
        .isEqualTo(202);
    assertThat(send("GET", "/v2/" + ns + "/manifests/" + digest(m3)).statusCode()).isEqualTo(404);
    assertThat(send("HEAD", "/v2/" + ns + "/manifests/tagtest1").statusCode()).isEqualTo(404);
    HttpResponse<byte[]> after = send("GET", "/v2/" + ns + "/tags/list");
    assertThat(jsonStrings(after.body(), "tags")).hasSize(before - 2);

    assertThat(send("DELETE", "/v2/" + ns + "/blobs/" + digest(config3)).statusCode())
        .isEqualTo(202);
    assertThat(send("DELETE", "/v2/" + ns + "/blobs/" + digest(layer)).statusCode()).isEqualTo(202);
    assertThat(send("GET", "/v2/" + ns + "/blobs/" + digest(config3)).statusCode()).isEqualTo(404);
    assertThat(send("HEAD", "/v2/" + ns + "/blobs/" + digest(layer)).statusCode()).isEqualTo(404);
  }

  // ---- stricter checks of the newer suite --------------------------------------------------

  @Test
  @Order(5)
  void rangeRequests() throws Exception {
    byte[] blob = randomBytes(2048);
    assertThat(postPut(ns, blob).statusCode()).isEqualTo(201);
    String path = "/v2/" + ns + "/blobs/" + digest(blob);
    expectRange(path, "bytes=500-1499", 500, 1000, "bytes 500-1499/2048");
    expectRange(path, "bytes=500-", 500, 1548, "bytes 500-2047/2048");
    expectRange(path, "bytes=-500", 1548, 500, "bytes 1548-2047/2048");
    expectRange(path, "bytes=2000-5000", 2000, 48, "bytes 2000-2047/2048");
    assertThat(send("GET", path, "Range", "bytes=500-0").statusCode()).isEqualTo(416);
    HttpResponse<byte[]> beyond = send("GET", path, "Range", "bytes=5000-10000");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */2048");
  }

  @Test
  @Order(6)
  void sha512EmptyBlobsAndBadDigests() throws Exception {
    byte[] blob = randomBytes(512);
    String sha512 = Digest.of(Digest.SHA512, blob).toString();
    HttpResponse<byte[]> single =
        send("POST", "/v2/" + ns + "/blobs/uploads/?digest=" + sha512, chunked(blob));
    assertThat(single.statusCode()).isEqualTo(201);
    HttpResponse<byte[]> back = send("GET", location(single));
    assertThat(back.body()).isEqualTo(blob);
    assertThat(back.headers().firstValue("Docker-Content-Digest")).contains(sha512);

    byte[] nothing = new byte[0];
    assertThat(postPut(ns, nothing).statusCode()).isEqualTo(201);
    HttpResponse<byte[]> head = send("HEAD", "/v2/" + ns + "/blobs/" + digest(nothing));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).contains("0");

    byte[] bad = bytes("some content, oh no");
    String claimed = digest(randomBytes(10));
    assertThat(
            send("POST", "/v2/" + ns + "/blobs/uploads/?digest=" + claimed, chunked(bad))
                .statusCode())
        .isEqualTo(400);
    HttpResponse<byte[]> open = send("POST", "/v2/" + ns + "/blobs/uploads/");
    HttpResponse<byte[]> put = send("PUT", withDigest(location(open), claimed), chunked(bad));
    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(errorCode(put)).isEqualTo("DIGEST_INVALID");
    assertThat(send("HEAD", "/v2/" + ns + "/blobs/" + claimed).statusCode()).isEqualTo(404);
    assertThat(send("HEAD", "/v2/" + ns + "/blobs/" + digest(bad)).statusCode()).isEqualTo(404);

    byte[] manifest = MANIFESTS.get(0);
    assertThat(postPut(ns, CONFIGS.get(0)).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, layer).statusCode()).isEqualTo(201);
    assertThat(putManifest(ns, "sha256:baddigeststring", MANIFEST, manifest).statusCode())
        .isEqualTo(400);
    byte[] padded = (new String(manifest, StandardCharsets.UTF_8) + "  ").getBytes();
    assertThat(putManifest(ns, digest(manifest), MANIFEST, padded).statusCode()).isEqualTo(400);
    String manifest512 = Digest.of(Digest.SHA512, manifest).toString();
    HttpResponse<byte[]> by512 = putManifest(ns, manifest512, MANIFEST, manifest);
    assertThat(by512.statusCode()).isEqualTo(201);
    assertThat(send("GET", location(by512)).body()).isEqualTo(manifest);
    assertThat(send("GET", "/v2/" + ns + "/manifests/" + DUMMY).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/v2/" + ns + "/manifests/missing-tag").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(7)
  void largeManifestsAndUnusualContent() throws Exception {
    byte[] config = CONFIGS.get(0);
    assertThat(postPut(ns, config).statusCode()).isEqualTo(201);
    assertThat(postPut(ns, layer).statusCode()).isEqualTo(201);
    StringBuilder annotations = new StringBuilder();
    String value = "x".repeat(10_000);
    for (int i = 0; i < 390; i++) {
      annotations.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"").append(value);
      annotations.append('"');
    }
    byte[] large =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST
                + "\",\"config\":"
                + descriptor(CONFIG, config)
                + ",\"layers\":["
                + descriptor(LAYER, layer)
                + "],\"annotations\":{"
                + annotations
                + "}}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(large.length).isGreaterThan(3_900_000);
    HttpResponse<byte[]> put = putManifest(ns, "large", MANIFEST, large);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(send("GET", "/v2/" + ns + "/manifests/large").body()).isEqualTo(large);

    // Non-distributable layers with urls are never uploaded; custom fields are kept verbatim.
    byte[] foreign =
        ("{\"schemaVersion\":2,\"mediaType\":\""
                + MANIFEST
                + "\",\"custom\":{\"x\":[1,2]},\"config\":"
                + descriptor(CONFIG, config)
                + ",\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.nondistributable"
                + ".v1.tar+gzip\",\"digest\":\""
                + digest(randomBytes(64))
                + "\",\"size\":64,\"urls\":[\"https://example.com/layer\"]}]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> f = putManifest(ns, "foreign", MANIFEST, foreign);
    assertThat(f.statusCode()).isEqualTo(201);
    HttpResponse<byte[]> got = send("GET", location(f), "Accept", MANIFEST + ", " + INDEX);
    assertThat(got.body()).isEqualTo(foreign);
    assertThat(got.headers().firstValue("Content-Type")).contains(MANIFEST);

    byte[] emptyIndex =
        ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> ei = putManifest(ns, "empty-index", INDEX, emptyIndex);
    assertThat(ei.statusCode()).isEqualTo(201);
    HttpResponse<byte[]> eih = send("HEAD", "/v2/" + ns + "/manifests/empty-index");
    assertThat(eih.headers().firstValue("Content-Type")).contains(INDEX);
    assertThat(eih.headers().firstValue("Content-Length"))
        .contains(String.valueOf(emptyIndex.length));
    assertThat(eih.body()).isEmpty();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static void expectRange(String path, String range, int from, int length, String cr)
      throws Exception {
    HttpResponse<byte[]> r = send("GET", path, "Range", range);
    assertThat(r.statusCode()).as(range).isEqualTo(206);
    assertThat(r.body()).hasSize(length);
    assertThat(r.headers().firstValue("Content-Range")).contains(cr);
    byte[] whole = send("GET", path).body();
    assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, from, from + length));
  }

  private static void expectSubject(HttpResponse<byte[]> put, byte[] subject) {
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("OCI-Subject")).contains(digest(subject));
  }

  private static byte[] refManifest(
      String configType,
      String artifactType,
      byte[] config,
      byte[] layerBlob,
      String layerType,
      byte[] subject,
      String annotation) {
    return ("{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": \""
            + MANIFEST
            + "\",\n"
            + (artifactType == null ? "" : "\t\"artifactType\": \"" + artifactType + "\",\n")
            + "\t\"config\": "
            + descriptor(configType, config)
            + ",\n\t\"layers\": ["
            + descriptor(layerType, layerBlob)
            + "],\n\t\"subject\": "
            + descriptor(MANIFEST, subject)
            + (annotation == null
                ? ""
                : ",\n\t\"annotations\": {\"" + ANNOTATION + "\": \"" + annotation + "\"}")
            + "\n}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] imageManifest(byte[] config) {
    String configDescriptor =
        "{\"mediaType\":\""
            + CONFIG
            + "\",\"digest\":\""
            + digest(config)
            + "\",\"size\":"
            + config.length
            + ",\"data\":\""
            + java.util.Base64.getEncoder().encodeToString(config)
            + "\",\"newUnspecifiedField\":\"aGVsbG8gd29ybGQ=\"}";
    String layerDescriptor =
        "{\"mediaType\":\""
            + LAYER
            + "\",\"digest\":\""
            + digest(layer)
            + "\",\"size\":"
            + layer.length
            + ",\"newUnspecifiedField\":null}";
    return ("{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": \""
            + MANIFEST
            + "\",\n\t\"config\": "
            + configDescriptor
            + ",\n\t\"layers\": [\n\t\t"
            + layerDescriptor
            + "\n\t]\n}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String descriptor(String mediaType, byte[] content) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + digest(content)
        + "\",\"size\":"
        + content.length
        + "}";
  }

  private static HttpResponse<byte[]> postPut(String repo, byte[] blob) throws Exception {
    HttpResponse<byte[]> post = send("POST", "/v2/" + repo + "/blobs/uploads/");
    return send(
        "PUT",
        withDigest(location(post), digest(blob)),
        chunked(blob),
        "Content-Type",
        "application/octet-stream");
  }

  private static HttpResponse<byte[]> putManifest(
      String repo, String reference, String contentType, byte[] body) throws Exception {
    return send(
        "PUT",
        "/v2/" + repo + "/manifests/" + reference,
        chunked(body),
        "Content-Type",
        contentType);
  }

  private static BodyPublisher chunked(byte[] body) {
    // The official suite streams bodies without Content-Length; so do we.
    return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
  }

  static HttpResponse<byte[]> send(String method, String pathOrUrl, String... headers)
      throws IOException, InterruptedException {
    return send(method, pathOrUrl, BodyPublishers.noBody(), headers);
  }

  private static HttpResponse<byte[]> send(
      String method, String pathOrUrl, BodyPublisher body, String... headers)
      throws IOException, InterruptedException {
    URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : root + pathOrUrl);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    bearer.or(() -> authorization).ifPresent(a -> b.header("Authorization", a));
    HttpResponse<byte[]> r = HTTP.send(b.build(), BodyHandlers.ofByteArray());
    Optional<String> challenge =
        r.headers()
            .firstValue("WWW-Authenticate")
            .filter(c -> c.regionMatches(true, 0, "Bearer ", 0, 7));
    if (r.statusCode() != 401 || challenge.isEmpty() || tokenLogin.isEmpty()) {
      return r;
    }
    bearer = Optional.of("Bearer " + token(challenge.get(), tokenLogin.get()));
    // The bodies are byte arrays or suppliers of fresh streams: the same request can go again.
    b.setHeader("Authorization", bearer.get());
    return HTTP.send(b.build(), BodyHandlers.ofByteArray());
  }

  /** A token from the realm of a {@code Bearer} challenge, for its service and scopes. */
  private static String token(String challenge, String login)
      throws IOException, InterruptedException {
    Matcher m = CHALLENGE_PARAM.matcher(challenge.substring(7));
    String realm = null;
    StringBuilder query = new StringBuilder();
    while (m.find()) {
      switch (m.group(1).toLowerCase(java.util.Locale.ROOT)) {
        case "realm" -> realm = m.group(2);
        case "service" -> query.append("&service=").append(encode(m.group(2)));
        case "scope" -> {
          for (String scope : m.group(2).trim().split(" +")) {
            query.append("&scope=").append(encode(scope));
          }
        }
        default -> {}
      }
    }
    assertThat(realm).as("realm of %s", challenge).isNotNull();
    URI uri = URI.create(realm + (query.length() == 0 ? "" : "?" + query.substring(1)));
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(uri).header("Authorization", login).build(),
            BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("token for %s", challenge).isEqualTo(200);
    List<String> token = jsonStrings(r.body(), "token");
    return token.isEmpty() ? jsonStrings(r.body(), "access_token").get(0) : token.get(0);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String location(HttpResponse<byte[]> r) {
    String loc = r.headers().firstValue("Location").orElse("");
    if (loc.isEmpty()) {
      return loc;
    }
    URI u = URI.create(loc);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  private static String withDigest(String location, String digest) {
    return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
  }

  private static String errorCode(HttpResponse<byte[]> r) {
    List<String> codes = jsonStrings(r.body(), "code");
    return codes.isEmpty() ? "" : codes.get(0);
  }

  /** Every string value of {@code key} anywhere in a JSON document (enough for these checks). */
  private static List<String> jsonStrings(byte[] json, String key) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
            .matcher(new String(json, StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>();
    if ("tags".equals(key)) {
      Matcher arr =
          Pattern.compile("\"tags\"\\s*:\\s*\\[([^\\]]*)\\]")
              .matcher(new String(json, StandardCharsets.UTF_8));
      if (arr.find()) {
        Matcher s = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(arr.group(1));
        while (s.find()) {
          out.add(s.group(1));
        }
      }
      return out;
    }
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String digest(byte[] content) {
    return Digest.sha256(content).toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
