package io.ocireg.server;

import static io.ocireg.server.AccessControlHttpTest.basic;
import static io.ocireg.server.AccessControlHttpTest.htpasswdLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ocireg.core.auth.Scope;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token mode, CORS and TLS over HTTP. */
class TokenCorsTlsTest {
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
  private HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private OciRegistryServer server;
  private ECKey key;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void startTokenMode(String... rules) throws Exception {
    key = (ECKey) TokenService.generate();
    Path keyFile = dir.resolve("token.pem");
    try (StringWriter w = new StringWriter();
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(new JcaPKCS8Generator(key.toPrivateKey(), null));
      pem.flush();
      Files.writeString(keyFile, w.toString());
    }
    Path users = dir.resolve("htpasswd");
    Files.write(users, List.of(htpasswdLine("alice", "pw"), htpasswdLine("bob", "pw")));
    SecurityOptions security =
        SecurityOptions.defaults()
            .withHtpasswd(Optional.of(users))
            .withRules(
                java.util.Arrays.stream(rules).map(io.ocireg.core.auth.AccessRule::parse).toList())
            .withToken(
                SecurityOptions.TokenOptions.defaults()
                    .withEnabled(true)
                    .withSigningKey(Optional.of(keyFile)));
    server = OciRegistryServer.builder().security(security).start();
  }

