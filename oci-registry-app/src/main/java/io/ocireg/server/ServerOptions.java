package io.ocireg.server;

import io.ocireg.core.RegistryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that configures an {@link OciRegistryServer}: the builder, {@link Main}'s flags, its
 * environment variables and its config file all fill this one record.
 *
 * @param bind the address to listen on ({@code 127.0.0.1}, {@code 0.0.0.0}, a host name)
 * @param port the TCP port; 0 picks a free one
 * @param storageDirectory where the filesystem storage lives; empty keeps everything in memory
 * @param maxThreads the bound of the request thread pool on JDK 17 (ignored for requests served on
 *     virtual threads)
 * @param shutdownTimeout how long a shutdown waits for in-flight requests
 * @param registry the engine's switches and limits
 * @param maintenance garbage collection schedule and options, admin endpoints
 * @param security access control, TLS and CORS
 * @param ui whether the web UI and its JSON API are served at {@code /} (on by default)
 */
public record ServerOptions(
    String bind,
    int port,
    Optional<Path> storageDirectory,
    int maxThreads,
    Duration shutdownTimeout,
    RegistryOptions registry,
    MaintenanceOptions maintenance,
    SecurityOptions security,
    boolean ui) {

  /** Options with the web UI on. */
  public ServerOptions(
      String bind,
      int port,
      Optional<Path> storageDirectory,
      int maxThreads,
      Duration shutdownTimeout,
      RegistryOptions registry,
      MaintenanceOptions maintenance,
      SecurityOptions security) {
    this(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        true);
  }

  /** Options with {@link SecurityOptions#defaults()}. */
  public ServerOptions(
      String bind,
      int port,
      Optional<Path> storageDirectory,
      int maxThreads,
      Duration shutdownTimeout,
      RegistryOptions registry,
      MaintenanceOptions maintenance) {
    this(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        SecurityOptions.defaults());
  }

  /** Options with {@link MaintenanceOptions#defaults()}. */
  public ServerOptions(
      String bind,
      int port,
      Optional<Path> storageDirectory,
      int maxThreads,
      Duration shutdownTimeout,
      RegistryOptions registry) {
    this(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        MaintenanceOptions.defaults());
  }

  /** The loopback address the builder binds to by default. */
  public static final String LOOPBACK = "127.0.0.1";

  public ServerOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(storageDirectory, "storageDirectory");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(security, "security");
    if (bind.isBlank()) {
      throw new IllegalArgumentException("bind address must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    if (maxThreads < 8) {
      throw new IllegalArgumentException("maxThreads must be at least 8: " + maxThreads);
    }
    if (shutdownTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "shutdownTimeout must not be negative: " + shutdownTimeout);
    }
  }

  /**
   * The options of an embedded server nobody configured: loopback, a free port, in-memory storage,
   * 200 threads, 30 seconds to shut down, {@link RegistryOptions#defaults()}.
   */
  public static ServerOptions defaults() {
    return new ServerOptions(
        LOOPBACK, 0, Optional.empty(), 200, Duration.ofSeconds(30), RegistryOptions.defaults());
  }

  public ServerOptions withBind(String bind) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  public ServerOptions withPort(int port) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  /** These options with filesystem storage in {@code directory}. */
  public ServerOptions withStorageDirectory(Path directory) {
    return new ServerOptions(
        bind,
        port,
        Optional.of(directory),
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  /** These options with in-memory storage. */
  public ServerOptions withInMemoryStorage() {
    return new ServerOptions(
        bind,
        port,
        Optional.empty(),
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  public ServerOptions withMaxThreads(int maxThreads) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  public ServerOptions withShutdownTimeout(Duration shutdownTimeout) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  public ServerOptions withMaintenance(MaintenanceOptions maintenance) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  public ServerOptions withRegistry(RegistryOptions registry) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  public ServerOptions withSecurity(SecurityOptions security) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        ui);
  }

  /** These options with the web UI on or off. */
  public ServerOptions withUi(boolean on) {
    return new ServerOptions(
        bind,
        port,
        storageDirectory,
        maxThreads,
        shutdownTimeout,
        registry,
        maintenance,
        security,
        on);
  }
}
