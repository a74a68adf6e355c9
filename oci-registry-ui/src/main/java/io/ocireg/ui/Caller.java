package io.ocireg.ui;

import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.Action;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.Identity;
import io.ocireg.spec.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The authenticated caller of one request and the access control that judges it: the same checks,
 * challenges and throttling as the registry API's.
 */
record Caller(AccessControl access, AuthRequest request, Identity identity) {

  /** Authenticates the caller of {@code request} (401 or 429 when its credentials fail). */
  static Caller of(AccessControl access, HttpServletRequest request) {
    AuthRequest auth = authRequest(request);
    return new Caller(access, auth, access.authenticate(auth));
  }

  /** What a host request says about its caller, as the registry servlet reads it. */
  static AuthRequest authRequest(HttpServletRequest request) {
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

  /** Throws 401 (with the challenge) or 403 unless the caller may do {@code action}. */
  void require(RepositoryName repository, Action action) {
    access.require(identity, request, repository, action);
  }

  boolean may(RepositoryName repository, Action action) {
    return access.allows(identity, repository, action);
  }

  Predicate<RepositoryName> mayPull() {
    return access.mayPull(identity);
  }

  /** Whether the caller may use the registry-wide admin functions. */
  boolean isAdmin() {
    return access.isOpen() || access.authorizer().mayAdminister(identity);
  }

  /** The user name; empty for the anonymous caller. */
  Optional<String> user() {
    return identity.isAnonymous() ? Optional.empty() : Optional.of(identity.name());
  }
}
