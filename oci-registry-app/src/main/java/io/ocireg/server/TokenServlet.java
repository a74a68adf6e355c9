package io.ocireg.server;

import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.Action;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.Identity;
import io.ocireg.core.auth.Scope;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /token?service=...&scope=...}: the built-in token endpoint. It authenticates the
 * caller's Basic credentials (none: the anonymous caller), grants of each requested scope the
 * actions the access rules allow, and answers {@code {"token", "access_token", "expires_in",
 * "issued_at"}}. A scope nothing of which is allowed is left out, as the specification asks.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker registry token
 *     authentication</a>
 */
final class TokenServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient TokenService tokens;
  private final transient AccessControl passwords;
  private final transient Clock clock;

  TokenServlet(TokenService tokens, AccessControl passwords, Clock clock) {
    this.tokens = tokens;
    this.passwords = passwords;
    this.clock = clock;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    try {
      AuthRequest auth = RegistryServlet.authRequest(request);
      Identity who = passwords.authenticate(auth);
      String service = request.getParameter("service");
      if (service != null && !service.equals(tokens.service())) {
        throw new RegistryException(ErrorCode.DENIED, "unknown service").withStatus(400);
      }
      List<Scope> granted = new ArrayList<>();
      String[] params = request.getParameterValues("scope");
      for (String param : params == null ? new String[0] : params) {
        for (String one : param.trim().split("\\s+")) {
          if (!one.isEmpty()) {
            grant(who, one).ifPresent(granted::add);
          }
        }
      }
      Instant now = clock.instant();
      String token = tokens.issue(who.isAnonymous() ? "" : who.name(), granted, now);
      String body =
          "{\"token\":\""
              + token
              + "\",\"access_token\":\""
              + token
              + "\",\"expires_in\":"
              + tokens.lifetime().toSeconds()
              + ",\"issued_at\":\""
              + DateTimeFormatter.ISO_INSTANT.format(now)
              + "\"}";
      send(response, 200, body);
    } catch (RegistryException e) {
      e.headers().forEach(response::setHeader);
      send(
          response,
          e.status(),
          new String(io.ocireg.spec.ErrorResponse.of(e).toJson(), StandardCharsets.UTF_8));
    }
  }

  private java.util.Optional<Scope> grant(Identity who, String wire) {
    Scope asked;
    try {
      asked = Scope.parse(wire);
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    if (asked.isCatalog()) {
      return who.isAnonymous()
          ? java.util.Optional.empty()
          : java.util.Optional.of(Scope.catalog());
    }
    if (!asked.type().equals(Scope.REPOSITORY) || !RepositoryName.isValid(asked.name())) {
      return java.util.Optional.empty();
    }
    RepositoryName name = RepositoryName.parse(asked.name());
    Set<Action> allowed = EnumSet.noneOf(Action.class);
    for (Action a : asked.actions()) {
      if (passwords.allows(who, name, a)) {
        allowed.add(a);
      }
    }
    return allowed.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(Scope.repository(asked.name(), allowed));
  }

  private static void send(HttpServletResponse response, int status, String json)
      throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
