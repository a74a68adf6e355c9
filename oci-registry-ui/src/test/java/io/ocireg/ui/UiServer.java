package io.ocireg.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocireg.core.Registry;
import io.ocireg.core.RegistryOptions;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty 12 server on a loopback port 0 hosting {@link RegistryServlet} at {@code /v2/*} and a
 * {@link UiServlet} at the default mapping {@code /} (or under a prefix), over one engine, as the
 * standalone server does; and an HTTP/1.1 client speaking to it.
 */
final class UiServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Server server;
  private final Storage storage;
  private final Registry registry;
  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  private UiServer(
      Storage storage,
      RegistryOptions options,
      Clock clock,
      AccessControl access,
      java.util.function.Function<Registry, UiOptions> ui,
      String mapping)
      throws Exception {
    this.storage = storage;
    this.registry = Registry.create(storage, options, clock);
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new RegistryServlet(registry, access)), "/v2/*");
    context.addServlet(
        new ServletHolder(new UiServlet(registry, access, ui.apply(registry))), mapping);
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  static UiServer start(Storage storage) {
    return start(storage, AccessControl.open(), UiOptions.defaults());
  }

  static UiServer start(Storage storage, AccessControl access, UiOptions ui) {
    return start(storage, RegistryOptions.defaults(), Clock.systemUTC(), access, ui, "/");
  }

  /** A server whose UI options are made from its engine (a collection needs it). */
  static UiServer start(
      Storage storage, AccessControl access, java.util.function.Function<Registry, UiOptions> ui) {
    try {
      return new UiServer(storage, RegistryOptions.defaults(), Clock.systemUTC(), access, ui, "/");
    } catch (Exception e) {
      throw new IllegalStateException("could not start Jetty", e);
    }
  }

  static UiServer start(
      Storage storage,
      RegistryOptions options,
      Clock clock,
      AccessControl access,
      UiOptions ui,
      String mapping) {
    try {
      return new UiServer(storage, options, clock, access, r -> ui, mapping);
    } catch (Exception e) {
      throw new IllegalStateException("could not start Jetty", e);
    }
  }

  Registry registry() {
    return registry;
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  /** {@code host:port} as a browser sends it in {@code Host} and {@code Origin}. */
  String authority() {
    return base.getAuthority();
  }

  HttpResponse<String> get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  /** A POST as the page sends it: JSON with the marker header, plus {@code headers}. */
  HttpResponse<String> postFromPage(String path, String json, String... headers) {
    String[] all = new String[headers.length + 4];
    all[0] = "Content-Type";
    all[1] = "application/json";
    all[2] = "X-Requested-By";
    all[3] = "ocireg";
    System.arraycopy(headers, 0, all, 4, headers.length);
    return send("POST", path, json, all);
  }

  HttpResponse<String> send(String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code Authorization} header value of Basic credentials. */
  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      storage.close();
    }
  }
}
