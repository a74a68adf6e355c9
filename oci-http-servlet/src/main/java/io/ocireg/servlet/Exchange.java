package io.ocireg.servlet;

import io.ocireg.core.Registry;
import io.ocireg.spec.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One request and its response as the handlers see them: the API path relative to where the servlet
 * is mounted, query parameters read from the raw query string (never from a form body), the request
 * body and the response body wrapped to notice client disconnects, and URL building that keeps the
 * host's mount prefix.
 */
final class Exchange {
  static final String API_VERSION = "Docker-Distribution-API-Version";
  static final String CONTENT_DIGEST = "Docker-Content-Digest";
  static final String NO_SNIFF = "X-Content-Type-Options";
  static final String NO_SNIFF_VALUE = "nosniff";

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final String method;
  private final String mountPrefix;
  private final String apiPath;
  private final ClientStreams client = new ClientStreams();
  private Map<String, String> query;
  // What the caller may pull: set by the servlet after the access check, read by the catalog and
  // by a mount.
  private Predicate<RepositoryName> mayPull = Registry.EVERY_REPOSITORY;

  Exchange(HttpServletRequest request, HttpServletResponse response) {
    this.request = request;
    this.response = response;
    this.method = request.getMethod();
    String uri = request.getRequestURI();
    int split =
        apiStart(uri, request.getContextPath(), request.getServletPath(), request.getPathInfo());
    this.mountPrefix = uri.substring(0, split);
    this.apiPath = uri.substring(split);
  }

  /**
   * Where {@code /v2} starts in the raw request URI. Mapped at {@code /v2/*} (or {@code
   * /prefix/v2/*}) the servlet path ends with the {@code v2} segment; mapped at {@code /*} or
   * {@code /prefix/*} the path info starts with it; under the default mapping or an exact one the
   * whole context-relative path is the API path. Segments are counted on the raw URI, which the
   * router checks for encoded slashes, so the decoded servlet path has as many as the raw one.
   */
  static int apiStart(String uri, String contextPath, String servletPath, String pathInfo) {
    int index = contextPath != null && uri.startsWith(contextPath) ? contextPath.length() : 0;
    int skip = 0;
    if (pathInfo != null && servletPath != null) {
      skip = (int) servletPath.chars().filter(c -> c == '/').count();
      if (servletPath.equals("/v2") || servletPath.endsWith("/v2")) {
        skip--;
      }
    }
    for (int i = 0; i < skip; i++) {
      int next = uri.indexOf('/', index + 1);
      if (next < 0) {
        return uri.length();
      }
      index = next;
    }
    return index;
  }

  Predicate<RepositoryName> mayPull() {
    return mayPull;
  }

  void mayPull(Predicate<RepositoryName> filter) {
    this.mayPull = filter;
  }

  /** The servlet request, for the access check. */
  HttpServletRequest request() {
    return request;
  }

  String method() {
    return method;
  }

  boolean isHead() {
    return "HEAD".equals(method);
  }

  /** The raw request path from {@code /v2} on. */
  String apiPath() {
    return apiPath;
  }

  HttpServletResponse response() {
    return response;
  }

  /** Whether the client's connection failed while reading its body or writing the response. */
  boolean clientFailed() {
    return client.failed();
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeader(name));
  }

  /** The first value of a query parameter; empty when absent. */
  Optional<String> param(String name) {
    if (query == null) {
      query = parseQuery(request.getQueryString());
    }
    return Optional.ofNullable(query.get(name));
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(decodeComponent(key), decodeComponent(value));
      } catch (IllegalArgumentException e) {
        // A malformed escape makes the parameter unusable; treat it as absent.
      }
    }
    return out;
  }

  /**
   * Percent-decodes a query component. A {@code +} stays a plus: none of this API's parameters
   * holds a space, while media types ({@code artifactType}) and digest algorithms hold pluses that
   * clients do not always escape.
   */
  private static String decodeComponent(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The declared request body length, or -1 when absent (chunked transfer). */
  long contentLength() {
    return request.getContentLengthLong();
  }

  InputStream body() throws IOException {
    return client.input(request.getInputStream());
  }

  /** An absolute path on this host for an API path such as {@code /v2/foo/blobs/sha256:...}. */
  String url(String apiPath) {
    return mountPrefix + apiPath;
  }

  /** Encodes a query parameter value. */
  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  void setHeader(String name, String value) {
    response.setHeader(name, value);
  }

  /**
   * Sends a response without a body; {@code Content-Length: 0} except on 204, which must not carry
   * one (RFC 9110, section 8.6).
   */
  void sendEmpty(int status) {
    response.setStatus(status);
    if (status != HttpServletResponse.SC_NO_CONTENT) {
      response.setContentLength(0);
    }
  }

  /** Sends a complete body; HEAD gets the same headers and no body. */
  void sendBytes(int status, String contentType, byte[] body) throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLengthLong(body.length);
    if (!isHead()) {
      output().write(body);
    }
  }

  /** The response body stream, wrapped to notice client disconnects. */
  OutputStream output() throws IOException {
    return client.output(response.getOutputStream());
  }
}
