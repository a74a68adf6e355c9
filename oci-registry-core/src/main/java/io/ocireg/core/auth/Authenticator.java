package io.ocireg.core.auth;

import java.util.List;

/**
 * Turns the credentials of a request into an {@link Identity}. The htpasswd and token
 * authenticators of the standalone server are two implementations; a host supplies its own, for
 * instance one that trusts {@link AuthRequest#hostPrincipal()}.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes (UNAUTHORIZED, DENIED)</a>
 */
public interface Authenticator {

  /**
   * The caller of {@code request}: {@link Identity#anonymous()} when it presents no credentials
   * this authenticator reads; throws {@link AuthenticationException} when it presents wrong ones.
   */
  Identity authenticate(AuthRequest request);

  /**
   * The {@code WWW-Authenticate} value that asks for credentials good for {@code scopes}, such as
   * {@code Basic realm="ocireg"}.
   */
  String challenge(AuthRequest request, List<Scope> scopes);

  /**
   * An authenticator for hosts that authenticate users themselves: the host's principal, in those
   * of {@code groups} the host puts it in ({@code isUserInRole}); anonymous without one.
   */
  static Authenticator fromHost(List<String> groups, String realm) {
    return new HostAuthenticator(groups, realm);
  }
}
