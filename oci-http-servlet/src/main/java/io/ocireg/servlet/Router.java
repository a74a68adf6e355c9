package io.ocireg.servlet;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the raw (still percent-encoded) request path {@code /v2/...} into a {@link Route}.
 *
 * <p>Repository names contain {@code /} and every endpoint keyword ({@code blobs}, {@code uploads},
 * {@code manifests}, {@code tags}, {@code list}, {@code referrers}) is itself a valid name
 * component, so {@code a/blobs/b} is a legal name. Every endpoint ends in a fixed number of
 * segments, so the endpoint is read from the tail of the path and everything before it is the name:
 * this is the split at the last keyword occurrence that leaves a name. The tails cannot be confused
 * with each other: {@code blobs/uploads/<id>} has {@code uploads} second to last, which no
 * two-segment tail ({@code blobs|manifests|referrers/<x>}, {@code tags/list}) has.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#endpoints">
 *     distribution-spec: endpoints</a>
 */
final class Router {
  private Router() {}

  /**
   * The route of {@code apiPath} (which starts at {@code /v2}); empty when no endpoint has this
   * shape. Throws {@code NAME_INVALID} for encoded slashes, dot segments, empty segments and
   * malformed escapes anywhere in the path, and for a name outside the grammar.
   */
  static Optional<Route> route(String apiPath) {
    if (!apiPath.equals("/v2") && !apiPath.startsWith("/v2/")) {
      return Optional.empty();
    }
    String lower = apiPath.toLowerCase(Locale.ROOT);
    // An encoded separator would let a segment smuggle a path into a name, tag or upload id.
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
      throw invalidPath("encoded separator in path");
    }
    String rest = apiPath.substring(3);
    if (rest.isEmpty() || rest.equals("/")) {
      return Optional.of(new Route(Endpoint.BASE, Optional.empty(), ""));
    }
    String[] raw = rest.substring(1).split("/", -1);
    String[] segs = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      segs[i] = decode(raw[i]);
      if (segs[i].equals(".") || segs[i].equals("..")) {
        throw invalidPath("dot segment in path");
      }
      if (segs[i].isEmpty() && i < raw.length - 1) {
        throw invalidPath("empty segment in path");
      }
      if (segs[i].indexOf('\\') >= 0) {
        throw invalidPath("backslash in path");
      }
    }
    int n = segs.length;
    if (n == 1 && segs[0].equals("_catalog")) {
      return Optional.of(new Route(Endpoint.CATALOG, Optional.empty(), ""));
    }
    if (n >= 4 && segs[n - 3].equals("blobs") && segs[n - 2].equals("uploads")) {
      Endpoint e = segs[n - 1].isEmpty() ? Endpoint.UPLOAD_START : Endpoint.UPLOAD;
      return Optional.of(new Route(e, Optional.of(name(segs, n - 3)), segs[n - 1]));
    }
    if (n >= 3 && segs[n - 2].equals("blobs") && segs[n - 1].equals("uploads")) {
      // Without the trailing slash; clients send it, but nothing else can live here.
      return Optional.of(new Route(Endpoint.UPLOAD_START, Optional.of(name(segs, n - 2)), ""));
    }
    if (n >= 3 && !segs[n - 1].isEmpty()) {
      Endpoint e =
          switch (segs[n - 2]) {
            case "blobs" -> Endpoint.BLOB;
            case "manifests" -> Endpoint.MANIFEST;
            case "referrers" -> Endpoint.REFERRERS;
            case "tags" -> segs[n - 1].equals("list") ? Endpoint.TAGS : null;
            default -> null;
          };
      if (e != null) {
        String arg = e == Endpoint.TAGS ? "" : segs[n - 1];
        return Optional.of(new Route(e, Optional.of(name(segs, n - 2)), arg));
      }
    }
    return Optional.empty();
  }

  private static RepositoryName name(String[] segs, int end) {
    return RepositoryName.parse(String.join("/", Arrays.asList(segs).subList(0, end)));
  }

  /** Strict percent-decoding of one segment as UTF-8; {@code +} stays a plus in a path. */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          throw invalidPath("malformed escape in path");
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw invalidPath("malformed escape in path");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        // A raw request target is ASCII (RFC 3986); anything else was never a valid URI.
        throw invalidPath("non-ASCII character in path");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw invalidPath("escape in path is not UTF-8");
    }
  }

  private static RegistryException invalidPath(String detail) {
    return new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name", detail);
  }
}
