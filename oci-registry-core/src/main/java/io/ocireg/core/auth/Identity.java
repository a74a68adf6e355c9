package io.ocireg.core.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request comes from: a user name with its groups, or the anonymous caller. A caller who
 * presented a token is also limited to the scopes the token grants.
 *
 * @param name the user name; empty for the anonymous caller
 * @param groups the groups the user belongs to (rules may grant rights to a group)
 * @param tokenScopes the scopes of the token the caller presented; empty when the caller presented
 *     no token (then only the {@link Authorizer} decides)
 */
public record Identity(String name, Set<String> groups, Optional<List<Scope>> tokenScopes) {
  private static final Identity ANONYMOUS = new Identity("", Set.of(), Optional.empty());

  public Identity {
    Objects.requireNonNull(name, "name");
    groups = Set.copyOf(groups);
    tokenScopes = tokenScopes.map(List::copyOf);
  }

  /** The caller who presented no credentials. */
  public static Identity anonymous() {
    return ANONYMOUS;
  }

  /** An authenticated user in {@code groups}. */
  public static Identity user(String name, Set<String> groups) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a user has a name");
    }
    return new Identity(name, groups, Optional.empty());
  }

  /** Whether this is the caller who presented no credentials. */
  public boolean isAnonymous() {
    return name.isEmpty();
  }

  /** This identity limited to the scopes of a token. */
  public Identity withTokenScopes(List<Scope> scopes) {
    return new Identity(name, groups, Optional.of(scopes));
  }

  @Override
  public String toString() {
    return isAnonymous() ? "anonymous" : name;
  }
}
