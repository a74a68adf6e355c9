package io.ocireg.ui;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The page's static files, from the class path folder {@code io/ocireg/ui/assets/} of this module's
 * jar: the only HTML the UI ever serves. Names are plain file names with a known extension; each
 * file is read once and then served from memory with an ETag.
 */
final class Assets {
  static final String FOLDER = "assets/";

  /** A plain file name: no separators, no leading dot, a known extension. */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,100}\\.(html|css|js|svg|png|ico)");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");

  private record Asset(byte[] content, String type, String etag) {}

  // Found files only: names of missing ones are caller input and must not fill memory.
  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

  /** Serves file {@code name}; false when there is no such asset. */
  boolean serve(String name, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!NAME.matcher(name).matches()) {
      return false;
    }
    Asset a;
    try {
      a = loaded.computeIfAbsent(name, n -> load(n).orElse(null));
    } catch (UncheckedIOException e) {
      // Our own jar cannot be read: a server failure, not a client that went away.
      throw new IllegalStateException("cannot read asset " + name, e);
    }
    if (a == null) {
      return false;
    }
    // Revalidated on every use: a new version of the server never runs with old scripts.
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("ETag", a.etag());
    String match = request.getHeader("If-None-Match");
    if (match != null && (match.equals(a.etag()) || match.equals("W/" + a.etag()))) {
      response.setStatus(304);
      return true;
    }
    Responses.bytes(request, response, 200, a.type(), a.content());
    return true;
  }

  private static Optional<Asset> load(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    try (InputStream in = UiServlet.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] content = in.readAllBytes();
      return Optional.of(new Asset(content, TYPES.get(extension), etag(content)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] content) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
      return "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
