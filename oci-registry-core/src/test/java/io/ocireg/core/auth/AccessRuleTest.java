package io.ocireg.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.RepositoryName;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRuleTest {
  private static final Identity ALICE = Identity.user("alice", Set.of("dev"));
  private static final Identity BOB = Identity.user("bob", Set.of());

  @Test
  void singleStarStaysWithinOnePathComponent() {
    AccessRule rule = AccessRule.parse("user:alice team/* pull");

    assertThat(rule.matches("team/app")).isTrue();
    assertThat(rule.matches("team/app/base")).isFalse();
    assertThat(rule.matches("teams/app")).isFalse();
  }

  @Test
  void doubleStarCrossesPathComponents() {
    AccessRule rule = AccessRule.parse("user:alice team/** pull");

    assertThat(rule.matches("team/app/base")).isTrue();
    assertThat(AccessRule.parse("* ** pull").matches("anything/at/all")).isTrue();
  }

  @Test
  void patternCharactersOtherThanStarAreLiteral() {
    assertThat(AccessRule.parse("* a.b pull").matches("axb")).isFalse();
    assertThat(AccessRule.parse("* a.b pull").matches("a.b")).isTrue();
  }

  @Test
  void subjectsMatchUsersGroupsAnonymousAndEveryone() {
    assertThat(AccessRule.parse("user:alice ** pull").appliesTo(ALICE)).isTrue();
    assertThat(AccessRule.parse("user:alice ** pull").appliesTo(BOB)).isFalse();
    assertThat(AccessRule.parse("group:dev ** pull").appliesTo(ALICE)).isTrue();
    assertThat(AccessRule.parse("group:dev ** pull").appliesTo(BOB)).isFalse();
    assertThat(AccessRule.parse("anonymous ** pull").appliesTo(Identity.anonymous())).isTrue();
    assertThat(AccessRule.parse("anonymous ** pull").appliesTo(ALICE)).isFalse();
    assertThat(AccessRule.parse("authenticated ** pull").appliesTo(Identity.anonymous())).isFalse();
    assertThat(AccessRule.parse("* ** pull").appliesTo(Identity.anonymous())).isTrue();
  }

  @Test
  void rejectsUnknownSubjectsAndActions() {
    assertThatThrownBy(() -> AccessRule.parse("root ** pull"))
        .hasMessageContaining("unknown subject");
    assertThatThrownBy(() -> AccessRule.parse("* ** fly")).hasMessageContaining("unknown action");
    assertThatThrownBy(() -> AccessRule.parse("* **")).hasMessageContaining("SUBJECT PATTERN");
  }

  @Test
  void rulesAllowOnlyWhatAnyRuleGrants() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                AccessRule.parse("group:dev team/** pull,push"),
                AccessRule.parse("user:bob team/app pull")));
    RepositoryName app = RepositoryName.parse("team/app");

    assertThat(rules.allows(ALICE, app, Action.PUSH)).isTrue();
    assertThat(rules.allows(ALICE, app, Action.DELETE)).isFalse();
    assertThat(rules.allows(BOB, app, Action.PULL)).isTrue();
    assertThat(rules.allows(BOB, app, Action.PUSH)).isFalse();
    assertThat(rules.allows(BOB, RepositoryName.parse("team/other"), Action.PULL)).isFalse();
  }

  @Test
  void adminImpliesEveryActionAndOnDoubleStarTheAdminEndpoints() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                AccessRule.parse("user:alice ** admin"), AccessRule.parse("user:bob x/* admin")));

    assertThat(rules.allows(ALICE, RepositoryName.parse("a/b"), Action.DELETE)).isTrue();
    assertThat(rules.mayAdminister(ALICE)).isTrue();
    assertThat(rules.allows(BOB, RepositoryName.parse("x/y"), Action.DELETE)).isTrue();
    assertThat(rules.mayAdminister(BOB)).isFalse();
  }

  @Test
  void defaultsGiveUsersEverythingAndAnonymousOnlyWhatIsAsked() {
    RepositoryName r = RepositoryName.parse("any/repo");

    assertThat(AccessRules.defaults(false).allows(BOB, r, Action.DELETE)).isTrue();
    assertThat(AccessRules.defaults(false).allows(Identity.anonymous(), r, Action.PULL)).isFalse();
    assertThat(AccessRules.defaults(true).allows(Identity.anonymous(), r, Action.PULL)).isTrue();
    assertThat(AccessRules.defaults(true).allows(Identity.anonymous(), r, Action.PUSH)).isFalse();
  }

  @Test
  void scopesParseAndPrintTheirWireForm() {
    Scope s = Scope.parse("repository:team/app:push,pull");

    assertThat(s.name()).isEqualTo("team/app");
    assertThat(s.actions()).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
    assertThat(s.toString()).isEqualTo("repository:team/app:pull,push");
    assertThat(Scope.parse("registry:catalog:*").isCatalog()).isTrue();
    assertThat(Scope.catalog().toString()).isEqualTo("registry:catalog:*");
    assertThat(Scope.parse("repository:host:5000/app:pull").name()).isEqualTo("host:5000/app");
  }
}
