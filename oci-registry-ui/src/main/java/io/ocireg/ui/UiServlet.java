package io.ocireg.ui;

import io.ocireg.core.GarbageCollectionException;
import io.ocireg.core.GcReport;
import io.ocireg.core.Registry;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.Action;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A web UI over a {@link Registry}: a single page (served from this jar, no external resources) to
 * browse repositories, tags and manifests and to delete them, and the JSON API it uses, under the
 * same {@link AccessControl} as the registry API.
 *
 * <p>Map it at the default path {@code /} next to {@code /v2/*} (the standalone server does), or
 * under a prefix such as {@code /ui/*}; every path it serves is relative to where it is mapped:
 *
 * <ul>
 *   <li>{@code GET /} (and {@code /index.html}), {@code GET /assets/{file}}: the page;
 *   <li>{@code GET /health}: {@code {"status":"ok"}}, without credentials;
 *   <li>{@code GET /api/session}, {@code /api/login}, {@code /api/repos}, {@code /api/tags/{name}},
 *       {@code /api/manifest/{name}?ref=}: what the caller may see;
 *   <li>{@code POST /api/delete} (also {@code /delete}) and {@code POST /api/gc}: changes, each
 *       refused unless it comes from the page itself (see {@code CrossSiteGuard}).
 * </ul>
 *
 * Every other path is a 404 with the spec's JSON error body. Everything the registry holds is
 * served as JSON strings only; the only HTML is the page's own. Every response carries {@code
 * X-Content-Type-Options: nosniff} and a strict {@code Content-Security-Policy}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class UiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Registry registry;
  private final transient AccessControl access;
  private final transient UiOptions options;
  private final transient Assets assets = new Assets();
  private final transient RepositoryNames names;
  private final transient RepositorySummaries summaries;
  private transient Runnable stopFollowing = () -> {};
  private final transient RepositoryList repositories;
  private final transient RepositoryPage repositoryPage;
  private final transient ManifestPage manifestPage;
  private final transient Deletes deletes;

  /** The UI of {@code registry} for everybody, without access control. */
  public UiServlet(Registry registry) {
    this(registry, AccessControl.open());
  }

  /** The UI of {@code registry} behind {@code access}, the registry API's access control. */
  public UiServlet(Registry registry, AccessControl access) {
    this(registry, access, UiOptions.defaults());
  }

  /** The UI of {@code registry} behind {@code access}, with {@code options}. */
  public UiServlet(Registry registry, AccessControl access, UiOptions options) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.access = Objects.requireNonNull(access, "access");
    this.options = Objects.requireNonNull(options, "options");
    Configs configs = new Configs(registry);
    this.names = new RepositoryNames(registry.storage().metadata());
    this.summaries =
        new RepositorySummaries(
            name -> RepositorySummary.read(registry.storage().metadata(), name));
    this.repositories = new RepositoryList(registry.storage().metadata(), names, summaries);
    this.repositoryPage = new RepositoryPage(registry.storage().metadata(), configs);
    this.manifestPage = new ManifestPage(registry, configs);
    this.deletes = new Deletes(registry);
  }

  /**
   * Starts listing the repositories, so that the first page is served from memory, and follows the
   * engine's changes (pushes, deletes through {@code /v2/} or the page, collections), so that a new
   * repository shows at once and no remembered name or row is shown after a change.
   */
  @Override
  public void init() {
    stopFollowing =
        registry.onRepositoryChanged(
            repository -> {
              names.changed(repository);
              summaries.invalidate(repository);
            });
    names.warmUp();
  }

  @Override
  public void destroy() {
    stopFollowing.run();
    names.stop();
    summaries.stop();
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Responses.securityHeaders(response);
    try {
      Optional<String> path = path(request);
      if (path.isEmpty()) {
        // Mapped at /ui/* and asked for /ui: the page's relative links need the slash.
        response.setHeader("Location", request.getRequestURI() + "/");
        response.setStatus(301);
        response.setContentLength(0);
        return;
      }
      route(path.get(), request, response);
    } catch (Exception e) {
      Responses.fail(request, response, e);
    }
  }

  /**
   * The path relative to where the servlet is mapped, starting with {@code /}; empty when the
   * request named the mapping itself without its trailing slash.
   */
  static Optional<String> path(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
    String servletPath = Objects.requireNonNullElse(request.getServletPath(), "");
    String pathInfo = request.getPathInfo();
    if (match == MappingMatch.PATH) {
      return Optional.ofNullable(pathInfo);
    }
    if (match == MappingMatch.DEFAULT) {
      return Optional.of(servletPath.isEmpty() ? "/" : servletPath);
    }
    if (match == MappingMatch.CONTEXT_ROOT || match == MappingMatch.EXACT) {
      return Optional.of("/");
    }
    // A host without mapping information: whatever follows the servlet path.
    return Optional.of(pathInfo != null ? pathInfo : servletPath.isEmpty() ? "/" : servletPath);
  }

  private void route(String path, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String method = request.getMethod();
    if (path.equals("/delete") || path.equals("/api/delete") || path.equals("/api/gc")) {
      requireMethod(method, "POST");
      CrossSiteGuard.check(request);
      Caller caller = Caller.of(access, request);
      if (path.equals("/api/gc")) {
        gc(caller, request, response);
      } else {
        Responses.json(
            request,
            response,
            200,
            deletes.delete(
                caller,
                request.getInputStream(),
                repository -> {
                  summaries.invalidate(repository);
                  names.changed(repository);
                }));
      }
      return;
    }
    if (!isPage(path)) {
      // Whatever the method: the same answer as every unknown path of the server.
      throw Responses.notFound();
    }
    requireMethod(method, "GET", "HEAD");
    if (path.equals("/") || path.equals("/index.html")) {
      serveAsset("index.html", request, response);
    } else if (path.startsWith("/assets/")) {
      serveAsset(path.substring("/assets/".length()), request, response);
    } else if (path.equals("/health")) {
      Responses.json(request, response, 200, Map.of("status", "ok"));
    } else if (path.equals("/api/session")) {
      Responses.json(request, response, 200, session(Caller.of(access, request)));
    } else if (path.equals("/api/login")) {
      Caller caller = Caller.of(access, request);
      requireLogin(caller);
      Responses.json(request, response, 200, session(caller));
    } else if (path.equals("/api/repos")) {
      Caller caller = Caller.of(access, request);
      access.requireCatalog(caller.identity(), caller.request());
      Responses.json(
          request,
          response,
          200,
          repositories.page(
              caller.mayPull(),
              request.getParameter("q"),
              request.getParameter("n"),
              request.getParameter("last")));
    } else if (path.startsWith("/api/tags/")) {
      Caller caller = Caller.of(access, request);
      RepositoryName name = repository(path.substring("/api/tags/".length()));
      caller.require(name, Action.PULL);
      Responses.json(
          request,
          response,
          200,
          repositoryPage.page(
              name,
              canDelete(caller, name),
              request.getParameter("n"),
              request.getParameter("last")));
    } else if (path.startsWith("/api/manifest/")) {
      Caller caller = Caller.of(access, request);
      RepositoryName name = repository(path.substring("/api/manifest/".length()));
      caller.require(name, Action.PULL);
      String ref = request.getParameter("ref");
      if (ref == null || ref.isEmpty()) {
        throw RepositoryList.badRequest("ref (a tag or digest) is required", null);
      }
      Responses.json(request, response, 200, manifestPage.page(name, ref, canDelete(caller, name)));
    } else {
      throw Responses.notFound();
    }
  }

  /** Whether {@code path} is one that answers {@code GET}. */
  private static boolean isPage(String path) {
    return switch (path) {
      case "/", "/index.html", "/health", "/api/session", "/api/login", "/api/repos" -> true;
      default ->
          path.startsWith("/assets/")
              || path.startsWith("/api/tags/")
              || path.startsWith("/api/manifest/");
    };
  }

  private void serveAsset(String name, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!assets.serve(name, request, response)) {
      throw Responses.notFound();
    }
  }

  private Map<String, Object> session(Caller caller) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", caller.user().orElse(null));
    out.put("canAdmin", caller.isAdmin());
    out.put("gcAvailable", options.garbageCollection().isPresent());
    out.put("deletesEnabled", registry.options().deletesEnabled());
    out.put("loginAvailable", access.acceptsBasic(caller.request()));
    return out;
  }

  /**
   * {@code api/login}: 401 for the anonymous caller, with a challenge the browser answers with its
   * own login prompt. Browsers prompt for {@code Basic} only, so a {@code Bearer} challenge (token
   * mode) becomes a {@code Basic} one whenever the authenticator takes Basic credentials too.
   */
  private void requireLogin(Caller caller) {
    if (access.isOpen() || !caller.identity().isAnonymous()) {
      return;
    }
    String challenge = access.challenge(caller.request(), java.util.List.of());
    if (!challenge.regionMatches(true, 0, "Basic ", 0, 6)
        && access.acceptsBasic(caller.request())) {
      challenge = "Basic realm=\"" + LOGIN_REALM + "\"";
    }
    throw new RegistryException(ErrorCode.UNAUTHORIZED, "authentication required")
        .withHeader("WWW-Authenticate", challenge);
  }

  /** The realm of the login prompt when the registry's own challenge is not Basic. */
  static final String LOGIN_REALM = "ocireg";

  private boolean canDelete(Caller caller, RepositoryName name) {
    return registry.options().deletesEnabled() && caller.may(name, Action.DELETE);
  }

  private void gc(Caller caller, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    access.requireAdmin(caller.identity(), caller.request());
    Supplier<GcReport> collect = options.garbageCollection().orElseThrow(Responses::notFound);
    GcReport report;
    try {
      report = collect.get();
    } catch (GarbageCollectionException e) {
      if (e.reason() == GarbageCollectionException.Reason.ALREADY_RUNNING) {
        throw new RegistryException(ErrorCode.UNSUPPORTED, "a collection is already running")
            .withStatus(409);
      }
      throw e;
    }
    // Re-encoded through the UI's codec, like every other answer.
    Object body =
        Json.parse(report.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .<Object>map(n -> n)
            .orElse(Map.of("summary", report.summary()));
    Responses.json(request, response, 200, body);
  }

  private static RepositoryName repository(String raw) {
    if (!RepositoryName.isValid(raw)) {
      throw new RegistryException(
          ErrorCode.NAME_INVALID,
          "invalid repository name",
          raw.length() > 64 ? raw.substring(0, 64) + "..." : raw);
    }
    return RepositoryName.parse(raw);
  }

  private static void requireMethod(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new RegistryException(ErrorCode.UNSUPPORTED, "method not allowed")
        .withHeader("Allow", String.join(", ", allowed));
  }
}
