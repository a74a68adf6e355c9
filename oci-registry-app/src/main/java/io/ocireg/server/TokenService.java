package io.ocireg.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ocireg.core.auth.Action;
import io.ocireg.core.auth.AuthenticationException;
import io.ocireg.core.auth.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies the registry's JWTs (Docker registry token specification): signed with ES256
 * (or RS256 for an RSA key), {@code iss}, {@code sub}, {@code aud} (the service), {@code exp},
 * {@code nbf}, {@code iat}, {@code jti} and the granted scopes in the {@code access} claim.
 *
 * <p>Verification trusts only keys configured here: the registry's own, and optionally those of an
 * external issuer. A token naming {@code alg: none} or an HMAC algorithm, or carrying its own key
 * ({@code jwk}, {@code x5c}, {@code jku}, {@code x5u}), is refused before any signature check.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/jwt/">Docker registry token
 *     authentication implementation</a>
 */
final class TokenService {
  /** Clock skew tolerated on {@code exp} and {@code nbf}. */
  static final Duration SKEW = Duration.ofSeconds(30);

  private static final Set<JWSAlgorithm> ACCEPTED =
      Set.of(
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512);

  /** A verified token: who, and what it grants. */
  record Verified(String subject, List<Scope> scopes) {}

  private final JWK signingKey;
  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;
  private final String issuer;
  private final String service;
  private final Duration lifetime;
  private final List<JWK> trustedKeys;
  private final Optional<String> trustedIssuer;
  private final Clock clock;

