package io.ocireg.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.Storage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** A registry over in-memory storage, with helpers to push blobs and build manifests. */
final class Fixture {
  static final RepositoryName REPO = RepositoryName.parse("library/app");
  static final RepositoryName OTHER = RepositoryName.parse("other/app");

  final Storage storage;
  final Registry registry;

  Fixture() {
    this(RegistryOptions.defaults());
  }

  Fixture(RegistryOptions options) {
    this(new InMemoryStorage(), options);
  }

  Fixture(Storage storage, RegistryOptions options) {
    this.storage = storage;
    this.registry = Registry.create(storage, options);
  }

  Fixture(Storage storage, RegistryOptions options, java.time.Clock clock) {
    this.storage = storage;
    this.registry = Registry.create(storage, options, clock);
  }

  static RegistryOptions options(
      int maxManifestBytes,
      int maxPage,
      int defaultPage,
      boolean docker,
      boolean mountWithoutFrom) {
    return new RegistryOptions(maxManifestBytes, maxPage, defaultPage, docker, mountWithoutFrom);
  }

  static RegistryOptions pages(int maxPage, int defaultPage) {
    return options(RegistryOptions.DEFAULT_MAX_MANIFEST_BYTES, maxPage, defaultPage, true, true);
  }

  // ---- blobs -----------------------------------------------------------------------------

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static InputStream in(byte[] b) {
    return new ByteArrayInputStream(b);
  }

  static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  /** Pushes {@code content} into {@code repo} as one monolithic upload. */
  Descriptor blob(RepositoryName repo, MediaType type, byte[] content) {
    Digest d = Digest.sha256(content);
    registry.uploadWhole(repo, d, in(content), content.length);
    return Descriptor.of(type, d, content.length);
  }

  Descriptor config(RepositoryName repo) {
    return blob(repo, MediaType.OCI_CONFIG, bytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}"));
  }

  Descriptor layer(RepositoryName repo, String content) {
    return blob(repo, MediaType.OCI_LAYER_GZIP, bytes(content));
  }

  /** The bytes of a stored blob, read back through the engine. */
  byte[] read(RepositoryName repo, Digest digest) {
    try (BlobContent c = registry.openBlob(repo, digest, Optional.empty())) {
      return c.stream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ids of open upload sessions, however old. */
  List<String> openSessions() {
    return storage
        .uploads()
        .listStale(Instant.now().plusSeconds(3600), Optional.empty(), 1000)
        .items();
  }

  // ---- manifests -------------------------------------------------------------------------

  /** Builds the JSON of an image manifest or index; fields left null are omitted. */
  static final class Json {
    private final Map<String, String> fields = new LinkedHashMap<>();

    Json() {
      fields.put("schemaVersion", "2");
    }

    Json mediaType(MediaType t) {
      return raw("mediaType", quote(t.value()));
    }

    Json artifactType(String t) {
      return raw("artifactType", quote(t));
    }

    Json config(Descriptor d) {
      return raw("config", d.toJson());
    }

    Json layers(Descriptor... ds) {
      return raw("layers", array(List.of(ds)));
    }

    Json manifests(Descriptor... ds) {
      return raw("manifests", array(List.of(ds)));
    }

    Json subject(Descriptor d) {
      return raw("subject", d.toJson());
    }

    Json annotations(Map<String, String> a) {
      return raw(
          "annotations",
          a.entrySet().stream()
              .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
              .collect(Collectors.joining(",", "{", "}")));
    }

    Json raw(String field, String json) {
      fields.put(field, json);
      return this;
    }

    byte[] bytes() {
      return Fixture.bytes(toString());
    }

    @Override
    public String toString() {
      return fields.entrySet().stream()
          .map(e -> quote(e.getKey()) + ":" + e.getValue())
          .collect(Collectors.joining(",", "{", "}"));
    }

    private static String array(List<Descriptor> ds) {
      List<String> parts = new ArrayList<>();
      ds.forEach(d -> parts.add(d.toJson()));
      return "[" + String.join(",", parts) + "]";
    }

    private static String quote(String s) {
      return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  static Json image(Descriptor config, Descriptor... layers) {
    return new Json().mediaType(MediaType.OCI_MANIFEST).config(config).layers(layers);
  }

  static Json index(Descriptor... manifests) {
    return new Json().mediaType(MediaType.OCI_INDEX).manifests(manifests);
  }

  /** Pushes {@code json} under {@code tag} with its own media type; returns its descriptor. */
  Descriptor push(RepositoryName repo, String tag, MediaType type, Json json) {
    byte[] body = json.bytes();
    PushedManifest pushed = registry.putManifest(repo, Tag.parse(tag), type, body);
    return Descriptor.of(type, pushed.digest(), body.length);
  }

  /** Pushes {@code json} by digest; returns its descriptor. */
  Descriptor pushByDigest(RepositoryName repo, MediaType type, Json json) {
    byte[] body = json.bytes();
    Digest d = Digest.sha256(body);
    registry.putManifest(repo, d, type, body);
    return Descriptor.of(type, d, body.length);
  }

  /** A small image (config and one layer) pushed under {@code tag}. */
  Descriptor pushImage(RepositoryName repo, String tag, String layerContent) {
    return push(repo, tag, MediaType.OCI_MANIFEST, image(config(repo), layer(repo, layerContent)));
  }

  // ---- errors ----------------------------------------------------------------------------

  /**
   * Runs {@code call}, asserts it fails with {@code code} and {@code status}, returns the error.
   */
  static RegistryException assertError(ThrowingCallable call, ErrorCode code, int status) {
    RegistryException e = catchThrowableOfType(RegistryException.class, call);
    assertThat(e).as("expected %s %s", code, status).isNotNull();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.status()).isEqualTo(status);
    return e;
  }
}
