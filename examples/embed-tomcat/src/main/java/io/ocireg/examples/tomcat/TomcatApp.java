package io.ocireg.examples.tomcat;

import io.ocireg.core.Registry;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.storage.Storage;
import io.ocireg.storage.fs.FileSystemStorage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * An application with servlets of its own ({@code /hello}, {@code /health}) that also serves an OCI
 * registry: {@link RegistryServlet} mounted at {@code /v2/*} in an embedded Tomcat 10.1.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class TomcatApp implements AutoCloseable {
  private final Tomcat tomcat;
  private final Connector connector;
  private final String host;
  private final Path baseDir;
  private final Storage storage;
  private boolean closed;

  private TomcatApp(
      Tomcat tomcat, Connector connector, String host, Path baseDir, Storage storage) {
    this.tomcat = tomcat;
    this.connector = connector;
    this.host = host;
    this.baseDir = baseDir;
    this.storage = storage;
  }

  /**
   * Starts the application on {@code host:port} ({@code 0}: a free port) over {@code storage},
   * which the application closes when it stops.
   */
  public static TomcatApp start(String host, int port, Storage storage) throws Exception {
    // The engine: every registry rule, over the storage. The servlet only translates HTTP to it.
    Registry registry = Registry.create(storage);

    Tomcat tomcat = new Tomcat();
    // Tomcat wants a base directory for its work files; by default it would create one named
    // after the port in the working directory. A temporary one keeps the project clean.
    Path baseDir = Files.createTempDirectory("tomcat-app");
    tomcat.setBaseDir(baseDir.toString());

    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", host);
    tomcat.setConnector(connector);

    // addContext, not addWebapp: no web.xml, no default servlet, no JSP and no annotation
    // scanning, so Tomcat starts fast and serves exactly the servlets added here. The context is
    // the root one ("") because OCI clients always ask for /v2/ at the root of the host.
    Context context = tomcat.addContext("", null);
    // Tomcat's leak protection clears caches when a web application is undeployed from a Tomcat
    // that lives on. Here Tomcat and the application stop together, so it has nothing to do (and
    // would warn at every stop that it needs --add-opens to do it).
    if (context instanceof StandardContext standard) {
      standard.setClearReferencesObjectStreamClassCaches(false);
      standard.setClearReferencesRmiTargets(false);
      standard.setClearReferencesThreadLocals(false);
    }
    Tomcat.addServlet(context, "registry", new RegistryServlet(registry));
    context.addServletMappingDecoded("/v2/*", "registry");
    Tomcat.addServlet(context, "hello", new HelloServlet());
    context.addServletMappingDecoded("/hello", "hello");
    Tomcat.addServlet(context, "health", new HealthServlet(storage));
    context.addServletMappingDecoded("/health", "health");

    // The registry writes its own error bodies; this valve only answers what no servlet maps
    // (a 404 outside /v2/), and should not tell the world the Tomcat version or a stack trace.
    ErrorReportValve errors = new ErrorReportValve();
    errors.setShowReport(false);
    errors.setShowServerInfo(false);
    tomcat.getHost().getPipeline().addValve(errors);

    try {
      tomcat.start();
    } catch (LifecycleException e) {
      stopQuietly(tomcat, baseDir, storage);
      throw e;
    }
    // Tomcat logs a failed bind and carries on; fail here instead of serving nothing.
    if (connector.getLocalPort() <= 0) {
      stopQuietly(tomcat, baseDir, storage);
      throw new IllegalStateException("could not listen on " + host + ":" + port);
    }
    return new TomcatApp(tomcat, connector, host, baseDir, storage);
  }

  /** Where the application listens, such as {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  /** Blocks until the server stops. */
  public void await() {
    tomcat.getServer().await();
  }

  /** Stops serving, then closes the storage and removes Tomcat's work files. Safe to call twice. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      // After the server: no request may still be writing to the storage.
      storage.close();
      deleteTree(baseDir);
    }
  }

  private static void stopQuietly(Tomcat tomcat, Path baseDir, Storage storage) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException | RuntimeException e) {
      System.err.println("stopping Tomcat: " + e);
    }
    storage.close();
    deleteTree(baseDir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Serves until stopped (Ctrl-C). Arguments: {@code [port] [data-directory]}; port 8080 and
   * in-memory storage by default.
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    Storage storage =
        args.length > 1 ? FileSystemStorage.open(Path.of(args[1])) : new InMemoryStorage();
    // Loopback only: this recipe has no access control, so only this machine may push.
    TomcatApp app = start("127.0.0.1", port, storage);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    app.close();
                  } catch (Exception e) {
                    System.err.println("stopping: " + e);
                  }
                }));
    System.out.println("application at " + app.uri() + "/hello, registry at " + app.uri() + "/v2/");
    app.await();
  }
}
