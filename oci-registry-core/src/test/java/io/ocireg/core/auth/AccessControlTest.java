package io.ocireg.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AccessControlTest {
  private static final RepositoryName APP = RepositoryName.parse("team/app");

  /** Accepts alice:secret and bob:secret; rejects every other Basic credential. */
  private static final Authenticator USERS =
      new Authenticator() {
        @Override
        public Identity authenticate(AuthRequest request) {
          Optional<BasicCredentials> c = request.basic();
          if (c.isEmpty()) {
            return Identity.anonymous();
          }
          if (Set.of("alice", "bob").contains(c.get().user())
              && c.get().password().equals("secret")) {
            return Identity.user(c.get().user(), Set.of());
          }
          throw new AuthenticationException("wrong password", c.get().user());
        }

        @Override
        public String challenge(AuthRequest request, List<Scope> scopes) {
          return "Basic realm=\"test\"";
        }
      };

  private final FailureThrottleTest.TestClock clock = new FailureThrottleTest.TestClock();
  private final AccessControl access =
      AccessControl.of(
          USERS,
          AccessRules.of(
              List.of(
                  AccessRule.parse("user:alice ** pull,push"),
                  AccessRule.parse("user:bob team/* pull"))),
          new FailureThrottle(3, Duration.ofMinutes(1), 100, clock));

  private static AuthRequest basic(String user, String password, String address) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return AuthRequest.of(Optional.of("Basic " + token), address);
  }

  private static RegistryException error(ThrowingCallable call) {
    return catchThrowableOfType(RegistryException.class, call);
  }

  @Test
  void wrongPasswordIsUnauthorizedWithAChallenge() {
    RegistryException e = error(() -> access.authenticate(basic("alice", "wrong", "10.0.0.1")));

    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"test\"");
  }

  @Test
  void anonymousCallerMustLogInForTheVersionCheck() {
    AuthRequest none = AuthRequest.of(Optional.empty(), "10.0.0.1");
    Identity who = access.authenticate(none);

    assertThat(who.isAnonymous()).isTrue();
    assertThat(error(() -> access.requireLogin(who, none)).status()).isEqualTo(401);
  }

  @Test
  void pushWithPullOnlyRightsIsDenied() {
    AuthRequest r = basic("bob", "secret", "10.0.0.1");
    Identity bob = access.authenticate(r);

    access.require(bob, r, APP, Action.PULL);
    RegistryException e = error(() -> access.require(bob, r, APP, Action.PUSH));

    assertThat(e.code()).isEqualTo(ErrorCode.DENIED);
    assertThat(e.status()).isEqualTo(403);
  }

  @Test
  void deleteWithoutDeleteRightIsDenied() {
    AuthRequest r = basic("alice", "secret", "10.0.0.1");
    Identity alice = access.authenticate(r);

    assertThat(error(() -> access.require(alice, r, APP, Action.DELETE)).code())
        .isEqualTo(ErrorCode.DENIED);
  }

  @Test
  void anonymousCallerIsAskedToLogInForAProtectedAction() {
    AuthRequest none = AuthRequest.of(Optional.empty(), "10.0.0.1");

    RegistryException e = error(() -> access.require(Identity.anonymous(), none, APP, Action.PULL));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.headers()).containsKey("WWW-Authenticate");
  }

  @Test
  void repeatedFailuresFromOneAddressAreThrottledWithRetryAfter() {
    for (int i = 0; i < 3; i++) {
      error(() -> access.authenticate(basic("mallory", "guess", "10.0.0.9")));
    }

    RegistryException e = error(() -> access.authenticate(basic("alice", "secret", "10.0.0.9")));

    assertThat(e.code()).isEqualTo(ErrorCode.TOOMANYREQUESTS);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.headers()).containsEntry("Retry-After", "60");
    // Another address is not affected.
    assertThat(access.authenticate(basic("alice", "secret", "10.0.0.1")).name()).isEqualTo("alice");
  }

  @Test
  void repeatedFailuresForOneUserAreThrottledFromEveryAddress() {
    for (int i = 0; i < 3; i++) {
      String address = "10.0.1." + i;
      error(() -> access.authenticate(basic("bob", "guess", address)));
    }

    assertThat(error(() -> access.authenticate(basic("bob", "secret", "10.0.2.1"))).status())
        .isEqualTo(429);
    clock.now = clock.now.plusSeconds(61);
    assertThat(access.authenticate(basic("bob", "secret", "10.0.2.1")).name()).isEqualTo("bob");
  }

  @Test
  void tokenForAnotherRepositoryDoesNotGrantThisOne() {
    Identity alice =
        Identity.user("alice", Set.of())
            .withTokenScopes(List.of(Scope.parse("repository:team/other:pull,push")));
    AuthRequest r = AuthRequest.of(Optional.of("Bearer x"), "10.0.0.1");

    assertThat(access.allows(alice, RepositoryName.parse("team/other"), Action.PUSH)).isTrue();
    RegistryException e = error(() -> access.require(alice, r, APP, Action.PULL));

    // The rules would allow it: the client is asked to fetch a token for this scope.
    assertThat(e.status()).isEqualTo(401);
  }

  @Test
  void basicIsAcceptedByABasicOrTokenAuthenticatorButNotByOneThatIgnoresIt() {
    AuthRequest r = AuthRequest.of(Optional.empty(), "10.0.0.1");
    Authenticator tokenMode =
        new Authenticator() {
          @Override
          public Identity authenticate(AuthRequest request) {
            return USERS.authenticate(request); // Basic checked as in password mode
          }

          @Override
          public String challenge(AuthRequest request, List<Scope> scopes) {
            return "Bearer realm=\"https://auth/token\"";
          }
        };
    Authenticator principalOnly =
        new Authenticator() {
          @Override
          public Identity authenticate(AuthRequest request) {
            return Identity.anonymous();
          }

          @Override
          public String challenge(AuthRequest request, List<Scope> scopes) {
            return "Bearer realm=\"https://sso/\"";
          }
        };
    AccessRules rules = AccessRules.of(List.of());

    assertThat(access.acceptsBasic(r)).isTrue();
    assertThat(AccessControl.of(tokenMode, rules).acceptsBasic(r)).isTrue();
    assertThat(AccessControl.of(principalOnly, rules).acceptsBasic(r)).isFalse();
    assertThat(AccessControl.open().acceptsBasic(r)).isFalse();
  }

  @Test
  void mountWithATokenLackingTheSourceAsksForBothScopes() {
    Identity alice =
        Identity.user("alice", Set.of())
            .withTokenScopes(List.of(Scope.parse("repository:team/app:pull,push")));
    AuthRequest r = AuthRequest.of(Optional.of("Bearer x"), "10.0.0.1");
    Authenticator bearer =
        new Authenticator() {
          @Override
          public Identity authenticate(AuthRequest request) {
            return alice;
          }

          @Override
          public String challenge(AuthRequest request, List<Scope> scopes) {
            return "Bearer realm=\"https://auth/token\",scope=\""
                + scopes.stream()
                    .map(Scope::toString)
                    .collect(java.util.stream.Collectors.joining(" "))
                + "\"";
          }
        };
    AccessControl tokens =
        AccessControl.of(
            bearer, AccessRules.of(List.of(AccessRule.parse("user:alice ** pull,push"))));

    RegistryException e =
        error(() -> tokens.requireMountSource(alice, r, APP, RepositoryName.parse("team/base")));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.headers().get("WWW-Authenticate"))
        .isEqualTo(
            "Bearer realm=\"https://auth/token\",scope=\"repository:team/app:pull,push"
                + " repository:team/base:pull\",error=\"insufficient_scope\"");
  }

  @Test
  void mountFromASourceTheCallerMayNotPullIsLeftToFallBack() {
    Identity bob =
        Identity.user("bob", Set.of())
            .withTokenScopes(List.of(Scope.parse("repository:team/app:pull")));
    Identity alice =
        Identity.user("alice", Set.of())
            .withTokenScopes(
                List.of(
                    Scope.parse("repository:team/app:pull,push"),
                    Scope.parse("repository:a/b:pull")));
    AuthRequest r = AuthRequest.of(Optional.of("Bearer x"), "10.0.0.1");
    RepositoryName other = RepositoryName.parse("other/base");

    // bob's rules do not reach other/base: no challenge, the engine makes an ordinary upload.
    access.requireMountSource(bob, r, APP, other);
    assertThat(access.mayPull(bob).test(other)).isFalse();
    // A token that grants the source, and Basic callers, pass as well.
    access.requireMountSource(alice, r, APP, RepositoryName.parse("a/b"));
    access.requireMountSource(Identity.user("alice", Set.of()), r, APP, other);
  }

  @Test
  void tokenScopesNeverWidenWhatTheRulesAllow() {
    Identity bob =
        Identity.user("bob", Set.of()).withTokenScopes(List.of(Scope.parse("repository:x/y:push")));
    AuthRequest r = AuthRequest.of(Optional.of("Bearer x"), "10.0.0.1");

    assertThat(error(() -> access.require(bob, r, RepositoryName.parse("x/y"), Action.PUSH)).code())
        .isEqualTo(ErrorCode.DENIED);
  }

  @Test
  void catalogFilterShowsOnlyPullableRepositories() {
    Identity bob = Identity.user("bob", Set.of());

    assertThat(access.mayPull(bob).test(APP)).isTrue();
    assertThat(access.mayPull(bob).test(RepositoryName.parse("other/app"))).isFalse();
  }

  @Test
  void openAccessAllowsEverything() {
    AccessControl open = AccessControl.open();
    AuthRequest none = AuthRequest.of(Optional.of("Basic garbage"), "10.0.0.1");
    Identity who = open.authenticate(none);

    open.requireLogin(who, none);
    open.require(who, none, APP, Action.DELETE);
    open.requireAdmin(who, none);
    assertThat(open.isOpen()).isTrue();
  }
}
