package io.ocireg.storage;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.time.Instant;
import java.util.List;
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

  /**
   * Records that a repository holds a blob, as {@link #linkBlob(RepositoryName, Digest)}, and that
   * the link was written or reused at {@code at}: afterwards {@link #blobLinkedAt} is at least
   * {@code at}. Garbage collection never removes a link written within its grace period. The
   * default records no time.
   */
  default void linkBlob(RepositoryName repository, Digest digest, Instant at) {
    linkBlob(repository, digest);
  }

  /**
   * When the link of {@code digest} in {@code repository} was last written (created or renewed by
   * {@link #linkBlob(RepositoryName, Digest, Instant)}), or empty when there is no such link. The
   * default, for backends that keep no time, answers {@link Instant#MAX} for every link, which
   * keeps garbage collection from ever removing one.
   */
  default Optional<Instant> blobLinkedAt(RepositoryName repository, Digest digest) {
    return isBlobLinked(repository, digest) ? Optional.of(Instant.MAX) : Optional.empty();
  }

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

  /**
   * Frees what is left of a repository that no longer {@linkplain #repositoryExists exists} (no
   * manifest, tag or blob link): its referrer entries and any structure a backend keeps for it.
   * Returns false, and changes nothing, while it still holds a manifest, tag or blob link; true
   * otherwise. Repositories nested under its name are not touched. A write to the repository racing
   * with this call either completes (and the repository exists again) or fails; it is never
   * acknowledged and then lost. The default frees nothing and answers whether it could.
   */
  default boolean pruneRepository(RepositoryName repository) {
    return !repositoryExists(repository);
  }

  /**
   * Frees, as {@link #pruneRepository} would, what is left of every repository that no longer
   * exists and that {@link #listRepositories} therefore no longer names, such as the remains of a
   * collection that was interrupted after it emptied a repository and before it pruned it. Returns
   * the repositories whose remains were freed. The default keeps no remains and frees nothing.
   */
  default List<RepositoryName> pruneRepositoryRemains() {
    return List.of();
  }
}
