package io.ocireg.servlet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AccessRules;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.AuthenticationException;
import io.ocireg.core.auth.Authenticator;
import io.ocireg.core.auth.Identity;
import io.ocireg.core.auth.Scope;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance workflows of {@link ConformanceSuiteTest} in token mode: the servlet accepts only
 * {@code Bearer} tokens and challenges with the scope each request needs; the client holds nothing
 * but a user name and password, and gets every token from the challenge's realm, as
 * token-authenticating clients do. So every workflow passes only if every challenge names enough
 * scope, and the engine honours the scopes of the token.
 *
 * <p>The token endpoint here is a stand-in (random opaque tokens remembered in memory, every asked
 * scope granted to the one user): the signed tokens of the standalone server are tested there.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker registry token
 *     authentication</a>
 */
class ConformanceSuiteWithTokenTest extends ConformanceSuiteTest {
  private static final String USER = "conformance";
  private static final String PASSWORD = "pass:word";
  private static final Map<String, List<Scope>> ISSUED = new ConcurrentHashMap<>();

  /** Replaces the open registry of the superclass (a static method of the same name hides it). */
  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(
        System.getenv("OCI_ROOT_URL") == null,
        "another registry's token mode is covered by ConformanceSuiteWithCredentialsTest");
    ISSUED.clear();
    startWith(
        Optional.of(AccessControl.of(new Tokens(), AccessRules.defaults(false))),
        Optional.empty(),
        Optional.of(new TokenEndpoint()),
        Optional.of(basic(USER, PASSWORD)));
  }

  @Test
  @Order(0)
  void challengesWithTheTokenRealmAndRefusesBasicCredentialsAndAWrongPassword() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(root + "/v2/" + "a/b/manifests/latest")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains(
            "Bearer realm=\""
                + root
                + "/token\",service=\"conformance\",scope=\"repository:a/b:pull\"");
    assertThat(anonymous.body()).contains("UNAUTHORIZED");

    HttpResponse<String> basic =
        http.send(
            HttpRequest.newBuilder(URI.create(root + "/v2/"))
                .header("Authorization", basic(USER, PASSWORD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(basic.statusCode()).isEqualTo(401);

    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(URI.create(root + "/token?service=conformance"))
                .header("Authorization", basic(USER, "wrong"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Bearer tokens of {@link TokenEndpoint} only; the challenge names the realm and the scope. */
  private static final class Tokens implements Authenticator {
    @Override
    public Identity authenticate(AuthRequest request) {
      if (request.authorization().isEmpty()) {
        return Identity.anonymous();
      }
      List<Scope> scopes =
          request
              .bearer()
              .map(ISSUED::get)
              .orElseThrow(() -> new AuthenticationException("not a token of ours", null));
      return Identity.user(USER, Set.of()).withTokenScopes(scopes);
    }

    @Override
    public String challenge(AuthRequest request, List<Scope> scopes) {
      String value = "Bearer realm=\"" + request.baseUri() + "/token\",service=\"conformance\"";
      return scopes.isEmpty()
          ? value
          : value
              + ",scope=\""
              + scopes.stream().map(Scope::toString).collect(Collectors.joining(" "))
              + "\"";
    }
  }

  /** {@code GET /token}: the one user gets every scope asked for. */
  private static final class TokenEndpoint extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      if (!basic(USER, PASSWORD).equals(request.getHeader("Authorization"))) {
        response.sendError(401);
        return;
      }
      List<Scope> scopes = new ArrayList<>();
      String[] asked = request.getParameterValues("scope");
      for (String scope : asked == null ? new String[0] : asked) {
        scopes.add(Scope.parse(scope));
      }
      byte[] random = new byte[24];
      RANDOM.nextBytes(random);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      ISSUED.put(token, List.copyOf(scopes));
      byte[] body = ("{\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
      response.setContentType("application/json");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }
}
