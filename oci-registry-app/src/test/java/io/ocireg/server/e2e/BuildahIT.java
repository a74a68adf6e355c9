package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * buildah (as root, vfs storage under a temporary root) pushes an image built from scratch, the
 * registry restarts, buildah pulls it back into an empty store.
 */
class BuildahIT {
  @TempDir Path work;

  @Test
  void pushesAndPullsAcrossARestart() throws Exception {
    Tools.require("buildah");
    Tools.requireRoot();
    Path policy =
        Files.writeString(
            work.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    Path registries = Files.writeString(work.resolve("registries.conf"), "");
    Map<String, String> env =
        Map.of(
            "CONTAINERS_REGISTRIES_CONF", registries.toString(),
            "DOCKER_CONFIG", Files.createDirectories(work.resolve("docker")).toString(),
            "REGISTRY_AUTH_FILE",
                Files.writeString(work.resolve("auth.json"), "{\"auths\":{}}").toString(),
            "BUILDAH_ISOLATION", "chroot");
    Path payload = Files.writeString(work.resolve("payload.txt"), "built by buildah\n");
    Path storage = work.resolve("storage");

    String ref;
    String pushedDigest;
    try (RegistryProcess registry = RegistryProcess.start(storage)) {
      ref = registry.host() + "/e2e/buildah:1";
      Buildah push = new Buildah(env, work.resolve("push"), policy);
      String ctr = push.run("from", "scratch").strip();
      push.run("copy", ctr, payload.toString(), "/payload.txt");
      push.run("config", "--cmd", "/payload.txt", ctr);
      push.run("commit", ctr, "localhost/e2e-buildah:1");
      Path digestFile = work.resolve("digest");
      push.run(
          "push",
          "--tls-verify=false",
          "--digestfile",
          digestFile.toString(),
          "localhost/e2e-buildah:1",
          "docker://" + ref);
      pushedDigest = Files.readString(digestFile).strip();
      assertThat(pushedDigest).startsWith("sha256:");
    }

    try (RegistryProcess registry = RegistryProcess.start(storage)) {
      String again = ref.replaceFirst("^[^/]+", registry.host());
      Buildah pull = new Buildah(env, work.resolve("pull"), policy);
      pull.run("pull", "--tls-verify=false", "docker://" + again);
      String digests = pull.run("images", "--digests", "--format", "{{.Digest}}");
      assertThat(digests).contains(pushedDigest);
    }
  }

  /** buildah over its own vfs store, so nothing touches the machine's containers. */
  private record Buildah(Map<String, String> env, Path root, Path policy) {
    String run(String... args) {
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
      return Tools.run(env, cmd.toArray(String[]::new));
    }
  }
}
