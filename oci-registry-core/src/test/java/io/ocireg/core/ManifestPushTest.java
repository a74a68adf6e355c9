package io.ocireg.core;

import static io.ocireg.core.Fixture.OTHER;
import static io.ocireg.core.Fixture.REPO;
import static io.ocireg.core.Fixture.assertError;
import static io.ocireg.core.Fixture.bytes;
import static io.ocireg.core.Fixture.image;
import static io.ocireg.core.Fixture.in;
import static io.ocireg.core.Fixture.index;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Tag;
import io.ocireg.storage.ManifestRecord;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestPushTest {
  private final Fixture f = new Fixture();
  private final Registry registry = f.registry;

  private static final Tag LATEST = Tag.parse("latest");

  private byte[] validImage() {
    return image(f.config(REPO), f.layer(REPO, "layer")).bytes();
  }

  @Test
  void storesAManifestByTagByteForByte() {
    byte[] body = validImage();

    PushedManifest pushed = registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);

    assertThat(pushed.digest()).isEqualTo(Digest.sha256(body));
    assertThat(pushed.reference()).isEqualTo(LATEST);
    assertThat(pushed.subject()).isEmpty();
    ManifestRecord byTag = registry.getManifest(REPO, LATEST);
    ManifestRecord byDigest = registry.getManifest(REPO, pushed.digest());
    assertThat(byTag.content()).isEqualTo(body);
    assertThat(byTag.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(byDigest.digest()).isEqualTo(pushed.digest());
  }

  @Test
  void keepsInsignificantWhitespaceAndFieldOrder() {
    Descriptor config = f.config(REPO);
    String json =
        "{ \"layers\" : [ ],\n  \"config\": "
            + config.toJson()
            + ",\n\t\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\" }";

    PushedManifest pushed = registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, bytes(json));

    assertThat(registry.getManifest(REPO, pushed.digest()).content()).isEqualTo(bytes(json));
  }

  @Test
  void storesAManifestByDigest() {
    byte[] body = validImage();
    Digest digest = Digest.sha256(body);

    registry.putManifest(REPO, digest, MediaType.OCI_MANIFEST, body);

    assertThat(registry.getManifest(REPO, digest).content()).isEqualTo(body);
    assertThat(registry.tagsPointingAt(REPO, digest)).isEmpty();
  }

  @Test
  void acceptsASha512DigestReference() {
    byte[] body = validImage();
    Digest digest = Digest.of(Digest.SHA512, body);

    PushedManifest pushed = registry.putManifest(REPO, digest, MediaType.OCI_MANIFEST, body);

    assertThat(pushed.digest()).isEqualTo(digest);
    assertThat(registry.getManifest(REPO, digest).content()).isEqualTo(body);
  }

  @Test
  void refusesADigestReferenceThatDoesNotMatchTheBody() {
    byte[] body = validImage();
    Digest other = Digest.sha256(bytes("other"));

    assertError(
        () -> registry.putManifest(REPO, other, MediaType.OCI_MANIFEST, body),
        ErrorCode.DIGEST_INVALID,
        400);
    assertError(() -> registry.getManifest(REPO, other), ErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void refusesAnUnsupportedDigestAlgorithm() {
    byte[] body = validImage();

    assertError(
        () ->
            registry.putManifest(
                REPO, Digest.parse("sha384:" + "c".repeat(96)), MediaType.OCI_MANIFEST, body),
        ErrorCode.DIGEST_INVALID,
        400);
  }

  // ---- size ------------------------------------------------------------------------------

  @Test
  void refusesAManifestOverTheLimitWith413() {
    Fixture small = new Fixture(Fixture.options(1000, 1000, 100, true, true));
    Descriptor config = small.config(REPO);
    byte[] body = image(config).annotations(java.util.Map.of("pad", "x".repeat(2000))).bytes();

    assertError(
        () -> small.registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body),
        ErrorCode.MANIFEST_INVALID,
        413);
  }

  @Test
  void acceptsAManifestOfExactlyTheLimit() {
    Descriptor config = f.config(REPO);
    byte[] base = image(config).annotations(java.util.Map.of("pad", "")).bytes();
    int limit = base.length + 50;
    Fixture exact = new Fixture(f.storage, Fixture.options(limit, 1000, 100, true, true));
    byte[] body = image(config).annotations(java.util.Map.of("pad", "y".repeat(50))).bytes();
    assertThat(body).hasSize(limit);

    exact.registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);
    exact.registry.putManifest(
        REPO, Tag.parse("streamed"), MediaType.OCI_MANIFEST, in(body), body.length);

    assertThat(registry.getManifest(REPO, Tag.parse("streamed")).content()).isEqualTo(body);
  }

  @Test
  void refusesAStreamedManifestOverTheLimitWithoutReadingItAll() {
    Fixture small = new Fixture(Fixture.options(1000, 1000, 100, true, true));
    long[] served = {0};
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            served[0]++;
            return ' ';
          }
        };

    assertError(
        () -> small.registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, endless, -1),
        ErrorCode.MANIFEST_INVALID,
        413);
    assertThat(served[0]).isLessThanOrEqualTo(1001);
  }

  @Test
  void refusesADeclaredLengthOverTheLimitBeforeReading() {
    Fixture small = new Fixture(Fixture.options(1000, 1000, 100, true, true));
    InputStream unread =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("must not be read");
          }
        };

    assertError(
        () -> small.registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, unread, 1001),
        ErrorCode.MANIFEST_INVALID,
        413);
  }

  @Test
  void refusesAStreamedManifestShorterThanDeclared() {
    byte[] body = validImage();

    assertError(
        () ->
            registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, in(body), body.length + 1L),
        ErrorCode.SIZE_INVALID,
        400);
  }

  // ---- parsing ---------------------------------------------------------------------------

  @Test
  void refusesJsonThatDoesNotParse() {
    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, bytes("{\"schemaVer")),
        ErrorCode.MANIFEST_INVALID,
        400);
    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, new byte[0]),
        ErrorCode.MANIFEST_INVALID,
        400);
    assertError(() -> registry.getManifest(REPO, LATEST), ErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void refusesAMediaTypeFieldThatContradictsTheContentType() {
    byte[] body = validImage();

    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, body),
        ErrorCode.MANIFEST_INVALID,
        400);
  }

  @Test
  void takesTheMediaTypeFieldWhenThereIsNoContentType() {
    byte[] body = validImage();

    registry.putManifest(REPO, LATEST, null, body);

    assertThat(registry.getManifest(REPO, LATEST).mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
  }

  @Test
  void takesTheContentTypeWhenTheManifestHasNoMediaTypeField() {
    Descriptor config = f.config(REPO);
    byte[] body = new Fixture.Json().config(config).layers().bytes();

    registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);

    assertThat(registry.getManifest(REPO, LATEST).mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
  }

  // ---- references ------------------------------------------------------------------------

  @Test
  void refusesAManifestWhoseConfigIsMissing() {
    Descriptor config = Descriptor.of(MediaType.OCI_CONFIG, Digest.sha256(bytes("nope")), 4);
    byte[] body = image(config, f.layer(REPO, "l")).bytes();

    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body),
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        404);
  }

  @Test
  void refusesAManifestWhoseLayerIsMissing() {
    Descriptor missing =
        Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.sha256(bytes("missing")), 7);
    byte[] body = image(f.config(REPO), f.layer(REPO, "l"), missing).bytes();

    assertThat(
            assertError(
                    () -> registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body),
                    ErrorCode.MANIFEST_BLOB_UNKNOWN,
                    404)
                .detail())
        .contains(missing.digest().toString());
  }

  @Test
  void refusesALayerThatOnlyAnotherRepositoryHolds() {
    Descriptor elsewhere = f.layer(OTHER, "elsewhere");
    byte[] body = image(f.config(REPO), elsewhere).bytes();

    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body),
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        404);
  }

  @Test
  void refusesALayerWhoseDescriptorSizeIsWrong() {
    Descriptor layer = f.layer(REPO, "twelve bytes");
    Descriptor wrong = Descriptor.of(layer.mediaType(), layer.digest(), layer.size() + 1);
    byte[] body = image(f.config(REPO), wrong).bytes();

    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body),
        ErrorCode.MANIFEST_INVALID,
        400);
  }

  @Test
  void doesNotRequireForeignLayersWithUrls() {
    Descriptor foreign =
        new Descriptor(
            MediaType.DOCKER_FOREIGN_LAYER,
            Digest.sha256(bytes("windows base")),
            12345,
            List.of("https://example.com/layer.tar.gz"),
            java.util.Map.of(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    byte[] body = image(f.config(REPO), foreign, f.layer(REPO, "l")).bytes();

    registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);

    assertThat(registry.getManifest(REPO, LATEST).content()).isEqualTo(body);
  }

  @Test
  void acceptsAManifestWithoutLayers() {
    byte[] body = image(f.config(REPO)).bytes();

    registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);

    assertThat(registry.getManifest(REPO, LATEST).contentSize()).isEqualTo(f.config(REPO).size());
  }

  @Test
  void recordsTheContentSizeOfAnImage() {
    Descriptor config = f.config(REPO);
    Descriptor a = f.layer(REPO, "aaaa");
    Descriptor b = f.layer(REPO, "bbbbbbbb");

    registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, image(config, a, b).bytes());

    assertThat(registry.getManifest(REPO, LATEST).contentSize())
        .isEqualTo(config.size() + a.size() + b.size());
  }

  @Test
  void acceptsAnIndexWhoseChildrenAreInTheRepository() {
    Descriptor amd64 = f.pushImage(REPO, "amd64", "amd64 layer");
    Descriptor arm64 = f.pushImage(REPO, "arm64", "arm64 layer");
    byte[] body = index(amd64, arm64).bytes();

    registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, body);

    ManifestRecord stored = registry.getManifest(REPO, LATEST);
    assertThat(stored.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(stored.contentSize())
        .isEqualTo(
            amd64.size()
                + arm64.size()
                + registry.getManifest(REPO, amd64.digest()).contentSize()
                + registry.getManifest(REPO, arm64.digest()).contentSize());
  }

  @Test
  void refusesAnIndexWithAMissingChild() {
    Descriptor present = f.pushImage(REPO, "amd64", "amd64 layer");
    Descriptor absent = Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(bytes("gone")), 4);

    assertError(
        () ->
            registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, index(present, absent).bytes()),
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        404);
  }

  @Test
  void refusesAnIndexWhoseChildIsOnlyInAnotherRepository() {
    Descriptor elsewhere = f.pushImage(OTHER, "amd64", "amd64 layer");

    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, index(elsewhere).bytes()),
        ErrorCode.MANIFEST_BLOB_UNKNOWN,
        404);
  }

  @Test
  void refusesAnIndexChildWithTheWrongSize() {
    Descriptor child = f.pushImage(REPO, "amd64", "amd64 layer");
    Descriptor wrong = Descriptor.of(child.mediaType(), child.digest(), child.size() - 1);

    assertError(
        () -> registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, index(wrong).bytes()),
        ErrorCode.MANIFEST_INVALID,
        400);
  }

  @Test
  void acceptsAnIndexPointingAtABlobOfTheRepository() {
    Descriptor blob = f.blob(REPO, MediaType.OCTET_STREAM, bytes("an artifact"));

    registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, index(blob).bytes());

    assertThat(registry.getManifest(REPO, LATEST).mediaType()).isEqualTo(MediaType.OCI_INDEX);
  }

  @Test
  void acceptsAnEmptyIndex() {
    registry.putManifest(REPO, LATEST, MediaType.OCI_INDEX, index().bytes());

    assertThat(registry.getManifest(REPO, LATEST).contentSize()).isZero();
  }

  @Test
  void doesNotRequireTheSubjectToExist() {
    Descriptor subject =
        Descriptor.of(MediaType.OCI_MANIFEST, Digest.sha256(bytes("not pushed yet")), 14);
    byte[] body = image(f.config(REPO)).subject(subject).bytes();

    PushedManifest pushed = registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);

    assertThat(pushed.subject()).contains(subject.digest());
  }

  // ---- Docker ----------------------------------------------------------------------------

  private byte[] dockerImage(Fixture fx) {
    Descriptor config =
        fx.blob(REPO, MediaType.DOCKER_CONFIG, bytes("{\"architecture\":\"arm64\"}"));
    Descriptor layer = fx.blob(REPO, MediaType.DOCKER_LAYER, bytes("docker layer"));
    return new Fixture.Json()
        .mediaType(MediaType.DOCKER_MANIFEST)
        .config(config)
        .layers(layer)
        .bytes();
  }

  @Test
  void acceptsDockerManifestsAndManifestListsByDefault() {
    byte[] image = dockerImage(f);
    PushedManifest pushed = registry.putManifest(REPO, LATEST, MediaType.DOCKER_MANIFEST, image);
    byte[] list =
        new Fixture.Json()
            .mediaType(MediaType.DOCKER_MANIFEST_LIST)
            .manifests(Descriptor.of(MediaType.DOCKER_MANIFEST, pushed.digest(), image.length))
            .bytes();

    registry.putManifest(REPO, Tag.parse("list"), MediaType.DOCKER_MANIFEST_LIST, list);

    assertThat(registry.getManifest(REPO, Tag.parse("list")).mediaType())
        .isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
  }

  @Test
  void refusesDockerMediaTypesWhenSwitchedOff() {
    Fixture strict = new Fixture(Fixture.options(1 << 20, 1000, 100, false, true));
    byte[] image = dockerImage(strict);
    byte[] list = new Fixture.Json().mediaType(MediaType.DOCKER_MANIFEST_LIST).manifests().bytes();

    assertError(
        () -> strict.registry.putManifest(REPO, LATEST, MediaType.DOCKER_MANIFEST, image),
        ErrorCode.MANIFEST_INVALID,
        400);
    assertError(
        () -> strict.registry.putManifest(REPO, LATEST, MediaType.DOCKER_MANIFEST_LIST, list),
        ErrorCode.MANIFEST_INVALID,
        400);
    strict.pushImage(REPO, "oci", "still fine");
  }

  // ---- tags ------------------------------------------------------------------------------

  @Test
  void pushingTheSameManifestAgainIsIdempotent() {
    byte[] body = validImage();

    PushedManifest first = registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);
    PushedManifest second = registry.putManifest(REPO, LATEST, MediaType.OCI_MANIFEST, body);

    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(registry.getManifest(REPO, LATEST).content()).isEqualTo(body);
    assertThat(registry.tagsPointingAt(REPO, first.digest())).hasSize(1);
  }

  @Test
  void movesATagToTheNewManifest() {
    Descriptor v1 = f.pushImage(REPO, "latest", "v1");
    Descriptor v2 = f.pushImage(REPO, "latest", "v2");

    assertThat(registry.getManifest(REPO, LATEST).digest()).isEqualTo(v2.digest());
    assertThat(registry.getManifest(REPO, v1.digest()).digest()).isEqualTo(v1.digest());
    assertThat(registry.tagsPointingAt(REPO, v1.digest())).isEmpty();
  }

  @Test
  void listsEveryTagOfADigest() {
    byte[] body = validImage();
    for (String t : List.of("a", "b", "c")) {
      registry.putManifest(REPO, Tag.parse(t), MediaType.OCI_MANIFEST, body);
    }
    f.pushImage(REPO, "d", "another");

    assertThat(registry.tagsPointingAt(REPO, Digest.sha256(body)))
        .extracting(t -> t.tag().value())
        .containsExactly("a", "b", "c");
  }

  @Test
  void manifestsAreScopedToTheirRepository() {
    Descriptor pushed = f.pushImage(REPO, "latest", "x");

    assertError(() -> registry.getManifest(OTHER, LATEST), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertError(
        () -> registry.getManifest(OTHER, pushed.digest()), ErrorCode.MANIFEST_UNKNOWN, 404);
  }

  @Test
  void anUnknownManifestIs404() {
    f.pushImage(REPO, "latest", "x");

    assertError(
        () -> registry.getManifest(REPO, Tag.parse("nope")), ErrorCode.MANIFEST_UNKNOWN, 404);
    assertError(
        () -> registry.getManifest(REPO, Digest.sha256(bytes("nope"))),
        ErrorCode.MANIFEST_UNKNOWN,
        404);
  }
}
