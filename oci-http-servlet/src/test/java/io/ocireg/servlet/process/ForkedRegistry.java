package io.ocireg.servlet.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry ({@link RegistryServerMain}) running in a child JVM on filesystem storage, so that
 * tests can bound its heap or kill it with SIGKILL.
 */
final class ForkedRegistry implements AutoCloseable {
  private final Process process;
  private final URI baseUri;

  private ForkedRegistry(Process process, URI baseUri) {
    this.process = process;
    this.baseUri = baseUri;
  }

  static ForkedRegistry start(Path storage, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RegistryServerMain.class.getName());
    command.add(storage.toString());
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("LISTENING ")) {
        URI uri = URI.create(line.substring("LISTENING ".length()).trim());
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // keep the pipe from filling
                    }
                  } catch (IOException ignored) {
                    // the child went away
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return new ForkedRegistry(p, uri);
      }
    }
    p.destroyForcibly();
    throw new IOException("registry process exited before listening: " + p.exitValue());
  }

  URI baseUri() {
    return baseUri;
  }

  Process process() {
    return process;
  }

  /** SIGKILL: no shutdown hook, no flush, as a power cut would leave it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
