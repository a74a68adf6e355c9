package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.RegistryOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the builder of a {@code @RegisterExtension} field sets reaches the registry: each switch
 * (set against its default), users and a preload; and the info type's address and blob helpers.
 */
class ProgrammaticBuilderTest {
  static final Path LAYOUT = layout();

  @RegisterExtension
  static OciRegistryExtension ext =
      OciRegistryExtension.builder()
          .user("carol", "pw1")
          .user("dave", "pw2")
          .preload(LAYOUT, "built/app", "v1")
          .referrers(false)
          .mountWithoutFrom(false)
          .singlePostUpload(false)
          .dockerMediaTypes(false)
          .immutableTags(true)
          .deletes(false)
          .build();

  @Test
  void everySwitchOfTheBuilderReachesTheEngine(OciRegistry registry) {
    RegistryOptions o = registry.server().options().registry();
    RegistryOptions d = RegistryOptions.defaults();
    assertThat(o.referrersEnabled()).isFalse().isNotEqualTo(d.referrersEnabled());
    assertThat(o.mountWithoutFrom()).isFalse().isNotEqualTo(d.mountWithoutFrom());
    assertThat(o.singlePostUpload()).isFalse().isNotEqualTo(d.singlePostUpload());
    assertThat(o.acceptDockerMediaTypes()).isFalse().isNotEqualTo(d.acceptDockerMediaTypes());
    assertThat(o.immutableTags()).isTrue().isNotEqualTo(d.immutableTags());
    assertThat(o.deletesEnabled()).isFalse().isNotEqualTo(d.deletesEnabled());
  }

  @Test
  void usersAndThePreloadOfTheBuilderAreThere(OciRegistry registry) {
    assertThat(registry.credentials()).contains(new Credentials("carol", "pw1"));
    assertThat(registry.users()).extracting(Credentials::username).containsExactly("carol", "dave");
    assertThat(registry.tags("built/app")).containsExactly("v1");
  }

  @Test
  void hostPortIsTheAuthorityOfTheBaseUriAndPrefixesImageReferences(OciRegistry registry) {
    URI base = registry.baseUri();
    assertThat(registry.hostPort()).isEqualTo(base.getHost() + ":" + base.getPort());
    assertThat(base.getPort()).isPositive();
    assertThat(registry.imageReference("built/app:v1"))
        .isEqualTo(registry.hostPort() + "/built/app:v1");
  }

  @Test
  void blobsReadBackAsStoredThroughBothHelpers(OciRegistry registry) throws IOException {
    String config = Preloads.CONFIG;
    String digest = io.ocireg.spec.Digest.sha256(Preloads.utf8(config)).toString();
    assertThat(registry.blobExists("built/app", digest)).isTrue();
    assertThat(registry.blob("built/app", digest)).isEqualTo(Preloads.utf8(config));
    try (InputStream in = registry.openBlob("built/app", digest)) {
      assertThat(in.readAllBytes()).isEqualTo(Preloads.utf8(config));
    }
  }

  private static Path layout() {
    try {
      return Preloads.writeLayout(
          Paths.get("target", "builder-layout-" + ProcessHandle.current().pid()), "v1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
