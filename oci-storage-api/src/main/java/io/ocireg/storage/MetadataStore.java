package io.ocireg.storage;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.util.Optional;

/**
 * Small per-repository records: manifests (raw bytes), tags, blob links and referrer entries. Every
 * write is atomic and durable when it returns; listings are sorted by the items' wire form and
 * paginated with an exclusive {@code after}.
 *
 * <p>A repository exists while it holds at least one manifest, tag or blob link.
 */
public interface MetadataStore {

  // ---- manifests ------------------------------------------------------------------------

  /** Stores a manifest in a repository; storing the same digest again replaces the record. */
  void putManifest(RepositoryName repository, ManifestRecord manifest);

  Optional<ManifestRecord> getManifest(RepositoryName repository, Digest digest);

  /** Removes the manifest record (not its tags or referrer entries); returns whether it existed. */
  boolean deleteManifest(RepositoryName repository, Digest digest);

  Page<Digest> listManifests(RepositoryName repository, Optional<Digest> after, int limit);

  // ---- tags -----------------------------------------------------------------------------

  void putTag(RepositoryName repository, TagRecord tag);

  Optional<TagRecord> getTag(RepositoryName repository, Tag tag);

  boolean deleteTag(RepositoryName repository, Tag tag);

  /** Tags in lexical order after {@code after}. */
  Page<TagRecord> listTags(RepositoryName repository, Optional<Tag> after, int limit);

  // ---- blob links -----------------------------------------------------------------------

  /** Records that a repository holds a blob (pushed or mounted there). Idempotent. */
  void linkBlob(RepositoryName repository, Digest digest);

  boolean isBlobLinked(RepositoryName repository, Digest digest);

  boolean unlinkBlob(RepositoryName repository, Digest digest);

  Page<Digest> listBlobLinks(RepositoryName repository, Optional<Digest> after, int limit);

  // ---- referrers ------------------------------------------------------------------------

  /**
   * Records {@code referrer} (the descriptor of a manifest whose {@code subject} is {@code
   * subject}) in a repository. Idempotent per referrer digest.
   */
  void putReferrer(RepositoryName repository, Digest subject, Descriptor referrer);

  boolean deleteReferrer(RepositoryName repository, Digest subject, Digest referrer);

  /** Referrers of {@code subject}, ordered by referrer digest, after {@code after}. */
  Page<Descriptor> listReferrers(
      RepositoryName repository, Digest subject, Optional<Digest> after, int limit);

  // ---- repositories ---------------------------------------------------------------------

  boolean repositoryExists(RepositoryName repository);

  /** Repositories in lexical order after {@code after}. */
  Page<RepositoryName> listRepositories(Optional<RepositoryName> after, int limit);
}
