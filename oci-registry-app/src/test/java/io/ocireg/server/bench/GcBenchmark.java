package io.ocireg.server.bench;

import io.ocireg.core.GarbageCollector;
import io.ocireg.core.GcOptions;
import io.ocireg.core.GcReport;
import io.ocireg.core.Registry;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.Storage;
import io.ocireg.storage.TagRecord;
import io.ocireg.storage.fs.FileSystemStorage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: times one garbage collection over a filesystem registry of many small blobs,
 * generated directly through the storage SPI. {@code BLOBS} blobs (default 100 000) in {@code
 * REPOS} repositories, each image of {@code LAYERS} layers; half the images are untagged and
 * collected with their unique layers.
 *
 * <pre>
 * mvn -q -pl oci-registry-app test-compile
 * java -cp "$(cat cp.txt):oci-registry-app/target/test-classes:oci-registry-app/target/classes" \
 *     io.ocireg.server.bench.GcBenchmark [DIR] [BLOBS]
 * </pre>
 *
 * (see {@code bench/gc-bench.sh}, which does this).
 */
public final class GcBenchmark {
  private static final int LAYERS = 9;
  private static final int REPOS = 100;

  private GcBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("gc-bench");
    int blobs = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    int images = blobs / (LAYERS + 1);
    Instant old = Instant.now().minus(Duration.ofDays(2));
    long t0 = System.nanoTime();
    try (Storage storage = FileSystemStorage.builder(dir).fsync(false).open()) {
      for (int i = 0; i < images; i++) {
        RepositoryName repo = RepositoryName.parse("bench/r" + (i % REPOS));
        List<String> descriptors = new ArrayList<>();
        Descriptor config = put(storage, repo, "config " + i, MediaType.OCI_CONFIG);
        for (int l = 0; l < LAYERS; l++) {
          descriptors.add(
              put(storage, repo, "layer " + i + "/" + l, MediaType.OCI_LAYER_GZIP).toJson());
        }
        byte[] manifest =
            ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":"
                    + config.toJson()
                    + ",\"layers\":["
                    + String.join(",", descriptors)
                    + "]}")
                .getBytes(StandardCharsets.UTF_8);
        Digest md = Digest.sha256(manifest);
        storage
            .metadata()
            .putManifest(repo, new ManifestRecord(md, MediaType.OCI_MANIFEST, manifest, old, 0));
        if (i % 2 == 0) {
          storage.metadata().putTag(repo, new TagRecord(Tag.parse("t" + i), md, old));
        }
      }
    }
    System.out.printf(
        "generated %d blobs, %d manifests in %d repositories under %s in %d s%n",
        images * (LAYERS + 1),
        images,
        REPOS,
        dir,
        Duration.ofNanos(System.nanoTime() - t0).toSeconds());

    try (Storage storage = FileSystemStorage.builder(dir).sweepOnOpen(false).open()) {
      Registry registry = Registry.create(storage);
      // No grace period: everything generated above counts as old.
      GcOptions options = GcOptions.defaults().withUntaggedToKeep(0).withGracePeriod(Duration.ZERO);
      GcReport dry = GarbageCollector.of(registry).collect(options.withDryRun(true));
      System.out.println(dry.summary());
      GcReport real = GarbageCollector.of(registry).collect(options);
      System.out.println(real.summary());
      GcReport again = GarbageCollector.of(registry).collect(options);
      System.out.println("second run (nothing to sweep): " + again.summary());
    }
  }

  private static Descriptor put(
      Storage storage, RepositoryName repo, String content, MediaType type) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    BlobUpload upload = storage.uploads().create(repo);
    upload.append(0, new ByteArrayInputStream(bytes));
    Digest d = upload.commit(Digest.sha256(bytes)).digest();
    storage.metadata().linkBlob(repo, d);
    return Descriptor.of(type, d, bytes.length);
  }
}
