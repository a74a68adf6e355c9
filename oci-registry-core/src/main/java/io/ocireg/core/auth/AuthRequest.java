package io.ocireg.core.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a request says about its caller, without any servlet type: the {@code Authorization} header,
 * the client address, and what the host already knows (a servlet host passes {@code
 * HttpServletRequest#getUserPrincipal()} and {@code isUserInRole}).
 *
 * @param authorization the value of the {@code Authorization} header, if any
 * @param clientAddress the client's address, for throttling repeated failures
 * @param baseUri where the request came in, such as {@code https://registry.example:5000}, for a
 *     challenge that points at a token endpoint on the same host
 * @param hostPrincipal the name of the user the host authenticated, if any
 * @param hostRole whether the host puts its user in a role (always false without a user)
 */
public record AuthRequest(
    Optional<String> authorization,
    String clientAddress,
    String baseUri,
    Optional<String> hostPrincipal,
    Predicate<String> hostRole) {

  public AuthRequest {
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(hostPrincipal, "hostPrincipal");
    Objects.requireNonNull(hostRole, "hostRole");
  }

  /** A request with only an {@code Authorization} header (or none) from {@code clientAddress}. */
  public static AuthRequest of(Optional<String> authorization, String clientAddress) {
    return new AuthRequest(
        authorization, clientAddress, "http://localhost", Optional.empty(), r -> false);
  }

  /** The credentials of a {@code Basic} header, if the request carries one that parses. */
  public Optional<BasicCredentials> basic() {
    return authorization.flatMap(BasicCredentials::parse);
  }

  /** The token of a {@code Bearer} header, if the request carries one. */
  public Optional<String> bearer() {
    return authorization
        .filter(h -> h.length() > 7 && h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).trim());
  }

  @Override
  public String toString() {
    // Never the header itself: it is a credential.
    return "AuthRequest[from " + clientAddress + "]";
  }
}
