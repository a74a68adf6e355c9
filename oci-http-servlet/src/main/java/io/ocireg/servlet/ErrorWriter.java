package io.ocireg.servlet;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns a failure into a response: the status a {@link RegistryException}
 * carries and the spec's {@code {"errors":[...]}} body. Anything that is not a registry error is a
 * 500 with a generic body; the cause goes to the log, never to the client.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 */
final class ErrorWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServlet.class);
  private static final String JSON = "application/json";

  /** The most characters of a message or detail an error response shows. */
  static final int SHOWN = 256;

  private ErrorWriter() {}

  /**
   * Answers {@code failure}. Returns normally when an error response was written or the client is
   * gone; throws when the response was already committed by a server-side failure, so that the host
   * aborts it instead of completing a truncated body.
   */
  static void fail(Exchange exchange, Exception failure) throws IOException {
    if (exchange.clientFailed()) {
      // The client went away or sent a broken body: routine, and nobody may be listening.
      LOG.debug(
          "{} {}: client connection failed: {}",
          exchange.method(),
          exchange.apiPath(),
          failure.toString());
      if (!exchange.response().isCommitted()) {
        // The engine's verdict when it gave one; never the message of whatever wrapped the
        // failure on its way up, which may name storage internals.
        RegistryException error =
            failure instanceof RegistryException r && r.status() < 500
                ? r
                : new RegistryException(ErrorCode.SIZE_INVALID, "request body could not be read");
        try {
          write(exchange, error);
        } catch (IOException | RuntimeException e) {
          LOG.debug("could not answer a failed client", e);
        }
      }
      return;
    }
    RegistryException error;
    if (failure instanceof RegistryException r) {
      error = r;
    } else if (failure instanceof InvalidValueException v) {
      error = v.toRegistryException();
    } else {
      error = new RegistryException(ErrorCode.UNSUPPORTED, "internal error").withStatus(500);
    }
    if (error.status() >= 500) {
      LOG.error("{} {} failed", exchange.method(), exchange.apiPath(), failure);
    } else {
      LOG.debug(
          "{} {} -> {} {}", exchange.method(), exchange.apiPath(), error.status(), error.code());
    }
    if (exchange.response().isCommitted()) {
      throw new IOException("response aborted after it was committed", failure);
    }
    drainUnreadBody(exchange);
    write(exchange, error);
  }

  /** Most a refused request's unread body is read (and dropped) to keep the connection usable. */
  static final int DRAIN_LIMIT = 1 << 20;

  /**
   * Reads what is left of a small request body that an early refusal (416, 400, 404...) never read.
   * Answering with request bytes still unread makes the connection close under a client that is
   * still sending, and some clients then see a reset instead of the answer. A larger body is not
   * read: the connection is closed after the answer instead.
   */
  private static void drainUnreadBody(Exchange exchange) {
    String method = exchange.method();
    if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
      return;
    }
    try {
      java.io.InputStream in = exchange.request().getInputStream();
      byte[] buf = new byte[8192];
      long read = 0;
      int r;
      while (read <= DRAIN_LIMIT && (r = in.read(buf)) >= 0) {
        read += r;
      }
      if (read > DRAIN_LIMIT) {
        exchange.response().setHeader("Connection", "close");
      }
    } catch (IOException | RuntimeException e) {
      // The body is unreadable or the client is gone; the answer goes out regardless.
      LOG.debug("could not drain the request body", e);
    }
  }

  /**
   * Writes the error with the headers it carries ({@code Allow}, {@code Content-Range}, ...). A
   * message or detail longer than {@link #SHOWN} characters is cut: the engine abbreviates the
   * client input it quotes, and this makes sure no other path echoes a huge input back.
   */
  private static void write(Exchange exchange, RegistryException error) throws IOException {
    HttpServletResponse response = exchange.response();
    // Drop whatever a handler set for the success it did not reach (digest, location, length),
    // but keep what a host's filter set for every answer (CORS), which a browser needs to read it,
    // and a decision to close the connection.
    java.util.Map<String, java.util.List<String>> kept = new java.util.LinkedHashMap<>();
    for (String name : response.getHeaderNames()) {
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("access-control-")
          || lower.equals("vary")
          || lower.equals("connection")) {
        kept.put(name, java.util.List.copyOf(response.getHeaders(name)));
      }
    }
    response.reset();
    kept.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setHeader(Exchange.API_VERSION, RegistryServlet.API_VERSION_VALUE);
    response.setHeader(Exchange.NO_SNIFF, Exchange.NO_SNIFF_VALUE);
    error.headers().forEach(response::setHeader);
    exchange.sendBytes(error.status(), JSON, ErrorResponse.of(bounded(error)).toJson());
  }

  /** {@code s} cut to {@link #SHOWN} characters, with its length after the cut. */
  static String abbreviate(String s) {
    if (s == null || s.length() <= SHOWN) {
      return s;
    }
    return s.substring(0, SHOWN) + "... (" + s.length() + " characters)";
  }

  private static RegistryException bounded(RegistryException e) {
    String message = e.getMessage();
    String detail = e.detail().orElse(null);
    if ((message == null || message.length() <= SHOWN)
        && (detail == null || detail.length() <= SHOWN)) {
      return e;
    }
    return new RegistryException(e.code(), abbreviate(message), abbreviate(detail))
        .withStatus(e.status());
  }
}
