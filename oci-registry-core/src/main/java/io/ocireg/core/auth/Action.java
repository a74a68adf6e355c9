package io.ocireg.core.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller wants to do with a repository: the actions of a Docker token scope ({@code
 * repository:<name>:pull,push}) plus {@code admin}.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/scope/">Docker registry token
 *     scope and access</a>
 */
public enum Action {
  /** Read manifests, blobs, tags and referrers ({@code GET}, {@code HEAD}). */
  PULL,
  /** Upload blobs and push manifests ({@code POST}, {@code PATCH}, {@code PUT}). */
  PUSH,
  /** Delete manifests, tags and blobs ({@code DELETE}). */
  DELETE,
  /**
   * Everything on the repositories it is granted for; granted on {@code **} it also opens the
   * registry's admin endpoints.
   */
  ADMIN;

  /** The wire form, such as {@code pull}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName();
  }

  /** The actions a scope or rule names: {@code pull}, {@code push}, ...; {@code *} for all. */
  public static Set<Action> parseAll(String commaSeparated) {
    Set<Action> actions = EnumSet.noneOf(Action.class);
    for (String part : commaSeparated.split(",")) {
      String s = part.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      if (s.equals("*")) {
        actions.addAll(EnumSet.allOf(Action.class));
        continue;
      }
      try {
        actions.add(Action.valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown action '" + part.trim() + "' (pull, push, delete, admin or *)", e);
      }
    }
    return actions;
  }
}
