package io.ocireg.ui;

import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AccessRule;
import io.ocireg.core.auth.AccessRules;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.AuthenticationException;
import io.ocireg.core.auth.Authenticator;
import io.ocireg.core.auth.FailureThrottle;
import io.ocireg.core.auth.Identity;
import io.ocireg.core.auth.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Access control of the tests: Basic users with password {@code secret}; {@code admin} may do
 * everything, {@code reader} may pull {@code team/**}, {@code deleter} may pull and delete {@code
 * team/**}; the anonymous caller may pull {@code public/**}.
 */
final class TestAccess {
  static final String PASSWORD = "secret";
  static final String CHALLENGE = "Basic realm=\"ui-test\"";

  private TestAccess() {}

  static AccessControl control() {
    Authenticator users =
        new Authenticator() {
          @Override
          public Identity authenticate(AuthRequest request) {
            var c = request.basic();
            if (c.isEmpty()) {
              return Identity.anonymous();
            }
            if (Set.of("admin", "reader", "deleter").contains(c.get().user())
                && c.get().password().equals(PASSWORD)) {
              return Identity.user(c.get().user(), Set.of());
            }
            throw new AuthenticationException("wrong password", c.get().user());
          }

          @Override
          public String challenge(AuthRequest request, List<Scope> scopes) {
            return CHALLENGE;
          }
        };
    return AccessControl.of(
        users,
        AccessRules.of(
            List.of(
                AccessRule.parse("user:admin ** *"),
                AccessRule.parse("user:reader team/** pull"),
                AccessRule.parse("user:deleter team/** pull,delete"),
                AccessRule.parse("anonymous public/** pull"))),
        new FailureThrottle(1000, Duration.ofMinutes(1), 100, Clock.systemUTC()));
  }

  /** The {@code Authorization} header value of {@code user}. */
  static String as(String user) {
    return UiServer.basic(user, PASSWORD);
  }

  static Optional<String> none() {
    return Optional.empty();
  }
}
