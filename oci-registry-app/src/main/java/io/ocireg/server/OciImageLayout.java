package io.ocireg.server;

import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Imports an image from an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/<alg>/<hex>}, as skopeo, umoci, Jib or ORAS write it) into a repository of a
 * registry, through the engine: blobs first, then child manifests, then the manifest itself under
 * its digest and the tag.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/image-layout.md">
 *     image-spec: image layout</a>
 */
public final class OciImageLayout {
  /** The annotation that names an entry of {@code index.json}. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final Path root;

  private OciImageLayout(Path root) {
    this.root = root;
  }

  /** The layout in {@code directory}; nothing is read yet. */
  public static OciImageLayout at(Path directory) {
    return new OciImageLayout(directory);
  }

  /**
   * Imports one entry of {@code index.json} and tags it {@code tag} in {@code repository}: the
   * entry whose {@value #REF_NAME} is {@code tag}, else the only entry there is. Returns the digest
   * of the imported manifest or index.
   */
  public Digest importInto(Registry registry, RepositoryName repository, Tag tag) {
    Descriptor entry = select(readIndex().manifests(), tag);
    push(registry, repository, entry);
    registry.putManifest(repository, tag, entry.mediaType(), read(entry.digest()));
    return entry.digest();
  }

  private ImageIndex readIndex() {
    Path index = root.resolve("index.json");
    if (!Files.isRegularFile(index)) {
      throw new IllegalArgumentException("not an OCI image layout (no index.json): " + root);
    }
    try {
      return (ImageIndex) Manifest.parse(Files.readAllBytes(index), MediaType.OCI_INDEX);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index, e);
    }
  }

  private Descriptor select(List<Descriptor> entries, Tag tag) {
    Optional<Descriptor> named =
        entries.stream().filter(d -> tag.value().equals(d.annotations().get(REF_NAME))).findFirst();
    if (named.isPresent()) {
      return named.get();
    }
    if (entries.size() == 1) {
      return entries.get(0);
    }
    throw new IllegalArgumentException(
        root + "/index.json has " + entries.size() + " entries and none is named " + tag);
  }

  /** Pushes what {@code manifest} refers to, depth first, then the manifest by digest. */
  private void push(Registry registry, RepositoryName repository, Descriptor manifest) {
    byte[] bytes = read(manifest.digest());
    Manifest parsed = Manifest.parse(bytes, manifest.mediaType());
    for (Descriptor d : parsed.references()) {
      if (d.mediaType().isManifest()) {
        push(registry, repository, d);
      } else {
        pushBlob(registry, repository, d);
      }
    }
    registry.putManifest(repository, manifest.digest(), manifest.mediaType(), bytes);
  }

  private void pushBlob(Registry registry, RepositoryName repository, Descriptor d) {
    Path file = blobPath(d.digest());
    if (!Files.exists(file) && !d.urls().isEmpty()) {
      return; // a foreign layer: it lives at its urls, not in the layout
    }
    try (InputStream in = Files.newInputStream(file)) {
      registry.uploadWhole(repository, d.digest(), in, d.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + d.digest() + " of " + root, e);
    }
  }

  private byte[] read(Digest digest) {
    Path file = blobPath(digest);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private Path blobPath(Digest digest) {
    // Digest values are validated, so algorithm and hex can name no other path.
    Path blobs = root.resolve("blobs").normalize();
    Path file = blobs.resolve(digest.algorithm()).resolve(digest.encoded()).normalize();
    if (!file.startsWith(blobs)) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID, "digest escapes the layout", "" + digest);
    }
    return file;
  }
}
