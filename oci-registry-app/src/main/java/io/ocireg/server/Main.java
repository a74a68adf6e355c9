package io.ocireg.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The standalone registry: {@code java -jar oci-registry.jar [--port N] [--bind ADDRESS] [--storage
 * DIR|memory] [--config FILE]}. Listens on {@code 0.0.0.0:5000} with filesystem storage in {@code
 * ./registry-data} unless told otherwise; stops gracefully on SIGTERM.
 */
public final class Main {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  Main(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Starts the server and returns; the server's threads keep the process alive until SIGTERM. */
  public static void main(String[] args) {
    Main main = new Main(System.getenv(), System.out, System.err);
    Optional<OciRegistryServer> server;
    try {
      server = main.launch(args);
    } catch (Exit e) {
      System.exit(e.code);
      return;
    }
    server.ifPresent(
        s ->
            Runtime.getRuntime()
                .addShutdownHook(
                    new Thread(
                        () -> {
                          s.close();
                          System.out.println("ocireg stopped");
                          System.out.flush();
                        },
                        "ocireg-shutdown")));
  }

  /**
   * Does what {@code args} ask: prints help or version (empty result), or starts a server and
   * returns it. Throws {@link Exit} with code 1 after printing one line on stderr when the options,
   * the storage or the port cannot be used.
   */
  Optional<OciRegistryServer> launch(String... args) throws Exit {
    if (args.length > 0 && MaintenanceCommand.handles(args[0])) {
      new MaintenanceCommand(out, err).run(Arrays.asList(args));
      return Optional.empty();
    }
    CommandLine command;
    try {
      command = CommandLine.parse(Arrays.asList(args), env);
    } catch (CommandLine.UsageException e) {
      throw fail(e.getMessage());
    }
    if (command instanceof CommandLine.Help) {
      out.print(CommandLine.usage());
      out.flush();
      return Optional.empty();
    }
    if (command instanceof CommandLine.Version) {
      out.println("ocireg " + version());
      out.flush();
      return Optional.empty();
    }
    ServerOptions options = ((CommandLine.Run) command).options();
    out.println("ocireg " + version() + " configuration: " + CommandLine.describe(options));
    out.flush();
    OciRegistryServer server = OciRegistryServer.builder().options(options).build();
    try {
      server.start();
    } catch (ServerStartException e) {
      server.close();
      throw fail(e.getMessage());
    }
    // Tests and scripts started with --port 0 read the real port from this line.
    out.println(
        "ocireg listening on "
            + (options.security().tls().enabled() ? "https" : "http")
            + "://"
            + hostForUri(options.bind())
            + ":"
            + server.port()
            + "/ ("
            + (server.usesVirtualThreads() ? "virtual threads" : "platform threads")
            + ")");
    out.flush();
    return Optional.of(server);
  }

  private Exit fail(String message) {
    err.println("ocireg: " + message);
    err.flush();
    return new Exit(1);
  }

  private static String hostForUri(String bind) {
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  /** The process should end now with {@link #code}. */
  static final class Exit extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    Exit(int code) {
      super(null, null, false, false);
      this.code = code;
    }
  }
}
