package io.ocireg.examples.walkthrough;

import io.ocireg.server.OciRegistryServer;
import java.net.URI;

/**
 * What every step's {@code main} does: run the step against the registry whose URL is the first
 * argument, or against a registry started in this process (in memory, on a free port) when there is
 * none, then print the step's result.
 */
final class Launcher {
  private Launcher() {}

  /** A step's {@code run(URI)}. */
  @FunctionalInterface
  interface Step {
    Object run(URI registry) throws Exception;
  }

  static void launch(String[] args, Step step) throws Exception {
    if (args.length > 0) {
      URI registry = URI.create(args[0]);
      System.out.println("# Registry: " + registry);
      finish(step.run(registry));
      return;
    }
    try (OciRegistryServer server = startInProcess()) {
      System.out.println("# Started an in-process registry at " + server.baseUri());
      finish(step.run(server.baseUri()));
    }
  }

  /** A registry in this process: in memory, loopback, a free port. */
  static OciRegistryServer startInProcess() {
    // The printed exchange is the point; the server's own access log would repeat it.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    return OciRegistryServer.builder().inMemoryStorage().bind("127.0.0.1").port(0).start();
  }

  private static void finish(Object result) {
    System.out.println();
    System.out.println("# Result: " + result);
  }
}
