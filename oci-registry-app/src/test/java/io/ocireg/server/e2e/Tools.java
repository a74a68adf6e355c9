package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real command-line clients. A missing client fails the test under CI ({@code CI=true},
 * where {@code .ci/run} installs them) and skips it elsewhere, with the reason.
 */
final class Tools {
  private Tools() {}

  static boolean underCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }

  /** Fails (in CI) or skips (elsewhere) unless every tool is on the PATH. */
  static void require(String... tools) {
    for (String tool : tools) {
      if (!onPath(tool)) {
        String why = tool + " is not installed (on Debian: apt-get install -y " + tool + ")";
        if (underCi()) {
          fail(why);
        }
        Assumptions.abort(why + "; skipped outside CI");
      }
    }
  }

  /** Fails (in CI) or skips (elsewhere) unless the tests run as root. */
  static void requireRoot() {
    String user = System.getProperty("user.name");
    if (!"root".equals(user)) {
      String why = "buildah with the vfs driver needs root, running as " + user;
      if (underCi()) {
        fail(why);
      }
      Assumptions.abort(why + "; skipped outside CI");
    }
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code command}; its output (stdout and stderr) when it exits 0, a failure otherwise. */
  static String run(Map<String, String> env, String... command) {
    Result r = tryRun(env, command);
    assertThat(r.exitCode())
        .as("%s exited %d:%n%s", String.join(" ", command), r.exitCode(), r.output())
        .isZero();
    return r.output();
  }

  record Result(int exitCode, String output) {}

  static Result tryRun(Map<String, String> env, String... command) {
    try {
      Path log = Files.createTempFile("tool", ".log");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(new ArrayList<>(Arrays.asList(command)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          fail(String.join(" ", command) + " did not finish in 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + List.of(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
