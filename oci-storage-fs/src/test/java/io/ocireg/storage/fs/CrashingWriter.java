package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.TagRecord;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The victim of {@link CrashSafetyTest}: writes blobs, manifests and tags in a loop until it is
 * killed, printing one line per write that returned (that was acknowledged):
 *
 * <pre>
 * blob &lt;digest&gt;
 * manifest &lt;digest&gt;
 * tag &lt;name&gt; &lt;digest&gt;
 * </pre>
 */
public final class CrashingWriter {
  static final RepositoryName REPOSITORY = RepositoryName.parse("crash/app");

  private CrashingWriter() {}

  public static void main(String[] args) {
    Path root = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    PrintStream out = System.out;
    SplittableRandom random = new SplittableRandom(seed);
    FileSystemStorage storage = FileSystemStorage.open(root);
    for (int i = 0; ; i++) {
      byte[] content = new byte[1 + random.nextInt(256 * 1024)];
      random.nextBytes(content);
      BlobUpload upload = storage.uploads().create(REPOSITORY);
      // A few chunks, so that kills land between appends as well.
      int cut = content.length / 2;
      upload.append(0, new ByteArrayInputStream(Arrays.copyOfRange(content, 0, cut)));
      upload.append(
          cut, new ByteArrayInputStream(Arrays.copyOfRange(content, cut, content.length)));
      Digest blob = upload.commit(Digest.sha256(content)).digest();
      ack(out, "blob " + blob);

      byte[] json =
          ("{\"schemaVersion\":2,\"n\":" + i + ",\"layer\":\"" + blob + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      Digest manifest = Digest.sha256(json);
      storage
          .metadata()
          .putManifest(
              REPOSITORY,
              new ManifestRecord(manifest, MediaType.OCI_MANIFEST, json, Instant.now(), 0));
      ack(out, "manifest " + manifest);

      Tag tag = Tag.parse("t" + (i % 7)); // tags move: only the last acknowledged one counts
      storage.metadata().putTag(REPOSITORY, new TagRecord(tag, manifest, Instant.now()));
      ack(out, "tag " + tag + " " + manifest);
    }
  }

  private static void ack(PrintStream out, String line) {
    out.println(line);
    out.flush();
  }
}
