package io.ocireg.server;

import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.Authenticator;
import io.ocireg.core.auth.Identity;
import io.ocireg.core.auth.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Token mode on the registry's endpoints: a {@code Bearer} token is verified by the {@link
 * TokenService}; {@code Basic} credentials are checked as in Basic mode (some clients send them
 * first); the challenge points at the token endpoint with the service and the scope needed.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker registry token
 *     authentication</a>
 */
final class TokenAuthenticator implements Authenticator {
  private final TokenService tokens;
  private final Authenticator passwords;
  private final Function<String, Set<String>> groups;
  private final Optional<String> realm;

  TokenAuthenticator(
      TokenService tokens,
      Authenticator passwords,
      Function<String, Set<String>> groups,
      Optional<String> realm) {
    this.tokens = tokens;
    this.passwords = passwords;
    this.groups = groups;
    this.realm = realm;
  }

  @Override
  public Identity authenticate(AuthRequest request) {
    Optional<String> bearer = request.bearer();
    if (bearer.isEmpty()) {
      return passwords.authenticate(request);
    }
    TokenService.Verified v = tokens.verify(bearer.get());
    Identity who =
        v.subject().isEmpty()
            ? Identity.anonymous()
            : Identity.user(v.subject(), groups.apply(v.subject()));
    return who.withTokenScopes(v.scopes());
  }

  @Override
  public String challenge(AuthRequest request, List<Scope> scopes) {
    String url = realm.orElse(request.baseUri() + "/token");
    String value = "Bearer realm=\"" + url + "\",service=\"" + tokens.service() + "\"";
    if (!scopes.isEmpty()) {
      value +=
          ",scope=\""
              + scopes.stream().map(Scope::toString).collect(Collectors.joining(" "))
              + "\"";
    }
    return value;
  }
}
