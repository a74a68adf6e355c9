package io.ocireg.core.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A resource scope as in the Docker token protocol: {@code repository:<name>:<actions>}, or {@code
 * registry:catalog:*} for the repository listing. {@code toString()} is the wire form.
 *
 * @param type {@code repository} or {@code registry}
 * @param name a repository name (or {@code catalog})
 * @param actions the actions asked for or granted
 * @see <a href="https://distribution.github.io/distribution/spec/auth/scope/">Docker registry token
 *     scope and access</a>
 */
public record Scope(String type, String name, Set<Action> actions) {
  /** The type of repository scopes. */
  public static final String REPOSITORY = "repository";

  /** The type of the catalog scope. */
  public static final String REGISTRY = "registry";

  public Scope {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    actions = Set.copyOf(actions);
  }

  /** {@code repository:<name>:<actions>}. */
  public static Scope repository(String name, Set<Action> actions) {
    return new Scope(REPOSITORY, name, actions);
  }

  /** {@code registry:catalog:*}: listing the repositories. */
  public static Scope catalog() {
    return new Scope(REGISTRY, "catalog", EnumSet.allOf(Action.class));
  }

  /**
   * Parses {@code type:name:actions}. The name may contain colons only where a registry would not
   * (a port of a host name): everything between the first and the last colon is the name.
   */
  public static Scope parse(String wire) {
    int first = wire.indexOf(':');
    int last = wire.lastIndexOf(':');
    if (first <= 0 || last == first) {
      throw new IllegalArgumentException("not a scope (type:name:actions): " + wire);
    }
    String type = wire.substring(0, first);
    String name = wire.substring(first + 1, last);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("scope without a name: " + wire);
    }
    return new Scope(type, name, Action.parseAll(wire.substring(last + 1)));
  }

  /** Whether this scope grants {@code action} on repository {@code repository}. */
  public boolean grants(String repository, Action action) {
    return type.equals(REPOSITORY)
        && name.equals(repository)
        && (actions.contains(action) || actions.contains(Action.ADMIN));
  }

  /** Whether this is the catalog scope. */
  public boolean isCatalog() {
    return type.equals(REGISTRY) && name.equals("catalog");
  }

  @Override
  public String toString() {
    String list =
        isCatalog() && actions.size() == Action.values().length
            ? "*"
            : actions.stream().sorted().map(Action::wireName).collect(Collectors.joining(","));
    return type + ":" + name + ":" + list;
  }
}