  TokenService(
      JWK signingKey,
      String issuer,
      String service,
      Duration lifetime,
      List<JWK> trustedKeys,
      Optional<String> trustedIssuer,
      Clock clock) {
    this.signingKey = signingKey;
    this.issuer = issuer;
    this.service = service;
    this.lifetime = lifetime;
    this.trustedKeys = List.copyOf(trustedKeys);
    this.trustedIssuer = trustedIssuer;
    this.clock = clock;
    try {
      if (signingKey instanceof ECKey ec) {
        this.signer = new ECDSASigner(ec);
        this.algorithm = JWSAlgorithm.ES256;
      } else if (signingKey instanceof RSAKey rsa) {
        this.signer = new RSASSASigner(rsa);
        this.algorithm = JWSAlgorithm.RS256;
      } else {
        throw new IllegalArgumentException("the token key is neither EC nor RSA");
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the token key cannot sign: " + e.getMessage(), e);
    }
  }

  /** The service from {@code options}, with its key loaded from a file or generated. */
  static TokenService create(SecurityOptions.TokenOptions options, Clock clock) {
    JWK key =
        options.signingKey().map(TokenService::readPrivateKey).orElseGet(TokenService::generate);
    List<JWK> trusted = options.trustedKeys().map(TokenService::readTrusted).orElse(List.of());
    if (!trusted.isEmpty() && options.trustedIssuer().isEmpty()) {
      throw new IllegalArgumentException("trusted token keys need the issuer they belong to");
    }
    return new TokenService(
        key,
        options.issuer(),
        options.service(),
        options.lifetime(),
        trusted,
        options.trustedIssuer(),
        clock);
  }

  static JWK generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a P-256 key", e);
    }
  }

  private static JWK readPrivateKey(Path file) {
    try {
      PrivateKey key = TlsContext.readKey(file);
      String kid = "ocireg-" + Integer.toHexString(java.util.Arrays.hashCode(key.getEncoded()));
      if (key instanceof ECPrivateKey ec) {
        // The public point is d times the generator; SEC1 and PKCS#8 files may omit it.
        org.bouncycastle.jce.spec.ECParameterSpec spec =
            org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util.convertSpec(ec.getParams());
        org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(ec.getS()).normalize();
        ECPublicKey pub =
            (ECPublicKey)
                KeyFactory.getInstance("EC")
                    .generatePublic(
                        new ECPublicKeySpec(
                            new ECPoint(
                                q.getAffineXCoord().toBigInteger(),
                                q.getAffineYCoord().toBigInteger()),
                            ec.getParams()));
        return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), pub)
            .privateKey(ec)
            .keyID(kid)
            .build();
      }
      if (key instanceof RSAPrivateCrtKey rsa) {
        RSAPublicKey pub =
            (RSAPublicKey)
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        return new RSAKey.Builder(pub).privateKey(rsa).keyID(kid).build();
      }
      throw new IllegalArgumentException("token key " + file + " is neither EC nor RSA");
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "token key " + file + " is not a PEM EC or RSA private key: " + e.getMessage(), e);
    }
  }

  private static List<JWK> readTrusted(Path file) {
    String text = read(file);
    try {
      if (text.trim().startsWith("{")) {
        return JWKSet.parse(text).getKeys().stream().map(JWK::toPublicJWK).toList();
      }
      return List.of(JWK.parseFromPEMEncodedObjects(text).toPublicJWK());
    } catch (JOSEException | ParseException e) {
      throw new IllegalArgumentException(
          "trusted token keys "
              + file
              + " are neither a JWKS nor a PEM public key: "
              + e.getMessage(),
          e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
  }

  String service() {
    return service;
  }

  Duration lifetime() {
    return lifetime;
  }

  /** The public key of the registry's own tokens as a JWKS, for issuers' clients that verify. */
  JWKSet publicKeys() {
    return new JWKSet(signingKey.toPublicJWK());
  }

  /** A signed token for {@code subject} granting {@code scopes}, issued now. */
  String issue(String subject, List<Scope> scopes, Instant now) {
    List<Object> access = new ArrayList<>();
    for (Scope s : scopes) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", s.type());
      entry.put("name", s.name());
      entry.put(
          "actions",
          s.isCatalog()
              ? List.of("*")
              : s.actions().stream().sorted().map(Action::wireName).toList());
      access.add(entry);
    }
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .audience(service)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .claim("access", access)
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).keyID(signingKey.getKeyID()).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /**
   * The subject and scopes of {@code token}; {@link AuthenticationException} (without the token in
   * its message) when it is not a token of a trusted issuer for this service, valid now.
   */
  Verified verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw new AuthenticationException("token is not a signed JWT", null);
    }
    JWSHeader header = jwt.getHeader();
    if (!ACCEPTED.contains(header.getAlgorithm())) {
      throw new AuthenticationException(
          "token algorithm " + header.getAlgorithm() + " refused", null);
    }
    if (header.getJWK() != null
        || header.getX509CertChain() != null
        || header.getJWKURL() != null
        || header.getX509CertURL() != null) {
      throw new AuthenticationException("token carries its own key; refused", null);
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException("token claims do not parse", null);
    }
    String iss = claims.getIssuer();
    List<JWK> keys;
    if (issuer.equals(iss)) {
      keys = List.of(signingKey.toPublicJWK());
    } else if (trustedIssuer.isPresent() && trustedIssuer.get().equals(iss)) {
      keys = trustedKeys;
    } else {
      throw new AuthenticationException("token issuer is not trusted", null);
    }
    if (!verifiesWithAny(jwt, keys)) {
      throw new AuthenticationException("token signature does not verify", null);
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null
        || now.isAfter(claims.getExpirationTime().toInstant().plus(SKEW))) {
      throw new AuthenticationException("token expired", claims.getSubject());
    }
    if (claims.getNotBeforeTime() != null
        && now.plus(SKEW).isBefore(claims.getNotBeforeTime().toInstant())) {
      throw new AuthenticationException("token not valid yet", claims.getSubject());
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(service)) {
      throw new AuthenticationException("token is for another service", claims.getSubject());
    }
    String subject = claims.getSubject() == null ? "" : claims.getSubject();
    return new Verified(subject, scopes(claims.getClaim("access")));
  }

  private static boolean verifiesWithAny(SignedJWT jwt, List<JWK> keys) {
    String kid = jwt.getHeader().getKeyID();
    for (JWK key : keys) {
      if (kid != null && key.getKeyID() != null && !kid.equals(key.getKeyID())) {
        continue;
      }
      try {
        JWSVerifier verifier;
        if (key instanceof ECKey ec
            && JWSAlgorithm.Family.EC.contains(jwt.getHeader().getAlgorithm())) {
          verifier = new ECDSAVerifier(ec);
        } else if (key instanceof RSAKey rsa
            && JWSAlgorithm.Family.RSA.contains(jwt.getHeader().getAlgorithm())) {
          verifier = new RSASSAVerifier(rsa);
        } else {
          continue;
        }
        if (jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException e) {
        // try the next key
      }
    }
    return false;
  }

  private static List<Scope> scopes(Object access) {
    List<Scope> scopes = new ArrayList<>();
    if (!(access instanceof List<?> list)) {
      return scopes;
    }
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m)) {
        continue;
      }
      Object type = m.get("type");
      Object name = m.get("name");
      Object actions = m.get("actions");
      if (!(type instanceof String t)
          || !(name instanceof String n)
          || !(actions instanceof List<?> a)) {
        continue;
      }
      try {
        String joined = String.join(",", a.stream().map(String::valueOf).toList());
        scopes.add(new Scope(t, n, Action.parseAll(joined)));
      } catch (IllegalArgumentException e) {
        // An action this registry does not know grants nothing.
      }
    }
    return scopes;
  }
}
