package io.ocireg.examples.jetty;

import io.ocireg.core.Registry;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.storage.Storage;
import io.ocireg.storage.fs.FileSystemStorage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * An application with servlets of its own ({@code /hello}, {@code /health}) that also serves an OCI
 * registry: {@link RegistryServlet} mounted at {@code /v2/*} in an embedded Jetty 12 (ee10).
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class JettyApp implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final Storage storage;
  private boolean closed;

  private JettyApp(Server server, ServerConnector connector, Storage storage) {
    this.server = server;
    this.connector = connector;
    this.storage = storage;
  }

  /**
   * Starts the application on {@code host:port} ({@code 0}: a free port) over {@code storage},
   * which the application closes when it stops.
   */
  public static JettyApp start(String host, int port, Storage storage) throws Exception {
    // The engine: every registry rule, over the storage. The servlet only translates HTTP to it.
    Registry registry = Registry.create(storage);

    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    // Registry clients need no server banner; leave it out as a public-facing service would.
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);

    // One context at the root path: OCI clients always ask for /v2/ at the root of the host, so
    // the registry cannot live under a context path of its own. The application's servlets share
    // the context; the servlet mapping alone decides who answers.
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder("registry", new RegistryServlet(registry)), "/v2/*");
    context.addServlet(new ServletHolder("hello", new HelloServlet()), "/hello");
    context.addServlet(new ServletHolder("health", new HealthServlet(storage)), "/health");

    // A push can take minutes; on stop, GracefulHandler lets requests in flight finish (up to the
    // stop timeout) instead of cutting an upload off half-way.
    server.setHandler(new GracefulHandler(context));
    server.setStopTimeout(10_000);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      storage.close();
      throw e;
    }
    return new JettyApp(server, connector, storage);
  }

  /** Where the application listens, such as {@code http://127.0.0.1:8080}. */
  public URI uri() {
    String host = connector.getHost() == null ? "localhost" : connector.getHost();
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops serving, then closes the storage. Safe to call twice. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop();
    } finally {
      // After the server: no request may still be writing to the storage.
      storage.close();
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
    JettyApp app = start("127.0.0.1", port, storage);
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
    app.join();
  }
}
