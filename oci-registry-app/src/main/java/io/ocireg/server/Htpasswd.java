package io.ocireg.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of an htpasswd file with bcrypt entries, as {@code htpasswd -B} writes them ({@code
 * user:$2y$10$...}). Any other hash kind (MD5 {@code $apr1$}, SHA1 {@code {SHA}}, crypt, plain) is
 * refused with the number of the line. The file is checked for a change of modification time or
 * size at most once a second and read again when it changed; a file that became invalid keeps the
 * previous users (and says so in the log), so that an edit in progress never locks everybody out.
 *
 * @see <a href="https://httpd.apache.org/docs/2.4/programs/htpasswd.html">htpasswd</a>
 */
final class Htpasswd {
  private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
  private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  /** The users and their hashes, with the cost of the most expensive hash. */
  record Users(Map<String, String> hashes, int maxCost) {}

  private final Path file;
  private final Clock clock;
  private volatile Users users;
  private Instant lastCheck;
  private Instant mtime;
  private long size;

  private Htpasswd(Path file, Clock clock, Users users, Instant mtime, long size) {
    this.file = file;
    this.clock = clock;
    this.users = users;
    this.lastCheck = clock.instant();
    this.mtime = mtime;
    this.size = size;
  }

  /** Reads {@code file}; {@link IllegalArgumentException} with a one-line reason when invalid. */
  static Htpasswd load(Path file, Clock clock) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Users users = parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
      return new Htpasswd(file, clock, users, a.lastModifiedTime().toInstant(), a.size());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read htpasswd file " + file + ": " + e, e);
    }
  }

  /** The current users, read again first when the file changed. */
  Users users() {
    refreshIfChanged();
    return users;
  }

  private synchronized void refreshIfChanged() {
    Instant now = clock.instant();
    if (now.isBefore(lastCheck.plus(CHECK_INTERVAL))) {
      return;
    }
    lastCheck = now;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Instant m = a.lastModifiedTime().toInstant();
      if (m.equals(mtime) && a.size() == size) {
        return;
      }
      mtime = m;
      size = a.size();
      users = parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
      LOG.info("htpasswd file {} read again: {} users", file, users.hashes().size());
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "htpasswd file {} not read again, keeping the previous users: {}", file, e.getMessage());
    }
  }

  static Users parse(Path file, List<String> lines) {
    Map<String, String> hashes = new LinkedHashMap<>();
    int maxCost = 4;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = "htpasswd file " + file + " line " + (i + 1);
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(where + ": not 'user:hash'");
      }
      String user = line.substring(0, colon);
      String hash = line.substring(colon + 1);
      var m = BCRYPT.matcher(hash);
      if (!m.matches()) {
        // Never quote the hash: it is a credential too.
        throw new IllegalArgumentException(
            where
                + ": the entry of user '"
                + user
                + "' is not a bcrypt hash ($2y$, $2a$ or $2b$); create it with htpasswd -B");
      }
      maxCost = Math.max(maxCost, Integer.parseInt(m.group(1)));
      if (hashes.putIfAbsent(user, hash) != null) {
        throw new IllegalArgumentException(where + ": user '" + user + "' appears twice");
      }
    }
    return new Users(Map.copyOf(hashes), maxCost);
  }
}
