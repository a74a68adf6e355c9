package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged registry ({@code target/oci-registry.jar}) as a separate process on loopback and a
 * free port, over filesystem storage in a given directory. Its output is kept for assertions.
 */
final class RegistryProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("ocireg listening on (https?)://[^:]+:(\\d+)/");

  private final Process process;
  private final Thread reader;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final int port;
  private volatile String scheme = "http";

  private RegistryProcess(Path java, Path storage, List<String> jvmArgs, List<String> serverArgs)
      throws IOException {
    Path jar = Path.of(System.getProperty("ocireg.jar", "target/oci-registry.jar"));
    assertThat(jar).as("the packaged server (mvn package)").isRegularFile();
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
            "--storage",
            storage.toString()));
    cmd.addAll(serverArgs);
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) {
                    scheme = m.group(1);
                    listening.complete(Integer.parseInt(m.group(2)));
                  }
                }
              } catch (IOException e) {
                listening.completeExceptionally(e);
              }
              listening.completeExceptionally(
                  new IllegalStateException("server exited before listening: " + lines));
            },
            "registry-output");
    reader.setDaemon(true);
    reader.start();
    try {
      port = listening.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("registry did not start: " + lines, e);
    }
  }

  static RegistryProcess start(Path storage, String... jvmArgs) throws IOException {
    return start(storage, List.of(jvmArgs), List.of());
  }

  /**
   * Starts with JVM options ({@code -Xmx128m}) and server flags ({@code --shutdown-timeout 5s}).
   */
  static RegistryProcess start(Path storage, List<String> jvmArgs, List<String> serverArgs)
      throws IOException {
    return startWith(
        Path.of(System.getProperty("java.home"), "bin", "java"), storage, jvmArgs, serverArgs);
  }

  /** Starts on another Java runtime than the one running the tests. */
  static RegistryProcess startWith(
      Path java, Path storage, List<String> jvmArgs, List<String> serverArgs) throws IOException {
    Files.createDirectories(storage);
    return new RegistryProcess(java, storage, jvmArgs, serverArgs);
  }

  int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}, the registry host of image references. */
  String host() {
    return "127.0.0.1:" + port;
  }

  URI baseUri() {
    return URI.create(scheme + "://" + host() + "/");
  }

  /** Every line the server printed so far (configuration, listening line, access log). */
  List<String> output() {
    return List.copyOf(lines);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGTERM and waits for a clean exit. */
  @Override
  public void close() {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(60));
    }
  }

  /**
   * Sends SIGTERM and waits up to {@code within} for a clean exit; fails (after killing the
   * process) when it takes longer. Returns the exit code.
   */
  int stop(Duration within) {
    // Through the handle: Process.destroy() would also close our end of the server's output.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("registry did not stop within " + within + " of SIGTERM");
      }
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
    // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
    assertThat(process.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
    return process.exitValue();
  }
}
