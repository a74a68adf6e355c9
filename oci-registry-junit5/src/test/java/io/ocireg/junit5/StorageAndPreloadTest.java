package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import land.oras.ContainerRef;
import land.oras.Index;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Storage kinds and preloading from an OCI image layout. */
class StorageAndPreloadTest {
  static final Path KEPT = Paths.get("target", "registry-kept-" + ProcessHandle.current().pid());

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class GivenDirectory {
    // Instance field: a new server per test, on the same directory.
    @RegisterExtension
    OciRegistryExtension ext = OciRegistryExtension.builder().directory(KEPT).build();

    @Test
    @Order(1)
    void firstTestStores(OciRegistry registry) {
      Preloads.pushSmallImage(registry, "kept/app", "1");
      assertThat(Files.isDirectory(KEPT)).isTrue();
    }

    @Test
    @Order(2)
    void aLaterRegistryOnTheSameDirectoryFindsIt(OciRegistry registry) {
      assertThat(registry.tags("kept/app")).containsExactly("1");
    }
  }

  @Nested
  class TemporaryDirectory {
    static Path used;

    @RegisterExtension
    OciRegistryExtension ext = OciRegistryExtension.builder().temporaryDirectory().build();

    @Test
    void storesOnDiskAndIsDeletedAfterwards(OciRegistry registry) throws IOException {
      Preloads.pushSmallImage(registry, "tmp/app", "1");
      Path dir = registry.server().options().storageDirectory().orElseThrow();
      // The image's blobs are on disk (not only the lock file every storage root has).
      try (var files = Files.walk(dir.resolve("blobs"))) {
        assertThat(files.filter(Files::isRegularFile).count()).isGreaterThan(0);
      }
      used = dir;
    }

    @AfterAll
    static void deleted() {
      assertThat(used).isNotNull();
      assertThat(Files.exists(used)).isFalse();
    }
  }

  @Nested
  class Preload {
    static final Path LAYOUT;

    static {
      try {
        LAYOUT = Preloads.writeLayout(Files.createTempDirectory("ocireg-layout-"), "v1");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @RegisterExtension
    static OciRegistryExtension ext =
        OciRegistryExtension.builder().preload(LAYOUT, "library/multi", "v1").build();

    @Test
    void importsTheIndexItsChildrenAndTheirBlobs(OciRegistry registry) {
      StoredManifest index = registry.manifest("library/multi", "v1").orElseThrow();
      assertThat(index.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
      List<String> children = JibTest.digestsIn(index.json());
      assertThat(children).hasSize(2);
      for (String child : children) {
        StoredManifest m = registry.manifest("library/multi", child).orElseThrow();
        assertThat(JibTest.digestsIn(m.json()))
            .allMatch(d -> registry.blobExists("library/multi", d));
      }
      assertThat(registry.tags("library/multi")).containsExactly("v1");
    }

    @Test
    void aClientPullsThePreloadedIndex(OciRegistry registry) {
      Index index =
          Clients.oras(registry)
              .getIndex(ContainerRef.parse(registry.imageReference("library/multi:v1")));
      assertThat(index.getManifests()).hasSize(2);
      assertThat(registry.journal().acceptHeaders()).isNotEmpty();
    }
  }

  @Nested
  @OciRegistryTest(preload = "target/annotated-layout=annotated/app:v1")
  class AnnotationPreload {
    static {
      try {
        Preloads.writeLayout(Paths.get("target/annotated-layout"), "v1");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Test
    void preloadsFromTheAnnotation(OciRegistry registry) {
      assertThat(registry.tags("annotated/app")).containsExactly("v1");
    }
  }
}