  private HttpResponse<String> get(String path, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(String user, String scope) throws Exception {
    HttpResponse<String> r =
        get("/token?service=ocireg&scope=" + scope, user == null ? null : basic(user, "pw"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"access_token\"", "\"expires_in\":300", "\"issued_at\"");
    Matcher m = TOKEN.matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private String signed(JWSAlgorithm alg, ECKey signer, JWTClaimsSet claims, JWSHeader header)
      throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new ECDSASigner(signer));
    return jwt.serialize();
  }

  private JWTClaimsSet claims(Instant now, String audience, String repo) {
    return new JWTClaimsSet.Builder()
        .issuer("ocireg")
        .subject("alice")
        .audience(audience)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim(
            "access",
            List.of(
                java.util.Map.of(
                    "type", "repository", "name", repo, "actions", List.of("pull", "push"))))
        .build();
  }

  @Test
  void tokenFlowFromChallengeToPull() throws Exception {
    startTokenMode();

    HttpResponse<String> challenge = get("/v2/team/app/tags/list", null);
    assertThat(challenge.statusCode()).isEqualTo(401);
    assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Bearer realm=\"http://")
        .contains("/token\",service=\"ocireg\",scope=\"repository:team/app:pull\"");

    String token = token("alice", "repository:team/app:pull,push");
    HttpResponse<String> tags = get("/v2/team/app/tags/list", "Bearer " + token);
    assertThat(tags.statusCode()).isEqualTo(404); // allowed, but nothing pushed yet
    assertThat(get("/v2/", "Bearer " + token).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenForAnotherRepositoryAsksForANewToken() throws Exception {
    startTokenMode();
    String token = token("alice", "repository:other/app:pull");

    HttpResponse<String> r = get("/v2/team/app/tags/list", "Bearer " + token);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"");
  }

  @Test
  void mountWithATokenLackingTheSourceAsksForBothScopesUnlessTheRulesDenyTheSource()
      throws Exception {
    startTokenMode("user:alice ** pull,push", "user:bob team/app pull,push");
    String mount = "/v2/team/app/blobs/uploads/?mount=sha256:" + "0".repeat(64) + "&from=team/base";

    HttpResponse<String> narrow = post(mount, token("alice", "repository:team/app:pull,push"));
    assertThat(narrow.statusCode()).isEqualTo(401);
    assertThat(narrow.headers().firstValue("WWW-Authenticate").orElseThrow())
        .endsWith(
            "scope=\"repository:team/app:pull,push repository:team/base:pull\","
                + "error=\"insufficient_scope\"");
    // With both scopes the mount is tried (the blob is unknown here: an upload opens).
    String wide = token("alice", "repository:team/app:pull,push&scope=repository:team/base:pull");
    assertThat(post(mount, wide).statusCode()).isEqualTo(202);
    // bob may not pull the source: no challenge that would only fail again, an upload opens.
    assertThat(post(mount, token("bob", "repository:team/app:pull,push")).statusCode())
        .isEqualTo(202);
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.baseUri().resolve(path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tokenEndpointGrantsOnlyWhatTheRulesAllow() throws Exception {
    startTokenMode("user:alice ** pull,push", "user:bob team/* pull");
    String token = token("bob", "repository:team/app:pull,push");

    HttpRequest push =
        HttpRequest.newBuilder(server.baseUri().resolve("/v2/team/app/blobs/uploads/"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(http.send(push, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
    assertThat(get("/token?scope=x:y:pull", basic("bob", "wrong")).statusCode()).isEqualTo(401);
  }

  @Test
  void expiredForgedUnsignedEmbeddedKeyAndWrongAudienceTokensAreRefused() throws Exception {
    startTokenMode();
    Instant now = Instant.now();
    JWSHeader plain = new JWSHeader.Builder(JWSAlgorithm.ES256).build();
    TokenService past =
        new TokenService(
            new ECKey.Builder(key).keyID(null).build(),
            "ocireg",
            "ocireg",
            Duration.ofMinutes(5),
            List.of(),
            Optional.empty(),
            Clock.fixed(now.minusSeconds(3600), ZoneOffset.UTC));
    String expired =
        past.issue(
            "alice", List.of(Scope.parse("repository:team/app:pull")), now.minusSeconds(3600));
    ECKey other = (ECKey) TokenService.generate();
    String forged = signed(JWSAlgorithm.ES256, other, claims(now, "ocireg", "team/app"), plain);
    String wrongAudience =
        signed(JWSAlgorithm.ES256, key, claims(now, "elsewhere", "team/app"), plain);
    JWSHeader embedded = new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(other.toPublicJWK()).build();
    String embeddedKey =
        signed(JWSAlgorithm.ES256, other, claims(now, "ocireg", "team/app"), embedded);
    String b64 =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
    String none = b64 + "." + claims(now, "ocireg", "team/app").toPayload().toBase64URL() + ".";
    String good = signed(JWSAlgorithm.ES256, key, claims(now, "ocireg", "team/app"), plain);

    assertThat(get("/v2/team/app/tags/list", "Bearer " + good).statusCode()).isEqualTo(404);
    for (String bad : List.of(expired, forged, wrongAudience, embeddedKey, none)) {
      assertThat(get("/v2/team/app/tags/list", "Bearer " + bad).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void corsPreflightIsAnsweredForAllowedOriginsOnlyAndResponsesExposeRegistryHeaders()
      throws Exception {
    server =
        OciRegistryServer.builder()
            .security(
                SecurityOptions.defaults()
                    .withCors(
                        SecurityOptions.CorsOptions.none()
                            .withOrigins(List.of("https://ui.example"))))
            .start();

    HttpResponse<String> allowed =
        http.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/v2/team/app/tags/list"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://ui.example")
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "authorization")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://ui.example");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("DELETE");

    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/v2/team/app/tags/list"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));

    HttpResponse<String> actual =
        http.send(
            HttpRequest.newBuilder(server.baseUri().resolve("/v2/team/app/tags/list"))
                .header("Origin", "https://ui.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(actual.statusCode()).isEqualTo(404);
    assertThat(actual.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("https://ui.example");
    assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains(
            "Docker-Content-Digest",
            "Location",
            "Range",
            "Link",
            "OCI-Subject",
            "OCI-Filters-Applied");
  }

  @Test
  void servesHttpsWithHttp2FromPemFiles() throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.create();
    KeyPair pair = tls.keys();
    X509Certificate cert = tls.certificate();
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    for (var e :
        java.util.Map.of(
                certFile, (Object) cert, keyFile, new JcaPKCS8Generator(pair.getPrivate(), null))
            .entrySet()) {
      try (StringWriter w = new StringWriter();
          JcaPEMWriter pem = new JcaPEMWriter(w)) {
        pem.writeObject(e.getValue());
        pem.flush();
        Files.writeString(e.getKey(), w.toString());
      }
    }
    server =
        OciRegistryServer.builder()
            .security(
                SecurityOptions.defaults()
                    .withTls(
                        SecurityOptions.TlsOptions.none()
                            .withCertificate(certFile)
                            .withPrivateKey(keyFile)))
            .start();
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        new SecureRandom());
    http = HttpClient.newBuilder().sslContext(trustAll).build();

    HttpResponse<String> r = get("/v2/", null);

    assertThat(server.baseUri().getScheme()).isEqualTo("https");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
  }
}
