package io.ocireg.core.auth;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The user the host authenticated, with the listed roles it holds as groups. */
final class HostAuthenticator implements Authenticator {
  private final List<String> groups;
  private final String realm;

  HostAuthenticator(List<String> groups, String realm) {
    this.groups = List.copyOf(groups);
    this.realm = realm;
  }

  @Override
  public Identity authenticate(AuthRequest request) {
    if (request.hostPrincipal().isEmpty() || request.hostPrincipal().get().isEmpty()) {
      return Identity.anonymous();
    }
    Set<String> held =
        groups.stream().filter(request.hostRole()).collect(Collectors.toUnmodifiableSet());
    return Identity.user(request.hostPrincipal().get(), held);
  }

  @Override
  public String challenge(AuthRequest request, List<Scope> scopes) {
    return "Basic realm=\"" + realm + "\"";
  }
}
