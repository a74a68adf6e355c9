package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.Registry;
import io.ocireg.core.RegistryOptions;
import io.ocireg.spec.Digest;
import io.ocireg.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A Jetty 12 server on a loopback port 0 hosting one {@link RegistryServlet}, and an HTTP/1.1
 * client speaking to it. Tests address it with absolute paths such as {@code /v2/foo/tags/list}.
 */
final class RegistryServer implements AutoCloseable {
  private final Server server;
  private final Storage storage;
  private final Registry registry;
  private final URI base;
  private final String prefix;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  private RegistryServer(
      Storage storage, RegistryOptions options, String contextPath, String mapping, boolean lax)
      throws Exception {
    this.storage = storage;
    this.registry = Registry.create(storage, options);
    server = new Server();
    HttpConfiguration config = new HttpConfiguration();
    if (lax) {
      // Let hostile paths through to the servlet, so that its own checks are what answers them.
      config.setUriCompliance(UriCompliance.UNSAFE);
    }
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath(contextPath);
    context.addServlet(new ServletHolder(new RegistryServlet(registry)), mapping);
    if (lax) {
      context.getServletHandler().setDecodeAmbiguousURIs(true);
    }
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    String ctx = contextPath.equals("/") ? "" : contextPath;
    String servletPrefix =
        mapping.endsWith("/v2/*")
            ? mapping.substring(0, mapping.length() - "/v2/*".length())
            : mapping.endsWith("/*") ? mapping.substring(0, mapping.length() - 2) : "";
    prefix = ctx + servletPrefix;
  }

  /** A server over {@code storage} with default options, mapped at {@code /v2/*}. */
  static RegistryServer start(Storage storage) {
    return start(storage, RegistryOptions.defaults());
  }

  static RegistryServer start(Storage storage, RegistryOptions options) {
    return start(storage, options, "/", "/v2/*", false);
  }

  /** A server whose connector lets encoded and dot segments reach the servlet. */
  static RegistryServer startLax(Storage storage) {
    return start(storage, RegistryOptions.defaults(), "/", "/v2/*", true);
  }

  static RegistryServer start(
      Storage storage, RegistryOptions options, String contextPath, String mapping, boolean lax) {
    try {
      return new RegistryServer(storage, options, contextPath, mapping, lax);
    } catch (Exception e) {
      throw new IllegalStateException("could not start Jetty", e);
    }
  }

  Registry registry() {
    return registry;
  }

  /** What precedes {@code /v2} in this server's URLs (context path and servlet prefix). */
  String prefix() {
    return prefix;
  }

  URI uri(String path) {
    return base.resolve(path.startsWith("/v2") ? prefix + path : path);
  }

  HttpClient client() {
    return client;
  }

  // ---- requests ------------------------------------------------------------------------

  HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  HttpResponse<byte[]> head(String path, String... headers) {
    return send("HEAD", path, null, headers);
  }

  HttpResponse<byte[]> delete(String path) {
    return send("DELETE", path, null);
  }

  /** Sends a request; {@code body} null means none. Headers are name, value pairs. */
  HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return send(method, uri(path), publisher, headers);
  }

  /** Sends {@code body} with chunked transfer coding, so without a {@code Content-Length}. */
  HttpResponse<byte[]> sendChunked(String method, String path, byte[] body, String... headers) {
    HttpRequest.BodyPublisher publisher =
        HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body));
    return send(method, uri(path), publisher, headers);
  }

  HttpResponse<byte[]> send(
      String method, URI uri, HttpRequest.BodyPublisher body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).method(method, body);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Resolves a {@code Location} header value against the server. */
  URI resolve(String location) {
    return base.resolve(location);
  }

  // ---- shortcuts -----------------------------------------------------------------------

  /** Pushes a blob with a single {@code POST ?digest=} and returns its digest. */
  Digest pushBlob(String repository, byte[] content) {
    Digest digest = Digest.sha256(content);
    HttpResponse<byte[]> r =
        send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, content);
    assertThat(r.statusCode()).as("push blob").isEqualTo(201);
    return digest;
  }

  /** Pushes a manifest under {@code reference} and returns its digest. */
  Digest pushManifest(String repository, String reference, String mediaType, byte[] content) {
    HttpResponse<byte[]> r =
        send(
            "PUT",
            "/v2/" + repository + "/manifests/" + reference,
            content,
            "Content-Type",
            mediaType);
    assertThat(r.statusCode()).as("push manifest: %s", new String(r.body())).isEqualTo(201);
    return Digest.parse(r.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  // ---- raw ------------------------------------------------------------------------------

  /** A response read off a raw socket. */
  record RawResponse(int status, String head, String body) {}

  /**
   * Sends {@code method target} exactly as written, so that paths reach the server unaltered (the
   * JDK client normalizes or refuses some).
   */
  RawResponse raw(String method, String target, String... extraHeaderLines) {
    return rawWithBody(method, target, "", extraHeaderLines);
  }

  /** Like {@link #raw}, with {@code body} written verbatim after the headers. */
  RawResponse rawWithBody(String method, String target, String body, String... extraHeaderLines) {
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(60_000);
      StringBuilder request = new StringBuilder();
      request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(base.getHost()).append(':').append(base.getPort());
      request.append("\r\n");
      for (String line : extraHeaderLines) {
        request.append(line).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n").append(body);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String content = end < 0 ? "" : text.substring(end + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      return new RawResponse(status, head, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
