package io.ocireg.core.auth;

import io.ocireg.core.Registry;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The access checks of every request, once: who the caller is ({@link Authenticator}, with repeated
 * failures throttled per client address and per user), and whether it may do what it asks ({@link
 * Authorizer}, intersected with the scopes of a token). Failures are {@link RegistryException}s:
 * 401 {@code UNAUTHORIZED} with a {@code WWW-Authenticate} challenge, 403 {@code DENIED}, 429
 * {@code TOOMANYREQUESTS} with {@code Retry-After}.
 *
 * <p>A caller with a token that lacks a scope the rules would grant gets 401 with {@code
 * error="insufficient_scope"}, so that the client fetches a token for it; a caller the rules deny
 * gets 403.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker registry token
 *     authentication</a>
 */
public final class AccessControl {
  private static final AccessControl OPEN = new AccessControl(null, Authorizer.allowAll(), null);

  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final FailureThrottle throttle;

  private AccessControl(
      Authenticator authenticator, Authorizer authorizer, FailureThrottle throttle) {
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.throttle = throttle;
  }

  /** No access control: every caller is anonymous and may do everything. */
  public static AccessControl open() {
    return OPEN;
  }

  /** Access control by {@code authenticator} and {@code authorizer} with default throttling. */
  public static AccessControl of(Authenticator authenticator, Authorizer authorizer) {
    return of(authenticator, authorizer, FailureThrottle.defaults());
  }

  /** Access control with {@code throttle} counting failed authentications. */
  public static AccessControl of(
      Authenticator authenticator, Authorizer authorizer, FailureThrottle throttle) {
    return new AccessControl(
        Objects.requireNonNull(authenticator, "authenticator"),
        Objects.requireNonNull(authorizer, "authorizer"),
        Objects.requireNonNull(throttle, "throttle"));
  }

  /** Whether there is no access control at all. */
  public boolean isOpen() {
    return authenticator == null;
  }

  /** The authorizer (for listings and hosts). */
  public Authorizer authorizer() {
    return authorizer;
  }

