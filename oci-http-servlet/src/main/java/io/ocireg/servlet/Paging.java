package io.ocireg.servlet;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code n} / {@code last} pagination of tag, catalog and referrers listings, and the RFC 8288
 * {@code Link: <...>; rel="next"} header that points at the next page.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-tags">
 *     distribution-spec: listing tags</a>
 */
final class Paging {
  private Paging() {}

  /**
   * The {@code n} parameter as a number: a decimal integer, else 400. Values beyond {@code int}
   * become {@link Integer#MAX_VALUE} (negated for a negative one); what a number means, a negative
   * one included, is the engine's to say.
   */
  static Optional<Integer> n(Exchange exchange) {
    Optional<String> raw = exchange.param("n");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String s = raw.get();
    boolean negative = s.startsWith("-");
    String digits = negative ? s.substring(1) : s;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new RegistryException(
              ErrorCode.UNSUPPORTED, "n must be a non-negative integer", abbreviate(s))
          .withStatus(400);
    }
    digits = digits.replaceFirst("^0+(?=.)", "");
    int magnitude = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    return Optional.of(negative ? -magnitude : magnitude);
  }

  /**
   * A {@code Link} header value for the next page: {@code path} with the request's {@code n} (when
   * it gave one), {@code last} and any {@code extra} parameters.
   */
  static String nextLink(
      Exchange exchange,
      String apiPath,
      Optional<Integer> n,
      String last,
      Map<String, String> extra) {
    Map<String, String> params = new LinkedHashMap<>();
    n.ifPresent(v -> params.put("n", Integer.toString(v)));
    params.put("last", last);
    params.putAll(extra);
    String query =
        params.entrySet().stream()
            .map(e -> e.getKey() + "=" + Exchange.encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return "<" + exchange.url(apiPath) + "?" + query + ">; rel=\"next\"";
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
