package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {
  private static final String CONFIG_DIGEST =
      "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";
  private static final String LAYER_DIGEST =
      "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0";
  private static final String OTHER_DIGEST =
      "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";
  private static final String EMPTY_DIGEST =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

  /** The image-spec manifest example (it has no mediaType field). */
  private static final String OCI_MANIFEST =
      """
      {
        "schemaVersion": 2,
        "config": {
          "mediaType": "application/vnd.oci.image.config.v1+json",
          "size": 7023,
          "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"
        },
        "layers": [
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "size": 32654,
            "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0"
          },
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "size": 16724,
            "digest": "sha256:3c3a4604a545cdc127456d94e421cd355bca5b528f4a9c1905b15da2eb4a4c6b"
          },
          {
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "size": 73109,
            "digest": "sha256:ec4b8955958665577945c89419d1af06b5f7636b4ac3da7f12184802ad867736"
          }
        ],
        "annotations": {
          "com.example.key1": "value1",
          "com.example.key2": "value2"
        }
      }
      """;

  /** The image-spec image index example, with a fuller second platform. */
  private static final String OCI_INDEX =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "size": 7143,
            "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f",
            "platform": {
              "architecture": "ppc64le",
              "os": "linux"
            }
          },
          {
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "size": 7682,
            "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
            "platform": {
              "architecture": "arm64",
              "os": "windows",
              "os.version": "10.0.14393.1066",
              "os.features": ["win32k"],
              "variant": "v8"
            }
          }
        ],
        "annotations": {
          "com.example.key1": "value1"
        }
      }
      """;

  private static final String DOCKER_MANIFEST =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
          "mediaType": "application/vnd.docker.container.image.v1+json",
          "size": 7023,
          "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"
        },
        "layers": [
          {
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 32654,
            "digest": "sha256:9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0"
          },
          {
            "mediaType": "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "size": 1669,
            "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
            "urls": ["https://mcr.microsoft.com/v2/windows/servercore/blobs/sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270"]
          }
        ]
      }
      """;

  private static final String DOCKER_LIST =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
        "manifests": [
          {
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "size": 7143,
            "digest": "sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f",
            "platform": {
              "architecture": "arm",
              "os": "linux",
              "variant": "v7"
            }
          }
        ]
      }
      """;

  /** An artifact: artifactType, the empty config with its data, a subject and annotations. */
  private static final String ARTIFACT =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.sbom.v1",
        "config": {
          "mediaType": "application/vnd.oci.empty.v1+json",
          "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
          "size": 2,
          "data": "e30="
        },
        "layers": [
          {
            "mediaType": "text/plain",
            "size": 34,
            "data": "aHR0cHM6Ly9naXRodWIuY29tL29wZW5jb250YWluZXJzCg==",
            "digest": "sha256:2690af59371e9eca9453dc29882643f46e5ca47ec2862bd517b5e17351325153",
            "annotations": {"org.opencontainers.image.title": "sbom.json"}
          }
        ],
        "subject": {
          "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "size": 7682,
          "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270"
        },
        "annotations": {
          "org.opencontainers.image.created": "2023-01-01T07:21:33Z",
          "org.example.sbom.format": "json"
        }
      }
      """;

  private static final String INDEX_ARTIFACT =
      """
      {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "artifactType": "application/vnd.example.signatures.v1",
        "manifests": [],
        "subject": {
          "mediaType": "application/vnd.oci.image.index.v1+json",
          "size": 7682,
          "digest": "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270"
        }
      }
      """;

  // ---- accepted ------------------------------------------------------------------------------

  @Test
  void parsesTheImageSpecManifestExample() {
    Manifest m = parse(OCI_MANIFEST, MediaType.OCI_MANIFEST);
    assertThat(m).isInstanceOf(ImageManifest.class);
    ImageManifest im = (ImageManifest) m;
    assertThat(im.schemaVersion()).isEqualTo(2);
    assertThat(im.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
    assertThat(im.config())
        .isEqualTo(Descriptor.of(MediaType.OCI_CONFIG, Digest.parse(CONFIG_DIGEST), 7023));
    assertThat(im.layers()).hasSize(3);
    assertThat(im.layers().get(0).digest()).isEqualTo(Digest.parse(LAYER_DIGEST));
    assertThat(im.layers()).allMatch(l -> l.mediaType().equals(MediaType.OCI_LAYER_GZIP));
    assertThat(im.annotations())
        .containsExactly(
            Map.entry("com.example.key1", "value1"), Map.entry("com.example.key2", "value2"));
    assertThat(im.artifactType()).isEmpty();
    assertThat(im.subject()).isEmpty();
    assertThat(im.references()).hasSize(4).first().isEqualTo(im.config());
    assertThat(im.contentSize()).isEqualTo(7023 + 32654 + 16724 + 73109);
    assertThat(im.effectiveArtifactType()).contains(MediaType.OCI_CONFIG);
  }

  @Test
  void parsesTheImageIndexExampleWithFullPlatforms() {
    ImageIndex index = (ImageIndex) parse(OCI_INDEX, MediaType.OCI_INDEX);
    assertThat(index.mediaType()).isEqualTo(MediaType.OCI_INDEX);
    assertThat(index.manifests()).hasSize(2);
    assertThat(index.manifests().get(0).platform()).contains(Platform.of("linux", "ppc64le"));
    Platform windows = index.manifests().get(1).platform().orElseThrow();
    assertThat(windows)
        .isEqualTo(
            new Platform(
                "windows",
                "arm64",
                Optional.of("v8"),
                Optional.of("10.0.14393.1066"),
                List.of("win32k")));
    assertThat(windows).hasToString("windows/arm64/v8");
    assertThat(index.references()).isEqualTo(index.manifests());
    assertThat(index.effectiveArtifactType()).isEmpty();
    assertThat(index.annotations()).containsEntry("com.example.key1", "value1");
  }

  @Test
  void parsesADockerSchema2ManifestWithAForeignLayer() {
    ImageManifest m = (ImageManifest) parse(DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST);
    assertThat(m.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(m.config().mediaType()).isEqualTo(MediaType.DOCKER_CONFIG);
    Descriptor foreign = m.layers().get(1);
    assertThat(foreign.mediaType()).isEqualTo(MediaType.DOCKER_FOREIGN_LAYER);
    assertThat(foreign.urls())
        .containsExactly("https://mcr.microsoft.com/v2/windows/servercore/blobs/" + OTHER_DIGEST);
    // Foreign layers are still listed; the engine decides whether it must hold them.
    assertThat(m.references()).contains(foreign);
  }

  @Test
  void parsesADockerManifestList() {
    ImageIndex list = (ImageIndex) parse(DOCKER_LIST, MediaType.DOCKER_MANIFEST_LIST);
    assertThat(list.mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
    assertThat(list.manifests().get(0).mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST);
    assertThat(list.manifests().get(0).platform().orElseThrow().variant()).contains("v7");
  }

  @Test
  void parsesAnArtifactWithTheEmptyConfigSubjectAndAnnotations() {
    ImageManifest m = (ImageManifest) parse(ARTIFACT, MediaType.OCI_MANIFEST);
    MediaType sbom = MediaType.of("application/vnd.example.sbom.v1");
    assertThat(m.artifactType()).contains(sbom);
    assertThat(m.effectiveArtifactType()).contains(sbom);
    assertThat(m.config().mediaType()).isEqualTo(MediaType.OCI_EMPTY);
    assertThat(m.config().digest()).isEqualTo(Digest.parse(EMPTY_DIGEST));
    assertThat(m.config().size()).isEqualTo(2);
    assertThat(m.config().data()).contains("e30=");
    assertThat(m.layers().get(0).data())
        .contains("aHR0cHM6Ly9naXRodWIuY29tL29wZW5jb250YWluZXJzCg==");
    assertThat(m.layers().get(0).annotations())
        .containsEntry("org.opencontainers.image.title", "sbom.json");
    assertThat(m.subject().orElseThrow().digest()).isEqualTo(Digest.parse(OTHER_DIGEST));
    assertThat(m.annotations())
        .containsEntry("org.opencontainers.image.created", "2023-01-01T07:21:33Z")
        .containsEntry("org.example.sbom.format", "json");
    // The subject is not content this manifest needs in the repository.
    assertThat(m.references()).doesNotContain(m.subject().orElseThrow());
  }

  @Test
  void parsesAnIndexWithArtifactTypeAndSubject() {
    ImageIndex index = (ImageIndex) parse(INDEX_ARTIFACT, MediaType.OCI_INDEX);
    assertThat(index.manifests()).isEmpty();
    assertThat(index.effectiveArtifactType())
        .contains(MediaType.of("application/vnd.example.signatures.v1"));
    assertThat(index.subject().orElseThrow().mediaType()).isEqualTo(MediaType.OCI_INDEX);
  }

  @Test
  void withoutContentTypeTheMediaTypeFieldDecides() {
    assertThat(parse(ARTIFACT, null)).isInstanceOf(ImageManifest.class);
    assertThat(parse(OCI_INDEX, null)).isInstanceOf(ImageIndex.class);
    assertThat(parse(DOCKER_LIST, null).mediaType()).isEqualTo(MediaType.DOCKER_MANIFEST_LIST);
  }

  @Test
  void mediaTypeFieldMatchingTheContentTypeInAnotherCaseIsAccepted() {
    MediaType shouting = MediaType.of("application/vnd.oci.image.manifest.v1+JSON");
    assertThat(parse(ARTIFACT, shouting).mediaType()).isEqualTo(shouting);
  }

  /** The distribution spec lets the list of blobs be empty; conformance pushes such a manifest. */
  @Test
  void acceptsAManifestWithNoLayers() {
    String json =
        """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,
                   "digest":"%s"},
         "layers":[]}
        """
            .formatted(EMPTY_DIGEST);
    ImageManifest m = (ImageManifest) parse(json, MediaType.OCI_MANIFEST);
    assertThat(m.layers()).isEmpty();
    assertThat(m.references()).containsExactly(m.config());
  }

  /** The referrers rules treat an empty artifactType as a missing one. */
  @Test
  void emptyArtifactTypeCountsAsAbsent() {
    String json = ARTIFACT.replace("\"application/vnd.example.sbom.v1\"", "\"\"");
    ImageManifest m = (ImageManifest) parse(json, MediaType.OCI_MANIFEST);
    assertThat(m.artifactType()).isEmpty();
    assertThat(m.effectiveArtifactType()).contains(MediaType.OCI_EMPTY);
  }

  @Test
  void nullOptionalFieldsCountAsAbsent() {
    String json =
        """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "artifactType":null,"subject":null,"annotations":null,
         "config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"%s",
                   "urls":null,"annotations":null,"platform":null,"data":null,
                   "artifactType":null},
         "layers":[]}
        """
            .formatted(EMPTY_DIGEST);
    ImageManifest m = (ImageManifest) parse(json, MediaType.OCI_MANIFEST);
    assertThat(m.subject()).isEmpty();
    assertThat(m.artifactType()).isEmpty();
    assertThat(m.annotations()).isEmpty();
    assertThat(m.config())
        .isEqualTo(Descriptor.of(MediaType.OCI_EMPTY, Digest.parse(EMPTY_DIGEST), 2));
  }

  @Test
  void unknownFieldsAndLayerMediaTypesAreIgnored() {
    String json =
        """
        {"schemaVersion":2,"config":{"mediaType":"application/vnd.example.config","size":1,
         "digest":"%s","x-extra":[1,2]},"layers":[{"mediaType":"application/vnd.other.layer",
         "size":0,"digest":"%s"}],"somethingElse":{"a":1}}
        """
            .formatted(CONFIG_DIGEST, LAYER_DIGEST);
    assertThat(parse(json, MediaType.OCI_MANIFEST)).isInstanceOf(ImageManifest.class);
  }

  @Test
  void acceptsDescriptorsWithUnregisteredDigestAlgorithms() {
    String json =
        """
        {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json",
         "size":1470,"digest":"sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"},
         "layers":[]}
        """;
    ImageManifest m = (ImageManifest) parse(json, MediaType.OCI_MANIFEST);
    assertThat(m.config().digest().isSupported()).isFalse();
  }

  // ---- rejected ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "not json",
        "{",
        "{\"schemaVersion\":2,",
        "[]",
        "[{\"schemaVersion\":2}]",
        "null",
        "\"a string\"",
        "2",
      })
  void rejectsBodiesThatAreNotAJsonObject(String body) {
    assertInvalid(body, MediaType.OCI_MANIFEST);
  }

  @Test
  void rejectsContentAfterTheJsonValue() {
    assertInvalid(OCI_MANIFEST + "{}", MediaType.OCI_MANIFEST);
    assertInvalid(OCI_MANIFEST + " x", MediaType.OCI_MANIFEST);
    assertInvalid(OCI_MANIFEST + OCI_MANIFEST, MediaType.OCI_MANIFEST);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"schemaVersion\": 1,",
        "\"schemaVersion\": 3,",
        "\"schemaVersion\": \"2\",",
        "\"schemaVersion\": 2.0,",
        "\"schemaVersion\": 2.5,",
        "\"schemaVersion\": null,",
        "\"schemaVersion\": 4294967298,",
        "\"schemaVersion\": 18446744073709551618,",
        "",
      })
  void rejectsASchemaVersionOtherThan2(String field) {
    String json = OCI_MANIFEST.replace("\"schemaVersion\": 2,", field);
    assertInvalid(json, MediaType.OCI_MANIFEST);
  }

  @Test
  void rejectsAMediaTypeFieldContradictingTheContentType() {
    assertInvalid(ARTIFACT, MediaType.DOCKER_MANIFEST);
    assertInvalid(ARTIFACT, MediaType.OCI_INDEX);
    assertInvalid(OCI_INDEX, MediaType.OCI_MANIFEST);
    assertInvalid(DOCKER_MANIFEST, MediaType.OCI_MANIFEST);
    assertInvalid(DOCKER_LIST, MediaType.OCI_INDEX);
    assertInvalid(ARTIFACT, MediaType.JSON);
  }

  @Test
  void rejectsAnInvalidMediaTypeField() {
    assertInvalid(
        ARTIFACT.replace(
            "\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n  \"art",
            "\"mediaType\": \"invalid\",\n  \"art"),
        null);
    assertInvalid(
        OCI_INDEX.replace(
            "\"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n  \"manifests",
            "\"mediaType\": 7,\n  \"manifests"),
        MediaType.OCI_INDEX);
  }

  @Test
  void rejectsAManifestWithoutAnyMediaType() {
    assertInvalid(OCI_MANIFEST, null);
  }

  @Test
  void rejectsAManifestMissingConfigOrLayers() {
    assertInvalid(
        """
        {"schemaVersion":2,"layers":[]}
        """,
        MediaType.OCI_MANIFEST);
    assertInvalid(
        """
        {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,
         "digest":"%s"}}
        """
            .formatted(EMPTY_DIGEST),
        MediaType.OCI_MANIFEST);
    assertInvalid(
        """
        {"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.empty.v1+json","size":2,
         "digest":"%s"},"layers":{}}
        """
            .formatted(EMPTY_DIGEST),
        MediaType.OCI_MANIFEST);
    assertInvalid(
        """
        {"schemaVersion":2,"config":null,"layers":[]}
        """,
        MediaType.OCI_MANIFEST);
  }

  @Test
  void rejectsAnIndexMissingManifests() {
    assertInvalid("{\"schemaVersion\":2}", MediaType.OCI_INDEX);
    assertInvalid("{\"schemaVersion\":2,\"manifests\":null}", MediaType.OCI_INDEX);
    assertInvalid("{\"schemaVersion\":2,\"manifests\":{}}", MediaType.DOCKER_MANIFEST_LIST);
  }

  /** A document that is both kinds could be read differently by different clients. */
  @Test
  void rejectsDocumentsShapedAsBothKinds() {
    String manifestWithManifests =
        ARTIFACT.replace("\"layers\": [", "\"manifests\": [],\n  \"layers\": [");
    assertInvalid(manifestWithManifests, MediaType.OCI_MANIFEST);
    String indexWithLayers =
        OCI_INDEX.replace("\"manifests\": [", "\"layers\": [],\n  \"manifests\": [");
    assertInvalid(indexWithLayers, MediaType.OCI_INDEX);
    String indexWithConfig =
        OCI_INDEX.replace(
            "\"manifests\": [",
            "\"config\": {\"mediaType\":\"a/b\",\"size\":1,\"digest\":\""
                + CONFIG_DIGEST
                + "\"},\n  \"manifests\": [");
    assertInvalid(indexWithConfig, MediaType.OCI_INDEX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "application/vnd.docker.distribution.manifest.v1+json",
        "application/vnd.oci.artifact.manifest.v1+json",
        "application/vnd.oci.image.config.v1+json",
        "application/octet-stream",
      })
  void rejectsMediaTypesThatAreNotManifests(String type) {
    assertInvalid(OCI_MANIFEST, MediaType.of(type));
  }

  @Test
  void rejectsADockerSchema1Manifest() {
    String schema1 =
        """
        {"schemaVersion":1,"name":"library/hello","tag":"latest","architecture":"amd64",
         "fsLayers":[{"blobSum":"%s"}],"history":[{"v1Compatibility":"{}"}],
         "signatures":[]}
        """
            .formatted(LAYER_DIGEST);
    assertInvalid(
        schema1, MediaType.of("application/vnd.docker.distribution.manifest.v1+prettyjws"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // bad digests
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:abc\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"SHA256:%s\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\":%s\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":7",
        "\"mediaType\":\"a/b\",\"size\":1",
        // bad sizes
        "\"mediaType\":\"a/b\",\"size\":-1,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"a/b\",\"size\":\"1\",\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"a/b\",\"size\":1.5,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"a/b\",\"size\":9223372036854775808,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"a/b\",\"digest\":\"sha256:%s\"",
        // bad media types
        "\"size\":1,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"\",\"size\":1,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"application\",\"size\":1,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\".foo/bar\",\"size\":1,\"digest\":\"sha256:%s\"",
        "\"mediaType\":\"a/b\",\"artifactType\":\"foo/.bar\",\"size\":1,\"digest\":\"sha256:%s\"",
        // bad optional fields
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"urls\":[\"value\"]",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"urls\":\"https://x.example\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"urls\":[7]",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"data\":\"e30\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"data\":\"e3@=\"",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"data\":5",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"annotations\":{\"k\":1}",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"annotations\":[]",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"platform\":{\"os\":\"linux\"}",
        "\"mediaType\":\"a/b\",\"size\":1,\"digest\":\"sha256:%s\",\"platform\":\"linux/amd64\"",
      })
  void rejectsMalformedDescriptors(String fields) {
    String descriptor = "{" + fields.replace("%s", OTHER_DIGEST.substring(7)) + "}";
    String asLayer =
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\""
            + CONFIG_DIGEST
            + "\"},\"layers\":["
            + descriptor
            + "]}";
    String asConfig = "{\"schemaVersion\":2,\"config\":" + descriptor + ",\"layers\":[]}";
    String asChild = "{\"schemaVersion\":2,\"manifests\":[" + descriptor + "]}";
    String asSubject = "{\"schemaVersion\":2,\"manifests\":[],\"subject\":" + descriptor + "}";
    assertInvalid(asLayer, MediaType.OCI_MANIFEST);
    assertInvalid(asConfig, MediaType.OCI_MANIFEST);
    assertInvalid(asChild, MediaType.OCI_INDEX);
    assertInvalid(asSubject, MediaType.OCI_INDEX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"os\":\"linux\"}",
        "{\"architecture\":\"amd64\"}",
        "{\"os\":1,\"architecture\":\"amd64\"}",
        "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":7}",
        "{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":10}",
        "{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.features\":\"win32k\"}",
        "{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.features\":[1]}",
      })
  void rejectsMalformedPlatforms(String platform) {
    String json =
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"size\":1,\"digest\":\""
            + OTHER_DIGEST
            + "\",\"platform\":"
            + platform
            + "}]}";
    assertInvalid(json, MediaType.OCI_INDEX);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"k\": 1}",
        "{\"k\": true}",
        "{\"k\": null}",
        "{\"k\": {\"nested\": \"v\"}}",
        "{\"k\": [\"v\"]}",
        "[\"k\"]",
        "\"k=v\"",
      })
  void rejectsAnnotationsThatAreNotAStringMap(String annotations) {
    String json =
        OCI_MANIFEST.replace(
            "\"annotations\": {\n    \"com.example.key1\": \"value1\",\n    \"com.example.key2\": \"value2\"\n  }",
            "\"annotations\": " + annotations);
    assertThat(json).isNotEqualTo(OCI_MANIFEST);
    assertInvalid(json, MediaType.OCI_MANIFEST);
  }

  @Test
  void acceptsEmptyAnnotationValues() {
    String json = OCI_MANIFEST.replace("\"value1\"", "\"\"");
    assertThat(parse(json, MediaType.OCI_MANIFEST).annotations())
        .containsEntry("com.example.key1", "");
  }

  @Test
  void rejectsDuplicateKeys() {
    assertInvalid(
        OCI_MANIFEST.replace(
            "\"schemaVersion\": 2,", "\"schemaVersion\": 2, \"schemaVersion\": 2,"),
        MediaType.OCI_MANIFEST);
    assertInvalid(
        OCI_MANIFEST.replace(
            "\"com.example.key1\": \"value1\",",
            "\"com.example.key1\": \"value1\", \"com.example.key1\": \"other\","),
        MediaType.OCI_MANIFEST);
    assertInvalid(
        OCI_MANIFEST.replace("\"size\": 7023,", "\"size\": 7023, \"size\": 1,"),
        MediaType.OCI_MANIFEST);
    // Two config members: a reader keeping the first and one keeping the last would disagree.
    assertInvalid(
        OCI_MANIFEST.replace(
            "\"layers\": [",
            "\"config\": {\"mediaType\":\"a/b\",\"size\":1,\"digest\":\""
                + OTHER_DIGEST
                + "\"},\n  \"layers\": ["),
        MediaType.OCI_MANIFEST);
  }

  @Test
  void rejectsAbsurdNesting() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertInvalid(
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"size\":1,\"digest\":\""
            + CONFIG_DIGEST
            + "\",\"x\":"
            + deep
            + "},\"layers\":[]}",
        MediaType.OCI_MANIFEST);
  }

  @Test
  void rejectionsAreManifestInvalidWithADetail() {
    assertThatThrownBy(
            () -> Manifest.parse("[]".getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID);
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.detail()).isPresent();
            });
  }

  // ---- writing -------------------------------------------------------------------------------

  @Test
  void composedManifestReadsBack() {
    ImageManifest m =
        new ImageManifest(
            2,
            MediaType.OCI_MANIFEST,
            Optional.of(MediaType.of("application/vnd.example.sbom.v1")),
            Descriptor.of(MediaType.OCI_EMPTY, Digest.parse(EMPTY_DIGEST), 2),
            List.of(Descriptor.of(MediaType.OCI_LAYER_GZIP, Digest.parse(LAYER_DIGEST), 3)),
            Optional.of(Descriptor.of(MediaType.OCI_MANIFEST, Digest.parse(OTHER_DIGEST), 7)),
            Map.of("k", "v"));
    assertThat(Manifest.parse(m.toJson(), MediaType.OCI_MANIFEST)).isEqualTo(m);
    assertThat(new String(m.toJson(), StandardCharsets.UTF_8))
        .startsWith(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"");
  }

  @Test
  void referrersIndexHasTheShapeTheSpecShows() {
    Descriptor referrer =
        Descriptor.of(MediaType.OCI_MANIFEST, Digest.parse(OTHER_DIGEST), 1234)
            .withArtifactType(Optional.of(MediaType.of("application/vnd.example.sbom.v1")))
            .withAnnotations(Map.of("org.example.sbom.format", "json"));
    String json = new String(ImageIndex.of(List.of(referrer)).toJson(), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.example.sbom.v1\",\"digest\":\""
                + OTHER_DIGEST
                + "\",\"size\":1234,\"annotations\":{\"org.example.sbom.format\":\"json\"}}]}");
    assertThat(new String(ImageIndex.of(List.of()).toJson(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[]}");
  }

  private static Manifest parse(String json, MediaType contentType) {
    return Manifest.parse(json.getBytes(StandardCharsets.UTF_8), contentType);
  }

  private static void assertInvalid(String json, MediaType contentType) {
    assertThatThrownBy(() -> parse(json, contentType))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID));
  }
}
