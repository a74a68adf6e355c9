package io.ocireg.server;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the SLF4J logger {@code ocireg.access}: client, method, path, status,
 * bytes sent, duration. Headers are never logged; of the query only the parameters of the
 * distribution API are kept, any other value is masked, as it may be a credential.
 */
final class AccessLog implements RequestLog {
  static final String LOGGER = "ocireg.access";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final Set<String> SAFE_PARAMETERS =
      Set.of("n", "last", "mount", "from", "digest", "artifacttype");

  @Override
  public void log(Request request, Response response) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - request.getBeginNanoTime());
    String path = request.getHttpURI().getPath();
    String query = request.getHttpURI().getQuery();
    LOG.info(
        "{} {} {}{} {} {}B {}ms",
        Request.getRemoteAddr(request),
        request.getMethod(),
        path,
        query == null || query.isEmpty() ? "" : "?" + safeQuery(query),
        response.getStatus(),
        Response.getContentBytesWritten(response),
        String.format(Locale.ROOT, "%.1f", micros / 1000.0));
  }

  static String safeQuery(String query) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (SAFE_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
        out.append(pair);
      } else {
        out.append(eq < 0 ? "***" : name + "=***");
      }
    }
    return out.toString();
  }
}
