package io.ocireg.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records every request into a {@link RequestJournal}: outermost in the chain, so that it sees
 * injected faults and refused credentials as the client does, and counts body bytes as they cross
 * the wire.
 */
final class JournalFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  /** Request attribute through which {@link FaultFilter} names the fault it applied. */
  static final String FAULT_ATTRIBUTE = "io.ocireg.server.fault";

  private static final List<String> REQUEST_HEADERS =
      List.of("Accept", "Content-Type", "Content-Length", "Content-Range", "Range");
  private static final List<String> RESPONSE_HEADERS =
      List.of(
          "Location",
          "Docker-Content-Digest",
          "Content-Type",
          "Content-Range",
          "Range",
          "OCI-Subject",
          "Retry-After",
          "WWW-Authenticate");

  private final transient RequestJournal journal;

  JournalFilter(RequestJournal journal) {
    this.journal = journal;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!journal.isEnabled()) {
      chain.doFilter(req, res);
      return;
    }
    Instant time = Instant.now();
    long start = System.nanoTime();
    CountingRequest request = new CountingRequest(req);
    CountingResponse response = new CountingResponse(res);
    journal.begin();
    RecordedRequest recorded = null;
    try {
      chain.doFilter(request, response);
    } finally {
      try {
        recorded =
            new RecordedRequest(
                time,
                req.getMethod(),
                req.getRequestURI(),
                Optional.ofNullable(req.getQueryString()).orElse(""),
                res.getStatus(),
                requestHeaders(req),
                responseHeaders(res),
                request.count,
                response.count,
                Duration.ofNanos(System.nanoTime() - start),
                Optional.ofNullable(req.getAttribute(FAULT_ATTRIBUTE)).map(String::valueOf));
      } finally {
        journal.end(recorded);
      }
    }
  }

  private static Map<String, String> requestHeaders(HttpServletRequest req) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : REQUEST_HEADERS) {
      List<String> values =
          java.util.Collections.list(req.getHeaders(name)).stream()
              .filter(v -> !v.isBlank())
              .toList();
      if (!values.isEmpty()) {
        out.put(name, String.join(", ", values));
      }
    }
    return out;
  }

  private static Map<String, String> responseHeaders(HttpServletResponse res) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : RESPONSE_HEADERS) {
      String value = res.getHeader(name);
      if (value != null) {
        out.put(name, value);
      }
    }
    return out;
  }

  private static final class CountingRequest extends HttpServletRequestWrapper {
    private long count;
    private ServletInputStream in;

    CountingRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (in == null) {
        ServletInputStream delegate = super.getInputStream();
        in =
            new ServletInputStream() {
              @Override
              public int read() throws IOException {
                int b = delegate.read();
                if (b >= 0) {
                  count++;
                }
                return b;
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                int n = delegate.read(b, off, len);
                if (n > 0) {
                  count += n;
                }
                return n;
              }

              @Override
              public boolean isFinished() {
                return delegate.isFinished();
              }

              @Override
              public boolean isReady() {
                return delegate.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                delegate.setReadListener(listener);
              }
            };
      }
      return in;
    }
  }

  private static final class CountingResponse extends HttpServletResponseWrapper {
    private long count;
    private ServletOutputStream out;

    CountingResponse(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (out == null) {
        ServletOutputStream delegate = super.getOutputStream();
        out =
            new ForwardingOutputStream(delegate) {
              @Override
              public void write(int b) throws IOException {
                delegate.write(b);
                count++;
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                delegate.write(b, off, len);
                count += len;
              }
            };
      }
      return out;
    }
  }
}
