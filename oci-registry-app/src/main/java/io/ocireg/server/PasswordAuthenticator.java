package io.ocireg.server;

import io.ocireg.core.auth.AuthRequest;
import io.ocireg.core.auth.AuthenticationException;
import io.ocireg.core.auth.Authenticator;
import io.ocireg.core.auth.BasicCredentials;
import io.ocireg.core.auth.Identity;
import io.ocireg.core.auth.Scope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * HTTP Basic authentication against bcrypt hashes (an htpasswd file, or the users of a test
 * server). An unknown user costs the same bcrypt work as a known one (a dummy hash of the highest
 * cost in use), and bcrypt's comparison is constant-time.
 *
 * <p>A client sends its credentials with every request, and bcrypt is slow on purpose, so a
 * successful check is remembered for a minute: as an HMAC of the password under a key that lives
 * only in this process, compared in constant time, and only while the user's hash is unchanged.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617: the Basic scheme</a>
 */
final class PasswordAuthenticator implements Authenticator {
  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private static final int REMEMBERED_USERS = 10_000;

  private record Remembered(String hash, byte[] mac, Instant until) {}

  private final Supplier<Htpasswd.Users> users;
  private final Function<String, Set<String>> groups;
  private final String realm;
  private final Clock clock;
  private final SecretKeySpec macKey;
  private final Map<Integer, String> dummies = new LinkedHashMap<>();
  private final LinkedHashMap<String, Remembered> remembered =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
          return size() > REMEMBERED_USERS;
        }
      };

  PasswordAuthenticator(
      Supplier<Htpasswd.Users> users,
      Function<String, Set<String>> groups,
      String realm,
      Clock clock) {
    this.users = users;
    this.groups = groups;
    this.realm = realm;
    this.clock = clock;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.macKey = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The users of a test server, given with their passwords: hashed once, cheaply. */
  static Htpasswd.Users hashed(Map<String, String> plain) {
    Map<String, String> hashes = new LinkedHashMap<>();
    plain.forEach((u, p) -> hashes.put(u, BCrypt.hashpw(p, BCrypt.gensalt(4))));
    return new Htpasswd.Users(Map.copyOf(hashes), 4);
  }

  @Override
  public Identity authenticate(AuthRequest request) {
    if (request.authorization().isEmpty()) {
      return Identity.anonymous();
    }
    Optional<BasicCredentials> basic = request.basic();
    if (basic.isEmpty()) {
      throw new AuthenticationException("not Basic credentials", null);
    }
    String user = basic.get().user();
    String password = basic.get().password();
    Htpasswd.Users current = users.get();
    String hash = current.hashes().get(user);
    if (hash != null && rememberedMatch(user, hash, password)) {
      return Identity.user(user, groups.apply(user));
    }
    boolean ok = check(password, hash != null ? hash : dummy(current.maxCost()));
    if (hash == null || !ok) {
      throw new AuthenticationException("wrong user name or password for " + user, user);
    }
    remember(user, hash, password);
    return Identity.user(user, groups.apply(user));
  }

  @Override
  public String challenge(AuthRequest request, List<Scope> scopes) {
    return "Basic realm=\"" + realm + "\"";
  }

  private static boolean check(String password, String hash) {
    try {
      return BCrypt.checkpw(password, hash);
    } catch (IllegalArgumentException e) {
      return false; // such as a password beyond bcrypt's 72 bytes
    }
  }

  private synchronized String dummy(int cost) {
    return dummies.computeIfAbsent(
        cost, c -> BCrypt.hashpw("not a password of anyone", BCrypt.gensalt(c)));
  }

  private synchronized boolean rememberedMatch(String user, String hash, String password) {
    Remembered r = remembered.get(user);
    if (r == null || !r.hash().equals(hash) || clock.instant().isAfter(r.until())) {
      return false;
    }
    return MessageDigest.isEqual(r.mac(), mac(user, password));
  }

  private synchronized void remember(String user, String hash, String password) {
    remembered.put(user, new Remembered(hash, mac(user, password), clock.instant().plus(REMEMBER)));
  }

  private byte[] mac(String user, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(macKey);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
