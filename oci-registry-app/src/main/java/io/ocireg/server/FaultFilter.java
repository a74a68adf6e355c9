package io.ocireg.server;

import io.ocireg.server.Faults.InjectedFault.Action;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * Applies the {@link Faults} that fire for a request: delays first, then an error answer instead of
 * the registry's, or the registry's answer with its body cut short or corrupted.
 */
final class FaultFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private final transient Faults faults;

  FaultFilter(Faults faults) {
    this.faults = faults;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    List<Action> actions =
        faults.fire(
            new RequestMatcher.RequestLine(
                req.getMethod(),
                req.getRequestURI(),
                Optional.ofNullable(req.getQueryString()).orElse("")));
    if (actions.isEmpty()) {
      chain.doFilter(req, res);
      return;
    }
    req.setAttribute(JournalFilter.FAULT_ATTRIBUTE, actions.toString());
    for (Action a : actions) {
      if (a instanceof Action.Delay d) {
        sleep(d);
      }
    }
    for (Action a : actions) {
      if (a instanceof Action.Respond r) {
        error(res, r.status(), r.code(), r.message());
        return;
      }
      if (a instanceof Action.TooManyRequests t) {
        long seconds = (t.retryAfter().toMillis() + 999) / 1000;
        res.setHeader("Retry-After", String.valueOf(seconds));
        error(res, 429, "TOOMANYREQUESTS", "too many requests");
        return;
      }
    }
    HttpServletResponse response = res;
    for (Action a : actions) {
      if (a instanceof Action.CutBody c) {
        response = new BodyFault(req, response, c.bytes(), false);
      } else if (a instanceof Action.CorruptBody) {
        response = new BodyFault(req, response, -1, true);
      }
    }
    chain.doFilter(req, response);
  }

  private static void sleep(Action.Delay d) throws IOException {
    try {
      Thread.sleep(d.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during an injected delay", e);
    }
  }

  private static void error(HttpServletResponse res, int status, String code, String message)
      throws IOException {
    byte[] body =
        ("{\"errors\":[{\"code\":\""
                + json(code)
                + "\",\"message\":\""
                + json(message)
                + "\",\"detail\":null}]}")
            .getBytes(StandardCharsets.UTF_8);
    res.setStatus(status);
    res.setHeader("Docker-Distribution-API-Version", "registry/2.0");
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A response whose body is cut after some bytes, or whose first byte is changed. */
  private static final class BodyFault extends HttpServletResponseWrapper {
    private final HttpServletRequest request;
    private final long cutAfter;
    private final boolean corrupt;
    private long declaredLength = -1;
    private ServletOutputStream out;

    BodyFault(HttpServletRequest request, HttpServletResponse response, long cut, boolean corrupt) {
      super(response);
      this.request = request;
      this.cutAfter = cut;
      this.corrupt = corrupt;
    }

    @Override
    public void setContentLength(int len) {
      declaredLength = len;
      super.setContentLength(len);
    }

    @Override
    public void setContentLengthLong(long len) {
      declaredLength = len;
      super.setContentLengthLong(len);
    }

    private long limit() {
      if (corrupt) {
        return Long.MAX_VALUE;
      }
      if (cutAfter >= 0) {
        return cutAfter;
      }
      return declaredLength > 0 ? declaredLength / 2 : 0;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      if (out == null) {
        ServletOutputStream delegate = super.getOutputStream();
        out =
            new ForwardingOutputStream(delegate) {
              private long written;

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                if (corrupt) {
                  if (written == 0 && len > 0) {
                    byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
                    copy[0] ^= (byte) 0xFF;
                    delegate.write(copy, 0, len);
                  } else {
                    delegate.write(b, off, len);
                  }
                  written += len;
                  return;
                }
                long allowed = Math.max(0, limit() - written);
                if (len <= allowed) {
                  delegate.write(b, off, len);
                  written += len;
                  return;
                }
                delegate.write(b, off, (int) allowed);
                written += allowed;
                cut(delegate);
              }
            };
      }
      return out;
    }

    /** Sends what was written so far, then drops the connection under the response. */
    private void cut(ServletOutputStream delegate) throws IOException {
      delegate.flush();
      IOException failure = new IOException("connection cut by an injected fault");
      ServletContextRequest.getServletContextRequest(request).getServletChannel().abort(failure);
      throw failure;
    }
  }
}
