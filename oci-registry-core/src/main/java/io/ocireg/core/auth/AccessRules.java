package io.ocireg.core.auth;

import io.ocireg.spec.RepositoryName;
import java.util.EnumSet;
import java.util.List;

/**
 * An {@link Authorizer} from a list of {@link AccessRule}s: an action is allowed when any rule
 * grants it; nothing else is. The admin endpoints need {@code admin} granted on {@code **}.
 */
public final class AccessRules implements Authorizer {
  private final List<AccessRule> rules;

  private AccessRules(List<AccessRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Exactly {@code rules}. */
  public static AccessRules of(List<AccessRule> rules) {
    return new AccessRules(rules);
  }

  /**
   * The rules when none are configured: every authenticated user may do everything; the anonymous
   * caller may pull everything when {@code anonymousPull}, and nothing otherwise.
   */
  public static AccessRules defaults(boolean anonymousPull) {
    AccessRule users = new AccessRule("authenticated", "**", EnumSet.allOf(Action.class));
    return anonymousPull
        ? new AccessRules(List.of(users, anonymousPull()))
        : new AccessRules(List.of(users));
  }

  /** The rule {@code --anonymous-pull} adds: anonymous callers may pull everything. */
  public static AccessRule anonymousPull() {
    return new AccessRule("anonymous", "**", EnumSet.of(Action.PULL));
  }

  /** The rules, in order. */
  public List<AccessRule> rules() {
    return rules;
  }

  @Override
  public boolean allows(Identity identity, RepositoryName repository, Action action) {
    for (AccessRule rule : rules) {
      if (rule.grants(identity, repository.value(), action)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean mayAdminister(Identity identity) {
    for (AccessRule rule : rules) {
      if (rule.coversEverything()
          && rule.actions().contains(Action.ADMIN)
          && rule.appliesTo(identity)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "AccessRules" + rules;
  }
}
