package io.ocireg.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * skopeo with a home, blob-info cache and empty credentials of its own under a work directory, and
 * no signature policy, so that nothing on the machine changes what it does.
 */
final class Skopeo {
  private final Map<String, String> env;

  private Skopeo(Map<String, String> env) {
    this.env = env;
  }

  /** Creates the directories and files skopeo will use under {@code work}. */
  static Skopeo in(Path work) throws IOException {
    Path xdg = Files.createDirectories(work.resolve("xdg"));
    Path docker = Files.createDirectories(work.resolve("docker-config"));
    // A blob-info cache of its own makes skopeo's mount attempt deterministic; no credentials.
    return new Skopeo(
        Map.of(
            "XDG_DATA_HOME", xdg.toString(),
            "_CONTAINERS_ROOTLESS_UID", "1",
            "DOCKER_CONFIG", docker.toString(),
            "REGISTRY_AUTH_FILE",
                Files.writeString(work.resolve("auth.json"), "{\"auths\":{}}").toString(),
            "HOME", work.toString()));
  }

  /**
   * Runs {@code skopeo --insecure-policy ARGS}; its output when it exits 0, a failure otherwise.
   */
  String run(String... args) {
    return Tools.run(env, command(args));
  }

  /**
   * Like {@link #run}, but runs again (at most twice) when skopeo failed before talking to the
   * registry API, in its ping, which on a loaded machine has been seen to fail once in thousands of
   * runs. Any other failure, and a third failed ping, fail the test.
   */
  String runRetryingPing(String... args) {
    for (int attempt = 1; ; attempt++) {
      Tools.Result r = tryRun(args);
      if (r.exitCode() == 0) {
        return r.output();
      }
      if (attempt == 3 || !r.output().contains("pinging container registry")) {
        return run(args);
      }
      System.out.printf("skopeo ping failed (attempt %d), retrying: %s%n", attempt, r.output());
    }
  }

  /** Runs {@code skopeo --insecure-policy ARGS} and returns how it ended, whatever that was. */
  Tools.Result tryRun(String... args) {
    return Tools.tryRun(env, command(args));
  }

  private static String[] command(String... args) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }
}
