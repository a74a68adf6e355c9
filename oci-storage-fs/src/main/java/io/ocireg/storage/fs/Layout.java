package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.StorageException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where everything lives under the storage root. Every path is built here, from validated values
 * only, one checked segment at a time, and checked again to stay under the root.
 *
 * <pre>
 * root/
 *   blobs/&lt;alg&gt;/&lt;first 2 chars of encoded&gt;/&lt;encoded&gt;     blob content
 *   uploads/&lt;id&gt;/info                                    repository and start time
 *   uploads/&lt;id&gt;/data                                    bytes received so far
 *   repositories/&lt;name, one dir per component&gt;/
 *     _manifests/&lt;alg&gt;/&lt;encoded&gt;                         header line + raw manifest bytes
 *     _tags/&lt;tag&gt;                                         digest + update time
 *     _links/&lt;alg&gt;/&lt;encoded&gt;                             blob link (holds the digest)
 *     _referrers/&lt;alg&gt;/&lt;encoded&gt;/&lt;alg&gt;/&lt;encoded&gt;        referrer descriptor JSON
 *     &lt;child component&gt;/...                              nested repositories
 *   tmp/                                                 temp files, same filesystem
 * </pre>
 *
 * <p>Repository components never start with {@code _} (name grammar), so the {@code _} entries
 * cannot collide with child repositories.
 */
final class Layout {
  static final String BLOBS = "blobs";
  static final String UPLOADS = "uploads";
  static final String REPOSITORIES = "repositories";
  static final String TMP = "tmp";

  static final String MANIFESTS = "_manifests";
  static final String TAGS = "_tags";
  static final String LINKS = "_links";
  static final String REFERRERS = "_referrers";

  static final String UPLOAD_INFO = "info";
  static final String UPLOAD_DATA = "data";

  /** Union of the alphabets of repository components, tags, digest algorithms and encodings. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_=+.-]{1,255}");

  /** Upload ids are random UUIDs in their canonical lowercase form; nothing else is looked up. */
  private static final Pattern UPLOAD_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final Pattern REPOSITORY_COMPONENT = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  final Path root;
  final Path blobs;
  final Path uploads;
  final Path repositories;
  final Path tmp;

  Layout(Path root) {
    this.root = root;
    this.blobs = root.resolve(BLOBS);
    this.uploads = root.resolve(UPLOADS);
    this.repositories = root.resolve(REPOSITORIES);
    this.tmp = root.resolve(TMP);
  }

  // ---- blobs ------------------------------------------------------------------------------

  Path blob(Digest digest) {
    return resolve(blobs, digest.algorithm(), shard(digest.encoded()), digest.encoded());
  }

  /** Blobs are sharded by a prefix of the encoded hash to keep directories small. */
  static String shard(String encoded) {
    return encoded.substring(0, Math.min(2, encoded.length()));
  }

  // ---- uploads ----------------------------------------------------------------------------

  static boolean isUploadId(String id) {
    return id != null && UPLOAD_ID.matcher(id).matches();
  }

  /** The session directory, or empty when {@code id} is not a well-formed upload id. */
  Optional<Path> upload(String id) {
    return isUploadId(id) ? Optional.of(resolve(uploads, id)) : Optional.empty();
  }

  // ---- repositories -----------------------------------------------------------------------

  Path repository(RepositoryName name) {
    String[] components = name.value().split("/", -1);
    for (String c : components) {
      // The grammar already guarantees this; the check keeps "_manifests" & co. unreachable.
      if (!REPOSITORY_COMPONENT.matcher(c).matches()) {
        throw unsafe(c);
      }
    }
    return resolve(repositories, components);
  }

  /** Whether {@code name} can be a directory of one repository name component. */
  static boolean isRepositoryComponent(String name) {
    return REPOSITORY_COMPONENT.matcher(name).matches() && RepositoryName.isValid(name);
  }

  Path manifests(RepositoryName repository) {
    return resolve(repository(repository), MANIFESTS);
  }

  Path manifest(RepositoryName repository, Digest digest) {
    return resolve(manifests(repository), digest.algorithm(), digest.encoded());
  }

  Path tags(RepositoryName repository) {
    return resolve(repository(repository), TAGS);
  }

  Path tag(RepositoryName repository, Tag tag) {
    return resolve(tags(repository), tag.value());
  }

  Path links(RepositoryName repository) {
    return resolve(repository(repository), LINKS);
  }

  Path link(RepositoryName repository, Digest digest) {
    return resolve(links(repository), digest.algorithm(), digest.encoded());
  }

  Path referrers(RepositoryName repository, Digest subject) {
    return resolve(repository(repository), REFERRERS, subject.algorithm(), subject.encoded());
  }

  Path referrer(RepositoryName repository, Digest subject, Digest referrer) {
    return resolve(referrers(repository, subject), referrer.algorithm(), referrer.encoded());
  }

  // ---- the one place paths are made -------------------------------------------------------

  /** {@code base} plus checked segments; never leaves {@code base} (which is under the root). */
  Path resolve(Path base, String... segments) {
    Path p = base;
    for (String s : segments) {
      if (!isSafeSegment(s)) {
        throw unsafe(s);
      }
      p = p.resolve(s);
    }
    Path normalized = p.normalize();
    if (!normalized.startsWith(base) || !normalized.startsWith(root)) {
      throw unsafe(String.join("/", segments));
    }
    return normalized;
  }

  static boolean isSafeSegment(String s) {
    return s != null && SEGMENT.matcher(s).matches() && !s.equals(".") && !s.equals("..");
  }

  private static StorageException unsafe(String segment) {
    return new StorageException("refusing unsafe storage path segment: " + segment);
  }
}
