package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB layer of incompressible data pushed by skopeo to the packaged server running with a 128
 * MiB heap, and pulled back with identical digests: blobs stream through the server, never whole in
 * memory.
 */
class LargeLayerIT {
  static final long LAYER_BYTES = 1L << 30;

  @TempDir Path work;

  @Test
  void pushesAndPullsAOneGibibyteLayerWithA128MibHeap() throws Exception {
    Tools.require("skopeo", "umoci");
    Path source = work.resolve("source");
    long start = System.nanoTime();
    OciLayouts.buildRandomLayerImage(source, work.resolve("scratch"), "big", LAYER_BYTES, 1024L);
    List<String> expected = OciLayouts.configAndLayers(source, "big");
    assertThat(expected).as("config and one layer").hasSize(2);
    String layer = expected.get(1);
    long layerSize = OciLayouts.layerSize(source, "big", layer);
    // Random data does not compress: the gzip layer umoci wrote is at least as big as the file.
    assertThat(layerSize).as("compressed layer size").isGreaterThanOrEqualTo(LAYER_BYTES);
    Skopeo skopeo = Skopeo.in(work);
    long built = System.nanoTime();

    // Without ExitOnOutOfMemoryError an OOM in one request thread could leave the process alive.
    try (RegistryProcess registry =
        RegistryProcess.start(work.resolve("storage"), "-Xmx128m", "-XX:+ExitOnOutOfMemoryError")) {
      String remote = "docker://" + registry.host() + "/e2e/large:1";
      skopeo.run(
          "copy", "--dest-tls-verify=false", "--format", "oci", "oci:" + source + ":big", remote);
      long pushed = System.nanoTime();
      assertThat(registry.isAlive()).as("server alive after the push").isTrue();

      Path out = work.resolve("pulled");
      skopeo.run("copy", "--src-tls-verify=false", remote, "oci:" + out + ":big");
      long pulled = System.nanoTime();
      System.out.printf(
          "layer %d bytes: built in %d ms, pushed in %d ms, pulled in %d ms%n",
          layerSize, millis(start, built), millis(built, pushed), millis(pushed, pulled));
      assertThat(OciLayouts.manifestDigest(out, "big"))
          .isEqualTo(OciLayouts.manifestDigest(source, "big"));
      assertThat(OciLayouts.configAndLayers(out, "big")).isEqualTo(expected);
      assertThat(Files.size(out.resolve("blobs/sha256").resolve(layer.substring(7))))
          .isEqualTo(layerSize);
      assertThat(registry.isAlive()).as("server alive after the pull").isTrue();
      assertThat(registry.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
    }
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
