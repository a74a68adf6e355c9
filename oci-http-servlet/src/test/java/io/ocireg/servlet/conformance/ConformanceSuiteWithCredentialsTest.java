package io.ocireg.servlet.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AccessRules;
import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.AuthenticationException;
import io.ocireg.core.auth.Authenticator;
import io.ocireg.core.auth.Identity;
import io.ocireg.core.auth.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance workflows of {@link ConformanceSuiteTest} against the servlet with access control
 * on (Basic authentication, the default rules: authenticated users may do everything), every
 * request carrying {@code Authorization: Basic}. Against another registry ({@code OCI_ROOT_URL}) it
 * uses {@code OCI_USERNAME} and {@code OCI_PASSWORD}, as the official suite does.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
class ConformanceSuiteWithCredentialsTest extends ConformanceSuiteTest {
  private static final String USER = "conformance";
  private static final String PASSWORD = "pass:word";
  private static final String CHALLENGE = "Basic realm=\"conformance\"";

  /** Replaces the open registry of the superclass (a static method of the same name hides it). */
  @BeforeAll
  static void start() throws Exception {
    String external = System.getenv("OCI_ROOT_URL");
    if (external != null && !external.isBlank()) {
      String user = System.getenv("OCI_USERNAME");
      Assumptions.assumeTrue(
          user != null && !user.isBlank(), "OCI_ROOT_URL is set without OCI_USERNAME");
      // Sent up front, and to the realm of a Bearer challenge: registries in token mode too.
      String login = basic(user, System.getenv().getOrDefault("OCI_PASSWORD", ""));
      startWith(Optional.empty(), Optional.of(login), Optional.empty(), Optional.of(login));
      return;
    }
    startWith(
        Optional.of(AccessControl.of(new OneUser(), AccessRules.defaults(false))),
        Optional.of(basic(USER, PASSWORD)));
  }

  @Test
  @Order(0)
  void refusesTheAnonymousCallerAndAWrongPassword() throws Exception {
    Assumptions.assumeTrue(
        System.getenv("OCI_ROOT_URL") == null, "the in-process registry's challenge only");
    HttpClient http = HttpClient.newHttpClient();
    for (Optional<String> authorization :
        List.of(Optional.<String>empty(), Optional.of(basic(USER, "wrong")))) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + "/v2/"));
      authorization.ifPresent(a -> b.header("Authorization", a));
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("%s", authorization.isPresent()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains(CHALLENGE);
      assertThat(r.body()).contains("UNAUTHORIZED");
    }
    assertThat(send("GET", "/v2/").statusCode()).isEqualTo(200);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Basic authentication of one user with a fixed password. */
  private static final class OneUser implements Authenticator {
    @Override
    public Identity authenticate(AuthRequest request) {
      return request
          .basic()
          .map(
              c -> {
                if (!c.user().equals(USER) || !c.password().equals(PASSWORD)) {
                  throw new AuthenticationException("wrong user name or password", c.user());
                }
                return Identity.user(USER, Set.of());
              })
          .orElse(Identity.anonymous());
    }

    @Override
    public String challenge(AuthRequest request, List<Scope> scopes) {
      return CHALLENGE;
    }
  }
}
