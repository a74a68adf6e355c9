package io.ocireg.server;

import io.ocireg.core.Registry;
import io.ocireg.core.RegistryOptions;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.fs.FileSystemStorage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone OCI registry: {@link RegistryServlet} at {@code /v2/} in Jetty 12, with {@code
 * /livez} and {@code /readyz} probes and an access log. Built by {@link #builder()}, which defaults
 * to loopback on a free port over in-memory storage.
 *
 * <p>{@link #start()} and {@link #close()} may each be called more than once; a closed server does
 * not start again. Closing stops accepting connections, lets in-flight requests finish for up to
 * the shutdown timeout, then closes the storage the server opened itself (a storage handed to the
 * builder stays open: it belongs to the caller).
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class OciRegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OciRegistryServer.class);

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final ServerOptions options;
  private final Optional<Storage> givenStorage;
  // volatile: /readyz reads it without the lock, which close() holds while requests drain.
  private volatile State state = State.NEW;
  private Storage storage;
  private boolean ownsStorage;
  private Server jetty;
  private ServerConnector connector;

  /** Longest silence on a connection before it is closed. */
  private static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(30);

  private ServerThreads.Kind threads;

  private OciRegistryServer(ServerOptions options, Optional<Storage> givenStorage) {
    this.options = options;
    this.givenStorage = givenStorage;
  }

  /** A builder with {@link ServerOptions#defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The options this server was built with. */
  public ServerOptions options() {
    return options;
  }

  /**
   * Opens the storage and starts listening; does nothing when already started. Throws {@link
   * ServerStartException} when the port or storage cannot be used, {@link IllegalStateException}
   * after {@link #close()}.
   */
  public synchronized OciRegistryServer start() {
    if (state == State.STARTED) {
      return this;
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("a closed server cannot be started again");
    }
    storage = givenStorage.orElseGet(this::openOwnStorage);
    ownsStorage = givenStorage.isEmpty();
    try {
      jetty = newJetty(Registry.create(storage, options.registry()));
      jetty.start();
    } catch (Exception e) {
      stopQuietly();
      throw startFailure(e);
    }
    state = State.STARTED;
    LOG.debug("ocireg listening on {} ({} threads)", baseUri(), threads);
    return this;
  }

  /** Whether {@link #start()} succeeded and {@link #close()} has not been called. */
  public synchronized boolean isStarted() {
    return state == State.STARTED;
  }

  /** The port the server listens on; the chosen one when built with port 0. */
  public synchronized int port() {
    requireStarted();
    return connector.getLocalPort();
  }

  /**
   * Where clients reach the server, such as {@code http://127.0.0.1:5000/}; a wildcard bind address
   * is reached on loopback.
   */
  public synchronized URI baseUri() {
    requireStarted();
    String host = options.bind();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("[::]")) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Whether requests run on virtual threads (JDK 21 and newer). */
  public synchronized boolean usesVirtualThreads() {
    requireStarted();
    return threads == ServerThreads.Kind.VIRTUAL;
  }

  /**
   * Stops accepting connections, waits up to the shutdown timeout for in-flight requests, then
   * releases the storage if this server opened it. Safe to call twice.
   */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasStarted = state == State.STARTED;
    state = State.CLOSED;
    if (wasStarted) {
      stopQuietly();
    }
  }

  /** Whether the storage can be used now and the server is started: what {@code /readyz} says. */
  Optional<String> unreadiness() {
    if (state != State.STARTED) {
      return Optional.of("server is not started");
    }
    try {
      storage.checkUsable();
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  private Storage openOwnStorage() {
    Optional<Path> dir = options.storageDirectory();
    if (dir.isEmpty()) {
      return new InMemoryStorage();
    }
    FileSystemStorage fs;
    try {
      fs = FileSystemStorage.open(dir.get());
      fs.checkUsable();
    } catch (RuntimeException e) {
      throw new ServerStartException(
          "storage directory " + dir.get().toAbsolutePath() + " is not usable: " + reason(e), e);
    }
    return fs;
  }

  private Server newJetty(Registry registry) {
    ServerThreads pool = ServerThreads.create(options.maxThreads());
    threads = pool.kind();
    Server server = new Server(pool.pool());
    HttpConfiguration http = new HttpConfiguration();
    // Say nothing about the server software; registries answer with their own headers.
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connector = new ServerConnector(server, new HttpConnectionFactory(http));
    // A client that goes silent mid-request gives its thread back after this long.
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setHost(options.bind());
    connector.setPort(options.port());
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder("registry", new RegistryServlet(registry)), "/v2/*");
    context.addServlet(
        new ServletHolder("livez", new HealthServlet(() -> Optional.empty())), "/livez");
    context.addServlet(
        new ServletHolder("readyz", new HealthServlet(this::unreadiness)), "/readyz");

    context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");

    // GracefulHandler tracks in-flight requests so that stop() waits for them (up to the timeout).
    server.setHandler(new GracefulHandler(context));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(options.shutdownTimeout().toMillis());
    server.setStopAtShutdown(false);
    server.setRequestLog(new AccessLog());
    return server;
  }

  private void stopQuietly() {
    try {
      if (jetty != null) {
        jetty.stop();
      }
    } catch (Exception e) {
      LOG.warn("stopping the HTTP server: {}", e.toString());
    } finally {
      if (ownsStorage && storage != null) {
        try {
          storage.close();
        } catch (RuntimeException e) {
          LOG.warn("closing the storage: {}", e.toString());
        }
      }
    }
  }

  private ServerStartException startFailure(Exception e) {
    if (e instanceof ServerStartException s) {
      return s;
    }
    String where = options.bind() + ":" + options.port();
    if (hasCause(e, BindException.class)) {
      return new ServerStartException(
          "cannot listen on " + where + ": " + reason(rootCause(e)) + " (is the port in use?)", e);
    }
    if (e instanceof IOException) {
      return new ServerStartException("cannot listen on " + where + ": " + reason(rootCause(e)), e);
    }
    if (e instanceof StorageException) {
      return new ServerStartException("storage is not usable: " + reason(e), e);
    }
    return new ServerStartException("cannot start the server: " + reason(rootCause(e)), e);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String reason(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replace('\n', ' ');
  }

  private void requireStarted() {
    if (state != State.STARTED) {
      throw new IllegalStateException("the server is " + state.name().toLowerCase());
    }
  }

  /** Fills {@link ServerOptions} (and, optionally, a storage of the caller's) for a new server. */
  public static final class Builder {
    private ServerOptions options = ServerOptions.defaults();
    private Storage storage;

    private Builder() {}

    /** Starts from {@code options}, replacing everything set so far except a given storage. */
    public Builder options(ServerOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Serves {@code storage}, which the caller keeps and closes. */
    public Builder storage(Storage storage) {
      this.storage = Objects.requireNonNull(storage, "storage");
      return this;
    }

    /** Serves filesystem storage in {@code directory}, created when missing. */
    public Builder storage(Path directory) {
      this.storage = null;
      options = options.withStorageDirectory(Objects.requireNonNull(directory, "directory"));
      return this;
    }

    /** Serves a fresh in-memory storage (the default). */
    public Builder inMemoryStorage() {
      this.storage = null;
      options = options.withInMemoryStorage();
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      options = options.withPort(port);
      return this;
    }

    /** The address to listen on; {@code 127.0.0.1} by default. */
    public Builder bind(String address) {
      options = options.withBind(address);
      return this;
    }

    /** The bound of the request thread pool when virtual threads are not available. */
    public Builder maxThreads(int maxThreads) {
      options = options.withMaxThreads(maxThreads);
      return this;
    }

    /** How long {@link OciRegistryServer#close()} waits for in-flight requests. */
    public Builder shutdownTimeout(Duration timeout) {
      options = options.withShutdownTimeout(timeout);
      return this;
    }

    /** The engine's switches and limits. */
    public Builder registryOptions(RegistryOptions registryOptions) {
      options = options.withRegistry(registryOptions);
      return this;
    }

    /** A server with these options, not started yet. */
    public OciRegistryServer build() {
      return new OciRegistryServer(options, Optional.ofNullable(storage));
    }

    /** Builds and starts the server. */
    public OciRegistryServer start() {
      return build().start();
    }
  }
}
