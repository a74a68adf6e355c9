package io.ocireg.core.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One grant: {@code actions} on the repositories matching {@code repositories} to {@code subject}.
 *
 * <p>Subjects: {@code user:NAME}, {@code group:NAME}, {@code anonymous} (callers without
 * credentials), {@code authenticated} (every user) and {@code *} (everyone, anonymous included).
 * Patterns are globs over repository names: {@code *} matches within one path component, {@code **}
 * across components ({@code team/*} matches {@code team/app}, {@code team/**} also {@code
 * team/app/base}, {@code **} everything).
 *
 * @param subject who is granted
 * @param repositories the glob of repository names
 * @param actions what they may do ({@link Action#ADMIN} implies the others)
 */
public record AccessRule(String subject, String repositories, Set<Action> actions) {
  // Patterns come from the configuration, so this stays as small as the rule set.
  private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

  public AccessRule {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(repositories, "repositories");
    actions = Set.copyOf(actions);
    if (!(subject.equals("*")
        || subject.equals("anonymous")
        || subject.equals("authenticated")
        || (subject.startsWith("user:") && subject.length() > 5)
        || (subject.startsWith("group:") && subject.length() > 6))) {
      throw new IllegalArgumentException(
          "unknown subject '"
              + subject
              + "' (user:NAME, group:NAME, anonymous, authenticated or *)");
    }
    if (repositories.isBlank()) {
      throw new IllegalArgumentException("empty repository pattern");
    }
  }

  /** Parses {@code SUBJECT PATTERN ACTIONS}, such as {@code group:ci team/** pull,push}. */
  public static AccessRule parse(String line) {
    String[] parts = line.trim().split("\\s+");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "a rule is 'SUBJECT PATTERN ACTIONS' (such as 'user:alice team/** pull,push'): " + line);
    }
    return new AccessRule(parts[0], parts[1], Action.parseAll(parts[2]));
  }

  /** Whether this rule is about {@code identity}. */
  public boolean appliesTo(Identity identity) {
    if (subject.equals("*")) {
      return true;
    }
    if (subject.equals("anonymous")) {
      return identity.isAnonymous();
    }
    if (identity.isAnonymous()) {
      return false;
    }
    if (subject.equals("authenticated")) {
      return true;
    }
    if (subject.startsWith("user:")) {
      return subject.substring(5).equals(identity.name());
    }
    return identity.groups().contains(subject.substring(6));
  }

  /** Whether {@code repository} matches the pattern. */
  public boolean matches(String repository) {
    return GLOBS.computeIfAbsent(repositories, AccessRule::glob).matcher(repository).matches();
  }

  /** Whether the pattern matches every repository. */
  public boolean coversEverything() {
    return repositories.equals("**");
  }

  /** Whether this rule grants {@code action} on {@code repository} to {@code identity}. */
  public boolean grants(Identity identity, String repository, Action action) {
    return (actions.contains(action) || actions.contains(Action.ADMIN))
        && appliesTo(identity)
        && matches(repository);
  }

  private static Pattern glob(String repositories) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < repositories.length(); i++) {
      char c = repositories.charAt(i);
      if (c == '*') {
        if (i + 1 < repositories.length() && repositories.charAt(i + 1) == '*') {
          regex.append(".*");
          i++;
        } else {
          regex.append("[^/]*");
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }

  @Override
  public String toString() {
    return subject + " " + repositories + " " + actions;
  }
}
