package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.core.GarbageCollector;
import io.ocireg.core.GcOptions;
import io.ocireg.storage.memory.InMemoryStorage;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API under the registry's access control: the same authentication, challenge and rights as
 * {@code /v2/} (see {@link TestAccess} for who may do what).
 */
class AccessApiTest {
  private UiServer server;

  @BeforeEach
  void start() {
    server = UiServer.start(new InMemoryStorage(), TestAccess.control(), UiOptions.defaults());
    TestImages images = new TestImages(server.registry());
    images.image("public/base", "1.0", "linux", "amd64");
    images.image("team/app", "1.0", "linux", "amd64");
    images.image("team/db", "1.0", "linux", "amd64");
    images.image("secret/keys", "1.0", "linux", "amd64");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String user) {
    return user == null ? server.get(path) : server.get(path, "Authorization", TestAccess.as(user));
  }

  private List<String> repositories(String user) {
    HttpResponse<String> r = get("/api/repos", user);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    UiServer.json(r).path("repositories").forEach(n -> out.add(n.path("name").asText()));
    return out;
  }

  @Test
  void theRepositoryListShowsOnlyWhatTheCallerMayPull() {
    assertThat(repositories(null)).containsExactly("public/base");
    assertThat(repositories("reader")).containsExactly("team/app", "team/db");
    assertThat(repositories("admin"))
        .containsExactly("public/base", "secret/keys", "team/app", "team/db");
    assertThat(UiServer.json(get("/api/repos?q=db", "reader")).path("total").asInt()).isEqualTo(1);
    assertThat(UiServer.json(get("/api/repos?q=keys", "reader")).path("total").asInt()).isZero();
  }

