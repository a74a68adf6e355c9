package io.ocireg.junit5;

import io.ocireg.core.CatalogPage;
import io.ocireg.core.Registry;
import io.ocireg.core.TagPage;
import io.ocireg.server.Faults;
import io.ocireg.server.OciRegistryServer;
import io.ocireg.server.RequestJournal;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.Reference;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running test registry as a test sees it: where to reach it, whom it accepts, its journal and
 * faults, and its content read straight from the engine, without HTTP (so assertions do not go
 * through the code under test, nor show up in the journal).
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class OciRegistry {
  private final OciRegistryServer server;

  OciRegistry(OciRegistryServer server) {
    this.server = server;
  }

  /** Where clients reach the registry, such as {@code http://127.0.0.1:41234/}. */
  public URI baseUri() {
    return server.baseUri();
  }

  /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
  public String hostPort() {
    URI uri = server.baseUri();
    return uri.getHost() + ":" + uri.getPort();
  }

  /** An image reference in this registry: {@code 127.0.0.1:PORT/<repositoryAndReference>}. */
  public String imageReference(String repositoryAndReference) {
    return hostPort() + "/" + repositoryAndReference;
  }

  /** The first configured user, when the registry requires Basic authentication. */
  public Optional<Credentials> credentials() {
    return server.users().entrySet().stream()
        .findFirst()
        .map(e -> new Credentials(e.getKey(), e.getValue()));
  }

  /** Every configured user, in the order given. */
  public List<Credentials> users() {
    return server.users().entrySet().stream()
        .map(e -> new Credentials(e.getKey(), e.getValue()))
        .toList();
  }

  /** Every request served; see {@link RequestJournal}. */
  public RequestJournal journal() {
    return server.journal();
  }

  /** Faults to inject into answers; see {@link Faults}. */
  public Faults faults() {
    return server.faults();
  }

  /** The server itself. */
  public OciRegistryServer server() {
    return server;
  }

  /** The engine, for anything the helpers here do not cover. */
  public Registry engine() {
    return server.registry();
  }

  /** Every repository holding a manifest or tag, in lexical order. */
  public List<String> repositories() {
    List<String> out = new ArrayList<>();
    Optional<RepositoryName> last = Optional.empty();
    while (true) {
      CatalogPage page = engine().catalog(Optional.of(1000), last);
      List<RepositoryName> names = page.catalog().repositories();
      names.forEach(n -> out.add(n.value()));
      if (!page.hasMore() || names.isEmpty()) {
        return out;
      }
      last = Optional.of(names.get(names.size() - 1));
    }
  }

  /** The tags of {@code repository} in lexical order; empty when the repository does not exist. */
  public List<String> tags(String repository) {
    RepositoryName name = RepositoryName.parse(repository);
    List<String> out = new ArrayList<>();
    Optional<Tag> last = Optional.empty();
    while (true) {
      TagPage page;
      try {
        page = engine().listTags(name, Optional.of(1000), last);
      } catch (RegistryException e) {
        if (e.code() == ErrorCode.NAME_UNKNOWN) {
          return out;
        }
        throw e;
      }
      List<Tag> tags = page.list().tags();
      tags.forEach(t -> out.add(t.value()));
      if (!page.hasMore() || tags.isEmpty()) {
        return out;
      }
      last = Optional.of(tags.get(tags.size() - 1));
    }
  }

  /** The manifest a tag or digest names in {@code repository}, as pushed. */
  public Optional<StoredManifest> manifest(String repository, String reference) {
    try {
      ManifestRecord r =
          engine().getManifest(RepositoryName.parse(repository), Reference.parse(reference));
      return Optional.of(
          new StoredManifest(r.digest().toString(), r.mediaType().value(), r.content()));
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Whether {@code repository} holds the blob {@code digest}. */
  public boolean blobExists(String repository, String digest) {
    try {
      engine().blobInfo(RepositoryName.parse(repository), Digest.parse(digest));
      return true;
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The bytes of a blob of {@code repository}; meant for small blobs such as configs. */
  public byte[] blob(String repository, String digest) {
    try (InputStream in = openBlob(repository, digest)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens a blob of {@code repository} as a stream the caller closes. */
  public InputStream openBlob(String repository, String digest) {
    return engine()
        .openBlob(RepositoryName.parse(repository), Digest.parse(digest), Optional.empty())
        .stream();
  }

  @Override
  public String toString() {
    return "OciRegistry[" + baseUri() + "]";
  }
}
