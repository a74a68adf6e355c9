package io.ocireg.server;

import io.ocireg.core.GarbageCollector;
import io.ocireg.core.Registry;
import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AccessRules;
import io.ocireg.core.auth.FailureThrottle;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.fs.FileSystemStorage;
import io.ocireg.storage.memory.InMemoryStorage;
import io.ocireg.ui.UiOptions;
import io.ocireg.ui.UiServlet;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone OCI registry: {@link RegistryServlet} at {@code /v2/} in Jetty 12, with {@code
 * /livez} and {@code /readyz} probes and an access log. Built by {@link #builder()}, which defaults
 * to loopback on a free port over in-memory storage.
 *
 * <p>For tests of registry clients it also keeps a {@link #journal()} of every request, injects
 * {@link #faults()} at run time, can require Basic authentication of given users (or of an htpasswd
 * file, or tokens: {@link SecurityOptions}), and can preload images from OCI image layouts. The
 * engine's switches ({@link RegistryOptions}) are set on the builder.
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
  static {
    // First, so that it overlaps SLF4J's start-up below; ClassPreloader says when it helps.
    ClassPreloader.start();
  }

  private static final Logger LOG = LoggerFactory.getLogger(OciRegistryServer.class);

  /**
   * Without this hint Jetty asks the platform MBean server whether oops are compressed, which
   * starts JMX: about 200 ms of a first start in a JVM, a third of it. 16 references per 64-byte
   * cache line is the answer for compressed oops, the default below 32 GiB of heap; a wrong answer
   * only changes padding against false sharing. A value the JVM was given wins.
   */
  private static final String REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  static {
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
      System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
    }
  }

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  /** An image to import from an OCI image layout before the server listens. */
  private record Preload(Path layout, RepositoryName repository, Tag tag) {}

  private final ServerOptions options;
  private final Optional<Storage> givenStorage;
  private final RequestJournal journal;
  private final Faults faults = new Faults();
  private final Map<String, String> users;
  private final List<Preload> preloads;
  private Registry engine;
  private Maintenance maintenance;
  // volatile: /readyz reads it without the lock, which close() holds while requests drain.
  private volatile State state = State.NEW;
  private Storage storage;
  private boolean ownsStorage;
  private Server jetty;
  private ServerConnector connector;

  /** Longest silence on a connection before it is closed. */
  private static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(30);

  private ServerThreads.Kind threads;
  private AccessControl access = AccessControl.open();
  private Optional<TokenServlet> tokenServlet = Optional.empty();

  private OciRegistryServer(Builder b) {
    this.options = b.options;
    this.givenStorage = Optional.ofNullable(b.storage);
    this.journal = new RequestJournal(b.journalCapacity);
    // In the order given: the first user is the one a test extension hands out by default.
    this.users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.users));
    this.preloads = List.copyOf(b.preloads);
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
      engine = Registry.create(storage, options.registry());
      for (Preload p : preloads) {
        preload(p);
      }
      jetty = newJetty(engine);
      jetty.start();
      maintenance = Maintenance.start(engine, options.maintenance());
    } catch (Exception e) {
      stopQuietly();
      throw startFailure(e);
    }
    state = State.STARTED;
    if (LOG.isDebugEnabled()) {
      // Guarded: the URI is built by string concatenation, whose first use in a JVM costs several
      // milliseconds of method-handle set-up.
      LOG.debug("ocireg listening on {} ({} threads)", baseUri(), threads);
    }
    return this;
  }

  private void preload(Preload p) {
    try {
      OciImageLayout.at(p.layout()).importInto(engine, p.repository(), p.tag());
    } catch (RuntimeException e) {
      throw new ServerStartException(
          "cannot preload "
              + p.layout()
              + " into "
              + p.repository()
              + ":"
              + p.tag()
              + ": "
              + reason(e),
          e);
    }
  }

  /**
   * Every request served, with helpers for common assertions; recording can be switched off and on
   * at run time. Available before {@link #start()}.
   */
  public RequestJournal journal() {
    return journal;
  }

  /**
   * The faults injected into answers, changeable at run time. Available before {@link #start()}.
   */
  public Faults faults() {
    return faults;
  }

  /** The users Basic authentication accepts, by name; empty when no authentication is required. */
  public Map<String, String> users() {
    return users;
  }

  /** The engine behind the HTTP API, for reading and writing content without HTTP. */
  public synchronized Registry registry() {
    requireStarted();
    return engine;
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
    String scheme = options.security().tls().enabled() ? "https" : "http";
    return URI.create(scheme + "://" + host + ":" + port() + "/");
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

  /**
   * The access control of the options: token mode, Basic mode (an htpasswd file and/or the
   * builder's users), or none. Sets {@link #tokenServlet} in token mode.
   */
  private AccessControl accessControl() {
    SecurityOptions security = options.security();
    Optional<Htpasswd> file = security.htpasswd().map(f -> Htpasswd.load(f, Clock.systemUTC()));
    Htpasswd.Users given = PasswordAuthenticator.hashed(users);
    boolean token = security.token().enabled();
    if (file.isEmpty() && users.isEmpty() && !token) {
      return AccessControl.open();
    }
    Supplier<Htpasswd.Users> all =
        file.isEmpty()
            ? () -> given
            : users.isEmpty() ? () -> file.get().users() : () -> merge(file.get().users(), given);
    PasswordAuthenticator passwords =
        new PasswordAuthenticator(all, security::groupsOf, security.realm(), Clock.systemUTC());
    FailureThrottle throttle =
        new FailureThrottle(
            security.maxFailures(), security.failureWindow(), 100_000, Clock.systemUTC());
    AccessRules rules = security.effectiveRules();
    if (!token) {
      return AccessControl.of(passwords, rules, throttle);
    }
    TokenService tokens = TokenService.create(security.token(), Clock.systemUTC());
    tokenServlet =
        Optional.of(
            new TokenServlet(
                tokens, AccessControl.of(passwords, rules, throttle), Clock.systemUTC()));
    return AccessControl.of(
        new TokenAuthenticator(tokens, passwords, security::groupsOf, security.token().realm()),
        rules,
        throttle);
  }

  private static Htpasswd.Users merge(Htpasswd.Users a, Htpasswd.Users b) {
    Map<String, String> m = new LinkedHashMap<>(a.hashes());
    m.putAll(b.hashes());
    return new Htpasswd.Users(Map.copyOf(m), Math.max(a.maxCost(), b.maxCost()));
  }

  private Server newJetty(Registry registry) {
    try {
      access = accessControl();
    } catch (IllegalArgumentException e) {
      throw new ServerStartException(e.getMessage(), e);
    }
    ServerThreads pool = ServerThreads.create(options.maxThreads());
    threads = pool.kind();
    Server server = new Server(pool.pool());
    HttpConfiguration http = new HttpConfiguration();
    // Say nothing about the server software; registries answer with their own headers.
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    SecurityOptions.TlsOptions tls = options.security().tls();
    if (tls.enabled()) {
      // No SNI host check: clients reach a registry by address as often as by name.
      http.addCustomizer(new SecureRequestCustomizer(false));
      HttpConnectionFactory http11 = new HttpConnectionFactory(http);
      HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(http);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      // Without ALPN (or when the client offers only http/1.1) the connection stays HTTP/1.1.
      alpn.setDefaultProtocol(http11.getProtocol());
      SslConnectionFactory ssl =
          new SslConnectionFactory(TlsContext.create(tls), alpn.getProtocol());
      connector = new ServerConnector(server, ssl, alpn, http2, http11);
    } else {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    }
    // A client that goes silent mid-request gives its thread back after this long.
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setHost(options.bind());
    connector.setPort(options.port());
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    // Outermost first: the journal only watches, so it sees what the client sees (a refusal
    // included); then, before anything acts, cross-site refusals (and nosniff on every answer);
    // faults come before the credentials check (a real outage does not ask who you are); CORS
    // only where the operator's cross-origin clients go (never the UI, its API, admin, probes).
    EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
    context.addFilter(new FilterHolder(new JournalFilter(journal)), "/v2/*", requests);
    context.addFilter(
        new FilterHolder(new CrossSiteFilter(options.security().cors())), "/*", requests);
    context.addFilter(new FilterHolder(new FaultFilter(faults)), "/v2/*", requests);
    if (!options.security().cors().origins().isEmpty()) {
      FilterHolder cors = new FilterHolder(new CorsFilter(options.security().cors()));
      // One filter, two mappings (Jetty keeps the holder once).
      context.addFilter(cors, "/v2/*", requests);
      context.addFilter(cors, "/token", requests);
    }
    context.addServlet(
        new ServletHolder("registry", new RegistryServlet(registry, access)), "/v2/*");
    tokenServlet.ifPresent(t -> context.addServlet(new ServletHolder("token", t), "/token"));
    context.addServlet(
        new ServletHolder("livez", new HealthServlet(() -> Optional.empty())), "/livez");
    context.addServlet(
        new ServletHolder("readyz", new HealthServlet(this::unreadiness)), "/readyz");

    if (options.maintenance().adminEndpoints()) {
      context.addServlet(
          new ServletHolder(
              "admin", new AdminServlet(registry, options.maintenance().gc(), access)),
          "/admin/*");
    }
    // The default mapping: the web UI (which answers its unknown paths with the same JSON 404), or
    // only that 404 without the UI.
    ServletHolder fallback =
        options.ui()
            ? new ServletHolder("ui", new UiServlet(registry, access, uiOptions(registry)))
            : new ServletHolder("not-found", new NotFoundServlet());
    // Initialized at start: the UI then lists the repositories before the first page is asked for.
    fallback.setInitOrder(1);
    context.addServlet(fallback, "/");

    // GracefulHandler tracks in-flight requests so that stop() waits for them (up to the timeout).
    server.setHandler(new GracefulHandler(context));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(options.shutdownTimeout().toMillis());
    server.setStopAtShutdown(false);
    server.setRequestLog(new AccessLog());
    return server;
  }

  /**
   * The UI's garbage collection button (for admins) runs the collection {@code POST /admin/gc}
   * runs, with the configured defaults, when the admin endpoints are on.
   */
  private UiOptions uiOptions(Registry registry) {
    if (!options.maintenance().adminEndpoints()) {
      return UiOptions.defaults();
    }
    GarbageCollector collector = GarbageCollector.of(registry);
    return UiOptions.defaults()
        .withGarbageCollection(() -> collector.collect(options.maintenance().gc()));
  }

  private void stopQuietly() {
    if (maintenance != null) {
      maintenance.close();
    }
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
    private int journalCapacity = RequestJournal.DEFAULT_CAPACITY;
    private final Map<String, String> users = new LinkedHashMap<>();
    private final List<Preload> preloads = new ArrayList<>();

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

    /** How many requests the {@link RequestJournal} keeps (the latest ones). */
    public Builder journalCapacity(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be positive: " + capacity);
      }
      this.journalCapacity = capacity;
      return this;
    }

    /**
     * Requires HTTP Basic authentication on {@code /v2/} and accepts {@code user} with {@code
     * password}; call once per user.
     */
    public Builder user(String user, String password) {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isEmpty() || user.contains(":")) {
        throw new IllegalArgumentException("a user name is not empty and has no colon: " + user);
      }
      users.put(user, password);
      return this;
    }

    /**
     * Imports into {@code repository}, tagged {@code tag}, the image of the OCI image layout in
     * {@code layout} (its {@code index.json} entry named {@code tag}, or its only entry) when the
     * server starts.
     */
    public Builder preload(Path layout, String repository, String tag) {
      preloads.add(
          new Preload(
              Objects.requireNonNull(layout, "layout"),
              RepositoryName.parse(repository),
              Tag.parse(tag)));
      return this;
    }

    /** Whether the web UI and its JSON API are served at {@code /} (on by default). */
    public Builder ui(boolean on) {
      options = options.withUi(on);
      return this;
    }

    /** Access control, TLS and CORS. */
    public Builder security(SecurityOptions security) {
      options = options.withSecurity(Objects.requireNonNull(security, "security"));
      return this;
    }

    /** A server with these options, not started yet. */
    public OciRegistryServer build() {
      return new OciRegistryServer(this);
    }

    /** Builds and starts the server. */
    public OciRegistryServer start() {
      return build().start();
    }
  }
}
