package io.ocireg.server;

import io.ocireg.core.auth.AccessRule;
import io.ocireg.core.auth.AccessRules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Access control, TLS and CORS of a server. With neither an htpasswd file, nor token mode, nor
 * builder users, the registry is open to everybody (and the rules do not apply).
 *
 * @param htpasswd the htpasswd file (bcrypt entries) of the users who log in
 * @param realm the realm of the Basic challenge
 * @param anonymousPull whether callers without credentials may pull everything
 * @param rules the access rules; empty for the defaults ({@link AccessRules#defaults})
 * @param groups the members of each group the rules name
 * @param maxFailures failed authentications per client address or user in {@code failureWindow}
 *     before 429
 * @param failureWindow the sliding window of {@code maxFailures}
 * @param token token authentication (off by default)
 * @param tls HTTPS (off by default)
 * @param cors cross-origin access for browsers (nobody by default)
 */
public record SecurityOptions(
    Optional<Path> htpasswd,
    String realm,
    boolean anonymousPull,
    List<AccessRule> rules,
    Map<String, Set<String>> groups,
    int maxFailures,
    Duration failureWindow,
    TokenOptions token,
    TlsOptions tls,
    CorsOptions cors) {

  public SecurityOptions {
    Objects.requireNonNull(htpasswd, "htpasswd");
    Objects.requireNonNull(realm, "realm");
    rules = List.copyOf(rules);
    groups = Map.copyOf(groups);
    Objects.requireNonNull(failureWindow, "failureWindow");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(cors, "cors");
    if (realm.isBlank() || realm.contains("\"")) {
      throw new IllegalArgumentException("the realm is not empty and has no quote");
    }
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be positive");
    }
    if (failureWindow.isZero() || failureWindow.isNegative()) {
      throw new IllegalArgumentException("failureWindow must be positive");
    }
  }

  /** No access control, no TLS, no CORS. */
  public static SecurityOptions defaults() {
    return new SecurityOptions(
        Optional.empty(),
        "ocireg",
        false,
        List.of(),
        Map.of(),
        10,
        Duration.ofMinutes(1),
        TokenOptions.defaults(),
        TlsOptions.none(),
        CorsOptions.none());
  }

  /** The rules in force: the configured ones, or the defaults. */
  public AccessRules effectiveRules() {
    if (rules.isEmpty()) {
      return AccessRules.defaults(anonymousPull);
    }
    List<AccessRule> all = new ArrayList<>(rules);
    if (anonymousPull) {
      all.add(AccessRules.anonymousPull());
    }
    return AccessRules.of(all);
  }

  /** The groups of {@code user}. */
  public Set<String> groupsOf(String user) {
    Set<String> of = new java.util.TreeSet<>();
    groups.forEach(
        (g, members) -> {
          if (members.contains(user)) {
            of.add(g);
          }
        });
    return Set.copyOf(of);
  }

  public SecurityOptions withHtpasswd(Optional<Path> file) {
    return new SecurityOptions(
        file, realm, anonymousPull, rules, groups, maxFailures, failureWindow, token, tls, cors);
  }

  public SecurityOptions withRealm(String realm) {
    return new SecurityOptions(
        htpasswd,
        realm,
        anonymousPull,
        rules,
        groups,
        maxFailures,
        failureWindow,
        token,
        tls,
        cors);
  }

  public SecurityOptions withAnonymousPull(boolean on) {
    return new SecurityOptions(
        htpasswd, realm, on, rules, groups, maxFailures, failureWindow, token, tls, cors);
  }

  public SecurityOptions withRules(List<AccessRule> rules) {
    return new SecurityOptions(
        htpasswd,
        realm,
        anonymousPull,
        rules,
        groups,
        maxFailures,
        failureWindow,
        token,
        tls,
        cors);
  }

  public SecurityOptions withGroups(Map<String, Set<String>> groups) {
    return new SecurityOptions(
        htpasswd,
        realm,
        anonymousPull,
        rules,
        groups,
        maxFailures,
        failureWindow,
        token,
        tls,
        cors);
  }

  public SecurityOptions withThrottling(int maxFailures, Duration window) {
    return new SecurityOptions(
        htpasswd, realm, anonymousPull, rules, groups, maxFailures, window, token, tls, cors);
  }

  public SecurityOptions withToken(TokenOptions token) {
    return new SecurityOptions(
        htpasswd,
        realm,
        anonymousPull,
        rules,
        groups,
        maxFailures,
        failureWindow,
        token,
        tls,
        cors);
  }

  public SecurityOptions withTls(TlsOptions tls) {
    return new SecurityOptions(
        htpasswd,
        realm,
        anonymousPull,
        rules,
        groups,
        maxFailures,
        failureWindow,
        token,
        tls,
        cors);
  }

  public SecurityOptions withCors(CorsOptions cors) {
    return new SecurityOptions(
        htpasswd,
        realm,
        anonymousPull,
        rules,
        groups,
        maxFailures,
        failureWindow,
        token,
        tls,
        cors);
  }

  /**
   * Token authentication per the Docker registry token specification.
   *
   * @param enabled whether clients authenticate with tokens from {@code /token} (Basic credentials
   *     are then accepted only by the token endpoint)
   * @param signingKey a PEM private key (EC P-256 or RSA) that signs the tokens; empty generates
   *     one at start (tokens then do not survive a restart, which short-lived tokens need not)
   * @param issuer the {@code iss} of issued tokens
   * @param service the {@code service} of the challenge and the {@code aud} of tokens
   * @param lifetime how long an issued token is valid
   * @param realm the URL of the token endpoint in challenges; empty for {@code /token} on the host
   *     the request came to
   * @param trustedKeys a PEM public key or a JWKS file of an external issuer whose tokens are
   *     accepted too
   * @param trustedIssuer the {@code iss} tokens signed by {@code trustedKeys} must carry
   * @see <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker registry
   *     token authentication</a>
   */
  public record TokenOptions(
      boolean enabled,
      Optional<Path> signingKey,
      String issuer,
      String service,
      Duration lifetime,
      Optional<String> realm,
      Optional<Path> trustedKeys,
      Optional<String> trustedIssuer) {

    public TokenOptions {
      Objects.requireNonNull(signingKey, "signingKey");
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(lifetime, "lifetime");
      Objects.requireNonNull(realm, "realm");
      Objects.requireNonNull(trustedKeys, "trustedKeys");
      Objects.requireNonNull(trustedIssuer, "trustedIssuer");
      if (lifetime.isZero() || lifetime.isNegative()) {
        throw new IllegalArgumentException("token lifetime must be positive");
      }
      if (service.contains("\"") || issuer.isBlank() || service.isBlank()) {
        throw new IllegalArgumentException("token issuer and service are not empty, no quotes");
      }
    }

    /** Off; issuer and service {@code ocireg}, five-minute tokens. */
    public static TokenOptions defaults() {
      return new TokenOptions(
          false,
          Optional.empty(),
          "ocireg",
          "ocireg",
          Duration.ofMinutes(5),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());
    }

    public TokenOptions withEnabled(boolean on) {
      return new TokenOptions(
          on, signingKey, issuer, service, lifetime, realm, trustedKeys, trustedIssuer);
    }

    public TokenOptions withSigningKey(Optional<Path> key) {
      return new TokenOptions(
          enabled, key, issuer, service, lifetime, realm, trustedKeys, trustedIssuer);
    }

    public TokenOptions withIssuer(String issuer) {
      return new TokenOptions(
          enabled, signingKey, issuer, service, lifetime, realm, trustedKeys, trustedIssuer);
    }

    public TokenOptions withService(String service) {
      return new TokenOptions(
          enabled, signingKey, issuer, service, lifetime, realm, trustedKeys, trustedIssuer);
    }

    public TokenOptions withLifetime(Duration lifetime) {
      return new TokenOptions(
          enabled, signingKey, issuer, service, lifetime, realm, trustedKeys, trustedIssuer);
    }

    public TokenOptions withRealm(Optional<String> realm) {
      return new TokenOptions(
          enabled, signingKey, issuer, service, lifetime, realm, trustedKeys, trustedIssuer);
    }

    public TokenOptions withTrustedKeys(Optional<Path> keys) {
      return new TokenOptions(
          enabled, signingKey, issuer, service, lifetime, realm, keys, trustedIssuer);
    }

    public TokenOptions withTrustedIssuer(Optional<String> trusted) {
      return new TokenOptions(
          enabled, signingKey, issuer, service, lifetime, realm, trustedKeys, trusted);
    }
  }

  /**
   * HTTPS: a PEM certificate chain and private key, or a PKCS12 keystore.
   *
   * @param certificate PEM certificate chain
   * @param privateKey PEM private key (PKCS#8, or PKCS#1 / SEC1)
   * @param keystore PKCS12 keystore
   * @param keystorePassword its password
   */
  public record TlsOptions(
      Optional<Path> certificate,
      Optional<Path> privateKey,
      Optional<Path> keystore,
      Optional<String> keystorePassword) {

    public TlsOptions {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(keystorePassword, "keystorePassword");
    }

    /** Plain HTTP. */
    public static TlsOptions none() {
      return new TlsOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether HTTPS is configured. */
    public boolean enabled() {
      return certificate.isPresent() || keystore.isPresent();
    }

    /** A one-line reason when the combination is incomplete or ambiguous. */
    public Optional<String> problem() {
      if (certificate.isPresent() != privateKey.isPresent()) {
        return Optional.of("--tls-cert and --tls-key go together");
      }
      if (certificate.isPresent() && keystore.isPresent()) {
        return Optional.of("either --tls-cert/--tls-key or --tls-keystore, not both");
      }
      return Optional.empty();
    }

    public TlsOptions withCertificate(Path p) {
      return new TlsOptions(Optional.of(p), privateKey, keystore, keystorePassword);
    }

    public TlsOptions withPrivateKey(Path p) {
      return new TlsOptions(certificate, Optional.of(p), keystore, keystorePassword);
    }

    public TlsOptions withKeystore(Path p) {
      return new TlsOptions(certificate, privateKey, Optional.of(p), keystorePassword);
    }

    public TlsOptions withKeystorePassword(String password) {
      return new TlsOptions(certificate, privateKey, keystore, Optional.of(password));
    }

    @Override
    public String toString() {
      // Never the password.
      return "TlsOptions[certificate="
          + certificate
          + ", privateKey="
          + privateKey
          + ", keystore="
          + keystore
          + "]";
    }
  }

  /**
   * Cross-origin requests from browsers: only the listed origins, nothing by default.
   *
   * @param origins allowed origins such as {@code https://ui.example}; {@code *} allows any
   * @param methods methods a preflight may allow
   * @param headers request headers a preflight may allow
   * @param maxAge how long a browser may cache a preflight answer
   * @see <a href="https://fetch.spec.whatwg.org/#http-cors-protocol">Fetch: the CORS protocol</a>
   */
  public record CorsOptions(
      List<String> origins, List<String> methods, List<String> headers, Duration maxAge) {

    public CorsOptions {
      origins = List.copyOf(origins);
      methods = List.copyOf(methods);
      headers = List.copyOf(headers);
      Objects.requireNonNull(maxAge, "maxAge");
    }

    /** No origin allowed; the methods and headers a registry UI needs when one is. */
    public static CorsOptions none() {
      return new CorsOptions(
          List.of(),
          List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"),
          List.of("Authorization", "Content-Type", "Accept", "Range", "Content-Range"),
          Duration.ofMinutes(10));
    }

    public CorsOptions withOrigins(List<String> origins) {
      return new CorsOptions(origins, methods, headers, maxAge);
    }

    public CorsOptions withMethods(List<String> methods) {
      return new CorsOptions(origins, methods, headers, maxAge);
    }

    public CorsOptions withHeaders(List<String> headers) {
      return new CorsOptions(origins, methods, headers, maxAge);
    }

    public CorsOptions withMaxAge(Duration maxAge) {
      return new CorsOptions(origins, methods, headers, maxAge);
    }
  }
}
