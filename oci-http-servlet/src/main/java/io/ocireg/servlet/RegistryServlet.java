package io.ocireg.servlet;

import io.ocireg.core.Registry;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.Action;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.Identity;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OCI distribution API over a {@link Registry}, for any Jakarta Servlet 6.0 host: HTTP in,
 * engine calls, HTTP out, nothing else.
 *
 * <p>Map it at {@code /v2/*} (or under any prefix, such as {@code /*} or {@code /registry/*}, where
 * the request path continues with {@code /v2/}). The servlet routes on the raw, still
 * percent-encoded request path and builds every {@code Location} and {@code Link} under the same
 * prefix the request came in on. It answers every method itself, {@code HEAD} included. Every
 * answer carries {@code X-Content-Type-Options: nosniff}, and a blob a sandboxing {@code
 * Content-Security-Policy}: content from the registry never runs as a page of the host's origin.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public class RegistryServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String API_VERSION_VALUE = "registry/2.0";

  private final transient Registry registry;
  private final transient AccessControl access;
  private final transient Map<Endpoint, Handler> handlers;

  /** A servlet serving {@code registry} to everybody, without access control. */
  public RegistryServlet(Registry registry) {
    this(registry, AccessControl.open());
  }

  /**
   * A servlet serving {@code registry} behind {@code access}: every request is authenticated and
   * checked for the action its route implies ({@code GET}/{@code HEAD} pull, {@code POST}/{@code
   * PATCH}/{@code PUT} push, {@code DELETE} delete, except that cancelling an upload is part of a
   * push). The host's {@code getUserPrincipal()} and {@code isUserInRole} reach the authenticator.
   */
  public RegistryServlet(Registry registry, AccessControl access) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.access = Objects.requireNonNull(access, "access");
    Map<Endpoint, Handler> map = new EnumMap<>(Endpoint.class);
    map.put(Endpoint.BASE, new VersionHandler());
    map.put(Endpoint.CATALOG, new CatalogHandler(registry));
    map.put(Endpoint.BLOB, new BlobsHandler(registry));
    UploadsHandler uploads = new UploadsHandler(registry);
    map.put(Endpoint.UPLOAD_START, uploads);
    map.put(Endpoint.UPLOAD, uploads);
    map.put(Endpoint.MANIFEST, new ManifestsHandler(registry));
    map.put(Endpoint.TAGS, new TagsHandler(registry));
    map.put(Endpoint.REFERRERS, new ReferrersHandler(registry));
    this.handlers = map;
  }

  /** The engine this servlet serves. */
  public Registry registry() {
    return registry;
  }

  /** The engine's access control in front of this servlet. */
  public AccessControl accessControl() {
    return access;
  }

  private void checkAccess(Exchange exchange, Route route) {
    HttpServletRequest request = exchange.request();
    AuthRequest auth = authRequest(request);
    Identity identity = access.authenticate(auth);
    switch (route.endpoint()) {
      case BASE -> access.requireLogin(identity, auth);
      case CATALOG -> {
        access.requireCatalog(identity, auth);
        exchange.mayPull(access.mayPull(identity));
      }
      default -> {
        access.require(identity, auth, route.repository(), action(exchange.method(), route));
        if (route.endpoint() == Endpoint.UPLOAD_START && exchange.param("mount").isPresent()) {
          Optional<String> from = exchange.param("from").filter(RepositoryName::isValid);
          if (from.isPresent()) {
            access.requireMountSource(
                identity, auth, route.repository(), RepositoryName.parse(from.get()));
          }
        }
        exchange.mayPull(access.mayPull(identity));
      }
    }
  }

  /** What a host request says about its caller, for an {@link AccessControl}. */
  public static AuthRequest authRequest(HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    String host = request.getHeader("Host");
    String base =
        request.getScheme()
            + "://"
            + (host == null || host.isBlank()
                ? request.getServerName() + ":" + request.getServerPort()
                : host);
    return new AuthRequest(
        Optional.ofNullable(request.getHeader("Authorization")),
        String.valueOf(request.getRemoteAddr()),
        base,
        Optional.ofNullable(principal).map(Principal::getName),
        principal == null ? r -> false : request::isUserInRole);
  }

  private static Action action(String method, Route route) {
    return switch (method) {
      case "GET", "HEAD" -> Action.PULL;
      // Cancelling one's own upload is part of pushing, not a deletion of content.
      case "DELETE" -> route.endpoint() == Endpoint.UPLOAD ? Action.PUSH : Action.DELETE;
      default -> Action.PUSH;
    };
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader(Exchange.API_VERSION, API_VERSION_VALUE);
    // No browser may guess a type other than the one declared (a blob as HTML, say).
    response.setHeader(Exchange.NO_SNIFF, Exchange.NO_SNIFF_VALUE);
    Exchange exchange = new Exchange(request, response);
    try {
      Route route =
          Router.route(exchange.apiPath())
              .orElseThrow(
                  () ->
                      new RegistryException(ErrorCode.UNSUPPORTED, "no such endpoint")
                          .withStatus(404));
      String method = exchange.method();
      if ("OPTIONS".equals(method)) {
        response.setHeader("Allow", route.endpoint().allowHeader());
        exchange.sendEmpty(204);
        return;
      }
      if (!route.endpoint().allows(method)) {
        throw new RegistryException(
                ErrorCode.UNSUPPORTED, "method not allowed", ErrorWriter.abbreviate(method))
            .withHeader("Allow", route.endpoint().allowHeader());
      }
      if (!access.isOpen()) {
        checkAccess(exchange, route);
      }
      handlers.get(route.endpoint()).handle(exchange, route);
    } catch (Exception e) {
      ErrorWriter.fail(exchange, e);
    }
  }
}
