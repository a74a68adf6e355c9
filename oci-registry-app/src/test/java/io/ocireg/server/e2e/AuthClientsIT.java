package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.ocireg.server.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import land.oras.Annotations;
import land.oras.ArtifactType;
import land.oras.Config;
import land.oras.ContainerRef;
import land.oras.LocalPath;
import land.oras.Registry;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The client matrix of issue 5: skopeo ({@code --creds} and {@code skopeo login}), buildah (login,
 * push, pull), Jib core and the ORAS Java SDK, each with credentials, against the packaged server
 * in each {@link Mode}: Basic or token authentication, over plain HTTP on loopback or over TLS. One
 * server per mode serves all four clients.
 *
 * <p>Over TLS every client verifies the server's self-signed certificate for real: skopeo and
 * buildah get it as a CA in a {@code --cert-dir}, Jib and the ORAS SDK (both on the JVM's default
 * {@link SSLContext}) get it through a default context that trusts it. Over plain HTTP skopeo and
 * buildah need {@code --tls-verify=false}, Jib {@code setAllowInsecureRegistries(true)} and the
 * {@code sendCredentialsOverHttp} system property, the ORAS SDK {@code withInsecure(true)}.
 *
 * <p>Every command-line client gets its own {@code HOME}, {@code DOCKER_CONFIG}, {@code
 * REGISTRY_AUTH_FILE} and {@code XDG_RUNTIME_DIR}, so no login leaks between tests or runs.
 *
 * <p>Reports name the rounds {@code AuthClientsIT[1]} to {@code [4]}, in the order of {@link Mode}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(AuthClientsIT.Mode.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthClientsIT {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-pass";
  private static final String CREDS = USER + ":" + PASSWORD;

  /** A token request answered with a token, as the access log shows it. */
  private static final String TOKEN_ISSUED = ".* GET /token\\?.* 200 .*";

  /** How the server of one round of the matrix authenticates and listens. */
  enum Mode {
    BASIC_OVER_HTTP(false, false),
    BASIC_OVER_TLS(false, true),
    TOKEN_OVER_HTTP(true, false),
    TOKEN_OVER_TLS(true, true);

    final boolean token;
    final boolean tls;

    Mode(boolean token, boolean tls) {
      this.token = token;
      this.tls = tls;
    }

    @Override
    public String toString() {
      return (token ? "token" : "Basic") + " over " + (tls ? "TLS" : "HTTP");
    }
  }

  @Parameter Mode mode;

  /** The per-mode state: server, image, trust; started before the mode's tests, then closed. */
  private static Path dir;

  private static RegistryProcess registry;
  private static Path layout;
  private static Path certDir;
  private static SSLContext previousDefault;

  @TempDir Path work;

  @BeforeParameterizedClassInvocation
  static void startRegistry(Mode mode) throws Exception {
    Tools.require("skopeo", "umoci");
    dir = Files.createTempDirectory("auth-clients-it");
    layout = dir.resolve("layout");
    OciLayouts.buildRandomLayerImage(layout, dir.resolve("scratch"), "small", 64 * 1024, 7L);
    // The same bcrypt library as the server, in the $2y$ form htpasswd -B writes.
    Path htpasswd =
        Files.writeString(
            dir.resolve("users"),
            USER + ":" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt("$2y", 5)) + "\n",
            StandardCharsets.US_ASCII);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--htpasswd",
                htpasswd.toString(),
                "--access-rule",
                "authenticated ** pull,push,delete,admin",
                "--access-rule",
                "anonymous public/** pull"));
    if (mode.token) {
      args.addAll(List.of("--token-auth", "true"));
    }
    if (mode.tls) {
      SelfSignedCertificate tls = SelfSignedCertificate.create();
      certDir = Files.createDirectories(dir.resolve("certs"));
      // containers/image adds every *.crt of a --cert-dir to its trusted CAs.
      Path cert = Files.writeString(certDir.resolve("ca.crt"), pem(tls.certificate()));
      Path key =
          Files.writeString(
              dir.resolve("tls.key"), pem("PRIVATE KEY", tls.keys().getPrivate().getEncoded()));
      args.addAll(List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()));
      previousDefault = SSLContext.getDefault();
      SSLContext.setDefault(trusting(tls.certificate()));
    }
    registry = RegistryProcess.start(dir.resolve("storage"), List.of(), args);
    assertThat(registry.baseUri().getScheme()).isEqualTo(mode.tls ? "https" : "http");
  }

  @AfterParameterizedClassInvocation
  static void stopRegistry() throws Exception {
    try {
      if (registry != null) {
        registry.close();
      }
    } finally {
      registry = null;
      if (previousDefault != null) {
        SSLContext.setDefault(previousDefault);
        previousDefault = null;
      }
      certDir = null;
      deleteRecursively(dir);
    }
  }

  @Test
  @Order(1)
  void skopeoPushesWithCredsLogsInAndPulls() throws Exception {
    Map<String, String> env = isolatedEnv(work.resolve("skopeo"));
    String dest = "docker://" + registry.host() + "/auth/skopeo:1";

    Tools.Result refused = Tools.tryRun(env, skopeo("copy", destTls(), src(), dest));
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.output()).containsIgnoringCase("auth");
    if (mode.tls) {
      // Verification is on: without the CA the self-signed certificate is refused.
      Tools.Result untrusted =
          Tools.tryRun(env, skopeo("copy", "--dest-creds", CREDS, src(), dest));
      assertThat(untrusted.exitCode()).as(untrusted.output()).isNotZero();
      assertThat(untrusted.output()).containsIgnoringCase("certificate");
    }

    int before = registry.output().size();
    Tools.run(env, skopeo("copy", destTls(), "--dest-creds", CREDS, src(), dest));
    assertAuthenticatedThroughTheTokenEndpointInTokenMode(before);

    Path authFile = work.resolve("login").resolve("auth.json");
    Files.createDirectories(authFile.getParent());
    Tools.Result badLogin =
        Tools.tryRun(
            env,
            skopeo(
                "login",
                "--authfile",
                authFile.toString(),
                tls(),
                "-u",
                USER,
                "-p",
                "wrong-password",
                registry.host()));
    assertThat(badLogin.exitCode()).as(badLogin.output()).isNotZero();
    Tools.run(
        env,
        skopeo(
            "login",
            "--authfile",
            authFile.toString(),
            tls(),
            "-u",
            USER,
            "-p",
            PASSWORD,
            registry.host()));
    assertThat(Files.readString(authFile)).contains(registry.host());

    String repo = "docker://" + registry.host() + "/auth/skopeo";
    String tags =
        Tools.run(env, skopeo("list-tags", "--authfile", authFile.toString(), tls(), repo));
    assertThat(tags).contains("\"1\"");
    // Without the auth file the same listing is refused.
    Tools.Result anonymous = Tools.tryRun(env, skopeo("list-tags", tls(), repo));
    assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();

    Path pulled = work.resolve("pulled");
    Tools.run(
        env,
        skopeo(
            "copy",
            srcTls(),
            "--src-authfile",
            authFile.toString(),
            dest,
            "oci:" + pulled + ":back"));
    assertThat(OciLayouts.manifestDigest(pulled, "back"))
        .isEqualTo(OciLayouts.manifestDigest(layout, "small"));
  }

  @Test
  @Order(2)
  void buildahLogsInPushesAndPulls() throws Exception {
    Tools.require("buildah");
    Tools.requireRoot();
    Path policy =
        Files.writeString(
            work.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    Map<String, String> env = isolatedEnv(work.resolve("buildah-env"));
    env.put(
        "CONTAINERS_REGISTRIES_CONF", Files.writeString(work.resolve("reg.conf"), "").toString());
    env.put("BUILDAH_ISOLATION", "chroot");
    Path authFile = work.resolve("buildah-auth.json");
    Path payload = Files.writeString(work.resolve("payload.txt"), "pushed with credentials\n");
    String ref = "docker://" + registry.host() + "/auth/buildah:1";
    Buildah push = new Buildah(env, work.resolve("push"), policy);
    String ctr = push.run("from", "scratch").strip();
    push.run("copy", ctr, payload.toString(), "/payload.txt");
    push.run("commit", ctr, "localhost/auth-buildah:1");

    Tools.Result refused =
        push.tryRun(
            "push", tls(), "--authfile", authFile.toString(), "localhost/auth-buildah:1", ref);
    assertThat(refused.exitCode()).as(refused.output()).isNotZero();

    Tools.Result badLogin =
        push.tryRun(
            "login",
            "--authfile",
            authFile.toString(),
            tls(),
            "-u",
            USER,
            "-p",
            "wrong-password",
            registry.host());
    assertThat(badLogin.exitCode()).as(badLogin.output()).isNotZero();
    push.run(
        "login",
        "--authfile",
        authFile.toString(),
        tls(),
        "-u",
        USER,
        "-p",
        PASSWORD,
        registry.host());
    Path digestFile = work.resolve("digest");
    int before = registry.output().size();
    push.run(
        "push",
        tls(),
        "--authfile",
        authFile.toString(),
        "--digestfile",
        digestFile.toString(),
        "localhost/auth-buildah:1",
        ref);
    assertAuthenticatedThroughTheTokenEndpointInTokenMode(before);
    String pushed = Files.readString(digestFile).strip();
    assertThat(pushed).startsWith("sha256:");

    Buildah pull = new Buildah(env, work.resolve("pull"), policy);
    pull.run("pull", tls(), "--authfile", authFile.toString(), ref);
    assertThat(pull.run("images", "--digests", "--format", "{{.Digest}}")).contains(pushed);
  }

  @Test
  @Order(3)
  void jibPushesAndBuildsOnItsImageWithCredentials() throws Exception {
    String image = registry.host() + "/auth/jib:1";
    Path file = Files.writeString(work.resolve("hello.txt"), "jib " + mode + "\n");

    assertThatThrownBy(() -> jibFromScratch(file).containerize(jibTo(image, false)))
        .hasStackTraceContaining("Unauthorized");

    int before = registry.output().size();
    JibContainer pushed = jibFromScratch(file).containerize(jibTo(image, true));
    assertThat(pushed.isImagePushed()).isTrue();
    assertAuthenticatedThroughTheTokenEndpointInTokenMode(before);
    assertThat(inspectDigest(image)).isEqualTo(pushed.getDigest().toString());

    // Jib pulls its base image with the credentials and mounts its layer into the new repository.
    String derived = registry.host() + "/auth/jib-derived:1";
    Path more = Files.writeString(work.resolve("more.txt"), "on top\n");
    JibContainer built =
        Jib.from(RegistryImage.named(image).addCredential(USER, PASSWORD))
            .setFormat(ImageFormat.OCI)
            .addLayer(List.of(more), AbsoluteUnixPath.get("/app"))
            .containerize(jibTo(derived, true));
    assertThat(inspectDigest(derived)).isEqualTo(built.getDigest().toString());
    // The base layer came by a cross-repository mount: in token mode Jib asked for pull on the
    // source as well.
    awaitLine(
        ".* POST /v2/auth/jib-derived/blobs/uploads/\\?mount=sha256:\\p{XDigit}{64}&from=auth/jib 201 .*");
  }

  @Test
  @Order(4)
  void orasPushesAndPullsWithCredentials() throws Exception {
    String card = "{\"name\":\"weather-agent\",\"mode\":\"" + mode + "\"}";
    Path file =
        Files.writeString(Files.createDirectories(work.resolve("card")).resolve("card.json"), card);
    ContainerRef ref = ContainerRef.parse(registry.host() + "/auth/oras:1");
    ContainerRef open = ContainerRef.parse(registry.host() + "/public/oras:1");
    // ORAS sends Basic credentials with every request, token mode included, and answers only a
    // Bearer challenge: with the token endpoint, sending its Basic credentials there.
    Registry oras = Registry.builder().defaults(USER, PASSWORD).withInsecure(!mode.tls).build();
    for (ContainerRef target : List.of(ref, open)) {
      oras.pushArtifact(
          target,
          ArtifactType.from("application/vnd.example.card.v1+json"),
          Annotations.empty(),
          Config.empty(),
          LocalPath.of(file, "application/json"));
    }
    Path out = Files.createDirectories(work.resolve("out"));
    oras.pullArtifact(ref, out, true);
    assertThat(Files.readString(out.resolve("card.json"))).isEqualTo(card);

    Registry anonymous = Registry.builder().defaults().withInsecure(!mode.tls).build();
    Path refusedOut = Files.createDirectories(work.resolve("refused"));
    int before = registry.output().size();
    // In token mode ORAS parses the Bearer challenge, fetches an (anonymous) token from the realm
    // and tries again; in Basic mode it cannot answer the challenge at all.
    assertThatThrownBy(() -> anonymous.pullArtifact(ref, refusedOut, true))
        .hasStackTraceContaining(mode.token ? "401" : "Basic realm=");
    assertAuthenticatedThroughTheTokenEndpointInTokenMode(before);
    assertThat(refusedOut).isEmptyDirectory();
    // Anonymous pull where the rules allow it needs no token at all.
    Path publicOut = Files.createDirectories(work.resolve("public"));
    anonymous.pullArtifact(open, publicOut, true);
    assertThat(Files.readString(publicOut.resolve("card.json"))).isEqualTo(card);
  }

  /**
   * In token mode a client that answered the {@code Bearer} challenge fetched a token since the
   * server printed line {@code before}; in Basic mode there is no token endpoint to call.
   */
  private void assertAuthenticatedThroughTheTokenEndpointInTokenMode(int before)
      throws InterruptedException {
    // The server logs a request after answering it, so the line may come after the client exits.
    for (int i = 0; i < 300 && mode.token && !tokenIssuedSince(before); i++) {
      Thread.sleep(100);
    }
    assertThat(tokenIssuedSince(before)).as("a token was issued").isEqualTo(mode.token);
  }

  /** Waits for an access-log line matching {@code regex}, which follows the response. */
  private static void awaitLine(String regex) throws InterruptedException {
    for (int i = 0; i < 300 && registry.output().stream().noneMatch(l -> l.matches(regex)); i++) {
      Thread.sleep(100);
    }
    assertThat(registry.output()).anyMatch(l -> l.matches(regex));
  }

  private static boolean tokenIssuedSince(int before) {
    List<String> lines = registry.output();
    return lines.subList(before, lines.size()).stream().anyMatch(l -> l.matches(TOKEN_ISSUED));
  }

  private static JibContainerBuilder jibFromScratch(Path file) throws IOException {
    return Jib.fromScratch()
        .setFormat(ImageFormat.OCI)
        .addLayer(List.of(file), AbsoluteUnixPath.get("/app"));
  }

  private Containerizer jibTo(String image, boolean withCredentials) throws Exception {
    RegistryImage target = RegistryImage.named(image);
    if (withCredentials) {
      target.addCredential(USER, PASSWORD);
    }
    // Over TLS Jib verifies the certificate and never falls back to plain HTTP.
    return Containerizer.to(target)
        .setAllowInsecureRegistries(!mode.tls)
        .setBaseImageLayersCache(work.resolve("jib-base-cache"))
        .setApplicationLayersCache(work.resolve("jib-app-cache"));
  }

  /** The manifest digest of {@code image} as skopeo sees it, logged in with {@code --creds}. */
  private String inspectDigest(String image) throws Exception {
    return Tools.run(
            isolatedEnv(work.resolve("inspect")),
            skopeo(
                "inspect", tls(), "--creds", CREDS, "--format", "{{.Digest}}", "docker://" + image))
        .strip();
  }

  /** The TLS flag of skopeo and buildah commands that talk to one registry. */
  private String tls() {
    return mode.tls ? "--cert-dir=" + certDir : "--tls-verify=false";
  }

  private String destTls() {
    return mode.tls ? "--dest-cert-dir=" + certDir : "--dest-tls-verify=false";
  }

  private String srcTls() {
    return mode.tls ? "--src-cert-dir=" + certDir : "--src-tls-verify=false";
  }

  private static String src() {
    return "oci:" + layout + ":small";
  }

  private static String[] skopeo(String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  /** A home, credential stores and runtime directory of the client's own, all empty. */
  private static Map<String, String> isolatedEnv(Path dir) throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("runtime"));
    Map<String, String> env = new HashMap<>();
    env.put("HOME", dir.toString());
    env.put("XDG_DATA_HOME", Files.createDirectories(dir.resolve("data")).toString());
    env.put("XDG_CONFIG_HOME", Files.createDirectories(dir.resolve("config")).toString());
    env.put("XDG_RUNTIME_DIR", runtime.toString());
    env.put("DOCKER_CONFIG", Files.createDirectories(dir.resolve("docker")).toString());
    env.put(
        "REGISTRY_AUTH_FILE",
        Files.writeString(dir.resolve("auth.json"), "{\"auths\":{}}").toString());
    env.put("_CONTAINERS_ROOTLESS_UID", "1");
    return env;
  }

  /** A TLS context that trusts {@code certificate} and nothing else. */
  private static SSLContext trusting(X509Certificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ocireg-test", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return pem("CERTIFICATE", certificate.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** buildah over its own vfs store, so nothing touches the machine's containers. */
  private record Buildah(Map<String, String> env, Path root, Path policy) {
    String run(String... args) {
      return Tools.run(env, command(args));
    }

    Tools.Result tryRun(String... args) {
      return Tools.tryRun(env, command(args));
    }

    private String[] command(String... args) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "buildah",
                  "--root",
                  root.resolve("root").toString(),
                  "--runroot",
                  root.resolve("runroot").toString(),
                  "--storage-driver",
                  "vfs"));
      cmd.add(args[0]);
      if (List.of("push", "pull", "from", "commit").contains(args[0])) {
        cmd.addAll(List.of("--signature-policy", policy.toString()));
      }
      cmd.addAll(List.of(args).subList(1, args.length));
      return cmd.toArray(String[]::new);
    }
  }
}