  /**
   * The caller of {@code request}. Throws 429 while its address or the user it names is throttled
   * and 401 when its credentials are wrong (which counts as a failure for both).
   */
  public Identity authenticate(AuthRequest request) {
    if (isOpen()) {
      return Identity.anonymous();
    }
    String addressKey = "address:" + request.clientAddress();
    Optional<String> claimed = request.basic().map(BasicCredentials::user);
    Optional<Duration> wait = throttle.blocked(addressKey);
    if (wait.isEmpty() && claimed.isPresent()) {
      wait = throttle.blocked("user:" + claimed.get());
    }
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      throw new RegistryException(
              ErrorCode.TOOMANYREQUESTS, "too many failed authentications; retry later")
          .withHeader("Retry-After", Long.toString(seconds));
    }
    try {
      return authenticator.authenticate(request);
    } catch (AuthenticationException e) {
      throttle.failed(addressKey);
      e.user().or(() -> claimed).ifPresent(u -> throttle.failed("user:" + u));
      throw unauthorized(request, List.of(), "authentication failed", false);
    }
  }

  /**
   * The version check {@code /v2/}: 401 for the anonymous caller whenever access control is on,
   * even when anonymous pulls are allowed, because clients log in when (and only when) this answers
   * 401.
   */
  public void requireLogin(Identity identity, AuthRequest request) {
    if (!isOpen() && identity.isAnonymous()) {
      throw unauthorized(request, List.of(), "authentication required", false);
    }
  }

  /** Whether {@code identity} may do {@code action} on {@code repository}. */
  public boolean allows(Identity identity, RepositoryName repository, Action action) {
    if (isOpen()) {
      return true;
    }
    boolean token = identity.tokenScopes().map(s -> grants(s, repository, action)).orElse(true);
    return token && authorizer.allows(identity, repository, action);
  }

  /** Throws 401 or 403 unless {@code identity} may do {@code action} on {@code repository}. */
  public void require(
      Identity identity, AuthRequest request, RepositoryName repository, Action action) {
    if (allows(identity, repository, action)) {
      return;
    }
    List<Scope> scopes = List.of(Scope.repository(repository.value(), asked(action)));
    if (identity.isAnonymous()) {
      throw unauthorized(request, scopes, "authentication required", false);
    }
    if (identity.tokenScopes().isPresent() && authorizer.allows(identity, repository, action)) {
      throw unauthorized(request, scopes, "token does not grant " + scopes.get(0), true);
    }
    throw new RegistryException(ErrorCode.DENIED, "requested access to the resource is denied");
  }

  /**
   * A cross-repository mount into {@code target} from {@code source}, once the push to {@code
   * target} is allowed: a caller whose token lacks pull on the source, though the rules would grant
   * it, gets 401 with {@code error="insufficient_scope"} naming both scopes, so that a client that
   * takes its scopes from the challenge fetches a token that lets the mount happen. Every other
   * caller passes: one who may not pull the source gets an ordinary upload instead of the mount
   * (see {@link #mayPull}), and learns nothing about the source.
   */
  public void requireMountSource(
      Identity identity, AuthRequest request, RepositoryName target, RepositoryName source) {
    if (isOpen()
        || identity.tokenScopes().isEmpty()
        || allows(identity, source, Action.PULL)
        || !authorizer.allows(identity, source, Action.PULL)) {
      return;
    }
    throw unauthorized(
        request,
        List.of(
            Scope.repository(target.value(), asked(Action.PUSH)),
            Scope.repository(source.value(), EnumSet.of(Action.PULL))),
        "token does not grant pull on the mount source " + source,
        true);
  }

  /**
   * What {@code identity} may pull: the filter of the catalog and of the source of a
   * cross-repository mount.
   */
  public Predicate<RepositoryName> mayPull(Identity identity) {
    if (isOpen()) {
      return Registry.EVERY_REPOSITORY;
    }
    return r -> allows(identity, r, Action.PULL);
  }

  /**
   * The catalog: open to every caller (it lists only what the caller may pull), except a token
   * without the {@code registry:catalog:*} scope, which gets 401 asking for it.
   */
  public void requireCatalog(Identity identity, AuthRequest request) {
    if (identity.tokenScopes().isPresent()
        && identity.tokenScopes().get().stream().noneMatch(Scope::isCatalog)) {
      throw unauthorized(
          request, List.of(Scope.catalog()), "token does not grant the catalog", true);
    }
  }

  /** Throws 401 or 403 unless {@code identity} may use the registry-wide admin endpoints. */
  public void requireAdmin(Identity identity, AuthRequest request) {
    if (isOpen() || authorizer.mayAdminister(identity)) {
      return;
    }
    if (identity.isAnonymous()) {
      throw unauthorized(request, List.of(), "authentication required", false);
    }
    throw new RegistryException(ErrorCode.DENIED, "requested access to the resource is denied");
  }

  /**
   * Whether the authenticator takes {@code Basic} credentials, which is what a browser's own login
   * prompt sends: true when its challenge asks for them, otherwise found once by offering it a
   * made-up user name and password (outside the failure throttle): an authenticator that refuses
   * them reads them (the token mode's checks {@code Basic} as the password mode does), one that
   * lets the caller through anonymously ignores them (a host's principal).
   */
  public boolean acceptsBasic(AuthRequest request) {
    if (isOpen()) {
      return false;
    }
    Boolean known = acceptsBasic;
    if (known == null) {
      known = probeBasic(request);
      acceptsBasic = known;
    }
    return known;
  }

  private volatile Boolean acceptsBasic;

  private boolean probeBasic(AuthRequest request) {
    if (authenticator.challenge(request, List.of()).regionMatches(true, 0, "Basic ", 0, 6)) {
      return true;
    }
    String made =
        "ocireg-probe-" + Long.toHexString(new java.security.SecureRandom().nextLong()) + ":x";
    AuthRequest probe =
        AuthRequest.of(
            Optional.of(
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(made.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
            "ocireg-basic-probe");
    try {
      return !authenticator.authenticate(probe).isAnonymous();
    } catch (AuthenticationException e) {
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The challenge for a caller that must log in first. */
  public String challenge(AuthRequest request, List<Scope> scopes) {
    return authenticator == null ? "" : authenticator.challenge(request, scopes);
  }

  private RegistryException unauthorized(
      AuthRequest request, List<Scope> scopes, String message, boolean insufficientScope) {
    String challenge = authenticator.challenge(request, scopes);
    if (insufficientScope && challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
      challenge += ",error=\"insufficient_scope\"";
    }
    return new RegistryException(ErrorCode.UNAUTHORIZED, message)
        .withHeader("WWW-Authenticate", challenge);
  }

  private static boolean grants(List<Scope> scopes, RepositoryName repository, Action action) {
    for (Scope s : scopes) {
      if (s.grants(repository.value(), action)) {
        return true;
      }
    }
    return false;
  }

  /** The actions a client asks a token for: a push needs pull too (clients check blobs first). */
  private static EnumSet<Action> asked(Action action) {
    return action == Action.PUSH ? EnumSet.of(Action.PULL, Action.PUSH) : EnumSet.of(action);
  }
}
