package io.ocireg.ui;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.RegistryException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every answer of the UI: the security headers each response carries, JSON bodies, and
 * failures as the spec's {@code {"errors":[...]}} body with the status the {@link
 * RegistryException} carries (anything else is a 500 whose cause goes to the log only).
 */
final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(UiServlet.class);

  static final String JSON = "application/json; charset=utf-8";

  /**
   * Only our own files, no inline code, no plugins, no framing, no forms posting anywhere: what the
   * page needs and nothing an injected string could use.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Responses() {}

  /**
   * The headers of every response. The policy goes on JSON too: a response opened as a document
   * runs nothing.
   */
  static void securityHeaders(HttpServletResponse response) {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Content-Security-Policy", CSP);
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  }

  /** A JSON answer; never cached, as it depends on the caller and on the registry's state. */
  static void json(
      HttpServletRequest request, HttpServletResponse response, int status, Object body)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    bytes(request, response, status, JSON, Json.write(body));
  }

  static void bytes(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String contentType,
      byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    if (!"HEAD".equals(request.getMethod())) {
      response.getOutputStream().write(body);
    }
  }

  /** 404 with the same body as every other unknown path of the server. */
  static RegistryException notFound() {
    return new RegistryException(ErrorCode.UNSUPPORTED, "not found").withStatus(404);
  }

  /** Answers {@code failure}, or rethrows it when the response is already under way. */
  static void fail(HttpServletRequest request, HttpServletResponse response, Exception failure)
      throws IOException {
    if (failure instanceof IOException) {
      // Reading the request or writing the answer failed: the client is gone, nobody listens.
      LOG.debug(
          "{} {}: client connection failed: {}",
          request.getMethod(),
          request.getRequestURI(),
          failure.toString());
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
      LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), failure);
    } else {
      LOG.debug(
          "{} {} -> {} {}",
          request.getMethod(),
          request.getRequestURI(),
          error.status(),
          error.code());
    }
    if (response.isCommitted()) {
      throw new IOException("response aborted after it was committed", failure);
    }
    response.reset();
    securityHeaders(response);
    response.setHeader("Cache-Control", "no-store");
    error.headers().forEach(response::setHeader);
    bytes(request, response, error.status(), JSON, ErrorResponse.of(bounded(error)).toJson());
  }

  /** Most characters of a message or detail shown: nothing echoes a huge input back. */
  private static final int SHOWN = 256;

  private static RegistryException bounded(RegistryException e) {
    String message = e.getMessage();
    String detail = e.detail().orElse(null);
    if ((message == null || message.length() <= SHOWN)
        && (detail == null || detail.length() <= SHOWN)) {
      return e;
    }
    return new RegistryException(e.code(), cut(message), cut(detail)).withStatus(e.status());
  }

  private static String cut(String s) {
    return s == null || s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "...";
  }
}