  @Test
  void anAnonymousCallerIsChallengedForWhatItMayNotPull() {
    HttpResponse<String> r = get("/api/tags/team/app", null);

    BrowseApiTest.assertError(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(TestAccess.CHALLENGE);
    assertThat(get("/api/manifest/team/app?ref=1.0", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/tags/public/base", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aUserIsDeniedWhatTheRulesDoNotGrant() {
    BrowseApiTest.assertError(get("/api/tags/secret/keys", "reader"), 403, "DENIED");
    BrowseApiTest.assertError(get("/api/manifest/secret/keys?ref=1.0", "reader"), 403, "DENIED");
    assertThat(get("/api/tags/secret/keys", "admin").statusCode()).isEqualTo(200);
  }

  @Test
  void wrongCredentialsAreUnauthorizedWithTheChallenge() {
    HttpResponse<String> r =
        server.get("/api/repos", "Authorization", UiServer.basic("reader", "wrong"));

    BrowseApiTest.assertError(r, 401, "UNAUTHORIZED");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(TestAccess.CHALLENGE);
  }

  @Test
  void theSessionSaysWhoTheCallerIsAndWhatItMayDo() {
    JsonNode anonymous = UiServer.json(get("/api/session", null));
    assertThat(anonymous.path("user").isNull()).isTrue();
    assertThat(anonymous.path("canAdmin").asBoolean()).isFalse();
    assertThat(anonymous.path("loginAvailable").asBoolean()).isTrue();
    assertThat(anonymous.path("deletesEnabled").asBoolean()).isTrue();
    assertThat(anonymous.path("gcAvailable").asBoolean()).isFalse();

    JsonNode reader = UiServer.json(get("/api/session", "reader"));
    assertThat(reader.path("user").asText()).isEqualTo("reader");
    assertThat(reader.path("canAdmin").asBoolean()).isFalse();
    assertThat(UiServer.json(get("/api/session", "admin")).path("canAdmin").asBoolean()).isTrue();
  }

  @Test
  void loginChallengesTheAnonymousCallerOnly() {
    HttpResponse<String> anonymous = get("/api/login", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue(TestAccess.CHALLENGE);

    HttpResponse<String> reader = get("/api/login", "reader");
    assertThat(reader.statusCode()).isEqualTo(200);
    assertThat(UiServer.json(reader).path("user").asText()).isEqualTo("reader");
  }

  @Test
  void loginAsksForBasicWhenTheRegistryChallengesWithBearerButTakesBasic() {
    io.ocireg.core.auth.Authenticator tokenMode =
        new io.ocireg.core.auth.Authenticator() {
          @Override
          public io.ocireg.core.auth.Identity authenticate(io.ocireg.core.auth.AuthRequest r) {
            // Basic checked as in password mode
            var c = r.basic();
            if (c.isEmpty()) {
              return io.ocireg.core.auth.Identity.anonymous();
            }
            if (c.get().user().equals("reader") && c.get().password().equals(TestAccess.PASSWORD)) {
              return io.ocireg.core.auth.Identity.user("reader", java.util.Set.of());
            }
            throw new io.ocireg.core.auth.AuthenticationException("wrong password", c.get().user());
          }

          @Override
          public String challenge(
              io.ocireg.core.auth.AuthRequest r, java.util.List<io.ocireg.core.auth.Scope> s) {
            return "Bearer realm=\"https://auth.example/token\",service=\"ocireg\"";
          }
        };
    try (UiServer tokens =
        UiServer.start(
            new io.ocireg.storage.memory.InMemoryStorage(),
            io.ocireg.core.auth.AccessControl.of(
                tokenMode, io.ocireg.core.auth.AccessRules.of(java.util.List.of())),
            UiOptions.defaults())) {
      HttpResponse<String> login = tokens.get("/api/login");
      assertThat(login.statusCode()).isEqualTo(401);
      assertThat(login.headers().firstValue("WWW-Authenticate"))
          .hasValue("Basic realm=\"" + UiServlet.LOGIN_REALM + "\"");
      assertThat(UiServer.json(tokens.get("/api/session")).path("loginAvailable").asBoolean())
          .isTrue();
      assertThat(tokens.get("/api/login", "Authorization", TestAccess.as("reader")).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void loginIsNotOfferedWhenTheAuthenticatorIgnoresBasic() {
    io.ocireg.core.auth.Authenticator principalOnly =
        new io.ocireg.core.auth.Authenticator() {
          @Override
          public io.ocireg.core.auth.Identity authenticate(io.ocireg.core.auth.AuthRequest r) {
            return io.ocireg.core.auth.Identity.anonymous();
          }

          @Override
          public String challenge(
              io.ocireg.core.auth.AuthRequest r, java.util.List<io.ocireg.core.auth.Scope> s) {
            return "Bearer realm=\"https://sso.example/\"";
          }
        };
    try (UiServer sso =
        UiServer.start(
            new io.ocireg.storage.memory.InMemoryStorage(),
            io.ocireg.core.auth.AccessControl.of(
                principalOnly, io.ocireg.core.auth.AccessRules.of(java.util.List.of())),
            UiOptions.defaults())) {
      assertThat(UiServer.json(sso.get("/api/session")).path("loginAvailable").asBoolean())
          .isFalse();
    }
  }

  @Test
  void canDeleteFollowsTheDeleteRight() {
    assertThat(UiServer.json(get("/api/tags/team/app", "reader")).path("canDelete").asBoolean())
        .isFalse();
    assertThat(UiServer.json(get("/api/tags/team/app", "deleter")).path("canDelete").asBoolean())
        .isTrue();
    assertThat(
            UiServer.json(get("/api/manifest/team/app?ref=1.0", "deleter"))
                .path("canDelete")
                .asBoolean())
        .isTrue();
    assertThat(UiServer.json(get("/api/tags/public/base", null)).path("canDelete").asBoolean())
        .isFalse();
  }

  @Test
  void deletingWithoutTheRightIsRefusedAndDeletesNothing() {
    String body = "{\"repository\":\"team/app\",\"tag\":\"1.0\"}";

    HttpResponse<String> anonymous = server.postFromPage("/api/delete", body);
    BrowseApiTest.assertError(anonymous, 401, "UNAUTHORIZED");
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue(TestAccess.CHALLENGE);
    BrowseApiTest.assertError(
        server.postFromPage("/api/delete", body, "Authorization", TestAccess.as("reader")),
        403,
        "DENIED");
    assertThat(
            server.get("/v2/team/app/tags/list", "Authorization", TestAccess.as("reader")).body())
        .contains("\"1.0\"");

    HttpResponse<String> ok =
        server.postFromPage("/api/delete", body, "Authorization", TestAccess.as("deleter"));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void garbageCollectionIsForAdminsAndOnlyWhenTheHostOffersIt() {
    HttpResponse<String> none =
        server.postFromPage("/api/gc", "{}", "Authorization", TestAccess.as("admin"));
    assertThat(none.statusCode()).isEqualTo(404);

    try (UiServer gc =
        UiServer.start(
            new InMemoryStorage(),
            TestAccess.control(),
            registry ->
                UiOptions.defaults()
                    .withGarbageCollection(
                        () -> GarbageCollector.of(registry).collect(GcOptions.defaults())))) {
      assertThat(
              UiServer.json(gc.get("/api/session", "Authorization", TestAccess.as("admin")))
                  .path("gcAvailable")
                  .asBoolean())
          .isTrue();
      BrowseApiTest.assertError(
          gc.postFromPage("/api/gc", "{}", "Authorization", TestAccess.as("deleter")),
          403,
          "DENIED");
      assertThat(gc.postFromPage("/api/gc", "{}").statusCode()).isEqualTo(401);
      HttpResponse<String> report =
          gc.postFromPage("/api/gc", "{}", "Authorization", TestAccess.as("admin"));
      assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
      assertThat(UiServer.json(report).isObject()).isTrue();
    }
  }
}
