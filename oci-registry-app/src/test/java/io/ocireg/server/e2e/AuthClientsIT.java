package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.server.SelfSignedCertificate;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * skopeo and buildah with credentials against the packaged server with users of an htpasswd file:
 * Basic authentication, token authentication and Basic authentication over TLS. Every client gets
 * its own {@code DOCKER_CONFIG}, {@code REGISTRY_AUTH_FILE} and {@code XDG_RUNTIME_DIR}, so no
 * login leaks between tests or runs.
 */
class AuthClientsIT {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-pass";
  private static final String CREDS = USER + ":" + PASSWORD;

  @TempDir static Path shared;
  static Path layout;
  static Path htpasswd;

  @TempDir Path work;

  @BeforeAll
  static void buildImageAndUsers() throws Exception {
    Tools.require("skopeo", "umoci");
    layout = shared.resolve("layout");
    OciLayouts.buildRandomLayerImage(layout, shared.resolve("scratch"), "small", 64 * 1024, 7L);
    // The same bcrypt library as the server, in the $2y$ form htpasswd -B writes.
    htpasswd =
        Files.writeString(
            shared.resolve("users"),
            USER + ":" + BCrypt.hashpw(PASSWORD, BCrypt.gensalt("$2y", 5)) + "\n");
  }

  @Test
  void skopeoPushesWithCredentialsAndIsRefusedWithout() throws Exception {
    try (RegistryProcess registry = start("--htpasswd", htpasswd.toString())) {
      Map<String, String> env = isolatedEnv(work.resolve("skopeo"));
      String dest = "docker://" + registry.host() + "/auth/skopeo:1";

      Tools.Result refused =
          Tools.tryRun(env, skopeo("copy", "--dest-tls-verify=false", src(), dest));
      assertThat(refused.exitCode()).as(refused.output()).isNotZero();
      assertThat(refused.output()).containsIgnoringCase("auth");
      awaitLine(registry, ".* /v2/.* 401 .*");

      Tools.run(env, skopeo("copy", "--dest-tls-verify=false", "--dest-creds", CREDS, src(), dest));

      Path authFile = work.resolve("login").resolve("auth.json");
      Files.createDirectories(authFile.getParent());
      Tools.Result badLogin =
          Tools.tryRun(
              env,
              skopeo(
                  "login",
                  "--authfile",
                  authFile.toString(),
                  "--tls-verify=false",
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
              "--tls-verify=false",
              "-u",
              USER,
              "-p",
              PASSWORD,
              registry.host()));
      assertThat(Files.readString(authFile)).contains(registry.host());
      String tags =
          Tools.run(
              env,
              skopeo(
                  "list-tags",
                  "--authfile",
                  authFile.toString(),
                  "--tls-verify=false",
                  "docker://" + registry.host() + "/auth/skopeo"));
      assertThat(tags).contains("\"1\"");
      // Without the auth file the same listing is refused.
      Tools.Result anonymous =
          Tools.tryRun(
              env,
              skopeo(
                  "list-tags",
                  "--tls-verify=false",
                  "docker://" + registry.host() + "/auth/skopeo"));
      assertThat(anonymous.exitCode()).as(anonymous.output()).isNotZero();

      Path pulled = work.resolve("pulled");
      Tools.run(
          env,
          skopeo(
              "copy",
              "--src-tls-verify=false",
              "--src-authfile",
              authFile.toString(),
              dest,
              "oci:" + pulled + ":back"));
      assertThat(OciLayouts.manifestDigest(pulled, "back"))
          .isEqualTo(OciLayouts.manifestDigest(layout, "small"));
    }
  }

  @Test
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
    try (RegistryProcess registry = start("--htpasswd", htpasswd.toString())) {
      String ref = "docker://" + registry.host() + "/auth/buildah:1";
      Buildah push = new Buildah(env, work.resolve("push"), policy);
      String ctr = push.run("from", "scratch").strip();
      push.run("copy", ctr, payload.toString(), "/payload.txt");
      push.run("commit", ctr, "localhost/auth-buildah:1");

      Tools.Result refused =
          push.tryRun(
              "push",
              "--tls-verify=false",
              "--authfile",
              authFile.toString(),
              "localhost/auth-buildah:1",
              ref);
      assertThat(refused.exitCode()).as(refused.output()).isNotZero();

      push.run(
          "login",
          "--authfile",
          authFile.toString(),
          "--tls-verify=false",
          "-u",
          USER,
          "-p",
          PASSWORD,
          registry.host());
      Path digestFile = work.resolve("digest");
      push.run(
          "push",
          "--tls-verify=false",
          "--authfile",
          authFile.toString(),
          "--digestfile",
          digestFile.toString(),
          "localhost/auth-buildah:1",
          ref);
      String pushed = Files.readString(digestFile).strip();
      assertThat(pushed).startsWith("sha256:");

      Buildah pull = new Buildah(env, work.resolve("pull"), policy);
      pull.run("pull", "--tls-verify=false", "--authfile", authFile.toString(), ref);
      assertThat(pull.run("images", "--digests", "--format", "{{.Digest}}")).contains(pushed);
    }
  }

  @Test
  void skopeoPushesAndPullsInTokenMode() throws Exception {
    try (RegistryProcess registry =
        start("--htpasswd", htpasswd.toString(), "--token-auth", "true")) {
      Map<String, String> env = isolatedEnv(work.resolve("skopeo"));
      String dest = "docker://" + registry.host() + "/auth/token:1";
      Tools.Result refused =
          Tools.tryRun(env, skopeo("copy", "--dest-tls-verify=false", src(), dest));
      assertThat(refused.exitCode()).as(refused.output()).isNotZero();

      Tools.run(env, skopeo("copy", "--dest-tls-verify=false", "--dest-creds", CREDS, src(), dest));
      // The client went through the token endpoint, not Basic on the registry endpoints.
      awaitLine(registry, ".* GET /token\\?.* 200 .*");

      Path pulled = work.resolve("pulled");
      Tools.run(
          env,
          skopeo(
              "copy",
              "--src-tls-verify=false",
              "--src-creds",
              CREDS,
              dest,
              "oci:" + pulled + ":back"));
      assertThat(OciLayouts.manifestDigest(pulled, "back"))
          .isEqualTo(OciLayouts.manifestDigest(layout, "small"));
    }
  }

  @Test
  void skopeoPushesAndPullsOverTls() throws Exception {
    Path keystore = selfSignedKeystore(work.resolve("tls.p12"), "changeit");
    try (RegistryProcess registry =
        start(
            "--htpasswd",
            htpasswd.toString(),
            "--tls-keystore",
            keystore.toString(),
            "--tls-keystore-password",
            "changeit")) {
      Map<String, String> env = isolatedEnv(work.resolve("skopeo"));
      String dest = "docker://" + registry.host() + "/auth/tls:1";
      // Verification on: the self-signed certificate is refused.
      Tools.Result untrusted =
          Tools.tryRun(env, skopeo("copy", "--dest-creds", CREDS, src(), dest));
      assertThat(untrusted.exitCode()).as(untrusted.output()).isNotZero();
      assertThat(untrusted.output()).containsIgnoringCase("certificate");

      Tools.run(env, skopeo("copy", "--dest-tls-verify=false", "--dest-creds", CREDS, src(), dest));
      Path pulled = work.resolve("pulled");
      Tools.run(
          env,
          skopeo(
              "copy",
              "--src-tls-verify=false",
              "--src-creds",
              CREDS,
              dest,
              "oci:" + pulled + ":back"));
      assertThat(OciLayouts.manifestDigest(pulled, "back"))
          .isEqualTo(OciLayouts.manifestDigest(layout, "small"));
    }
  }

  /**
   * Waits for an access-log line matching {@code regex}: the server logs a request after answering
   * it, so the line may come after the client has exited.
   */
  private static void awaitLine(RegistryProcess registry, String regex) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (registry.output().stream().anyMatch(l -> l.matches(regex))) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(registry.output()).anyMatch(l -> l.matches(regex));
  }

  private RegistryProcess start(String... serverArgs) throws Exception {
    return RegistryProcess.start(work.resolve("storage"), List.of(), List.of(serverArgs));
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
  private static Map<String, String> isolatedEnv(Path dir) throws Exception {
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

  /** A PKCS#12 keystore with an EC key and a self-signed certificate for 127.0.0.1. */
  private static Path selfSignedKeystore(Path file, String password) throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.create();
    KeyPair pair = tls.keys();
    X509Certificate cert = tls.certificate();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", pair.getPrivate(), password.toCharArray(), new Certificate[] {cert});
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password.toCharArray());
    }
    return file;
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
