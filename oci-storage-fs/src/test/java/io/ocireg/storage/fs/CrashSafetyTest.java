package io.ocireg.storage.fs;

import static io.ocireg.storage.fs.TestData.hash;
import static io.ocireg.storage.fs.TestData.hashFile;
import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Digest;
import io.ocireg.spec.Tag;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.ManifestRecord;
import io.ocireg.storage.TagRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kills a writing JVM with SIGKILL and checks what it had acknowledged: every acknowledged write is
 * intact after reopening, and no partial blob is visible.
 */
class CrashSafetyTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "kill after {0} acknowledgements")
  @ValueSource(ints = {7, 31, 62})
  @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void acknowledgedWritesSurviveAKill(int killAfter) throws Exception {
    Path root = dir.resolve("root");
    Path stderr = dir.resolve("child.err");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                childClasspath(),
                CrashingWriter.class.getName(),
                root.toString(),
                Integer.toString(killAfter))
            .redirectError(stderr.toFile())
            .start();
    List<Digest> blobs = new ArrayList<>();
    List<Digest> manifests = new ArrayList<>();
    Map<String, Digest> tags = new LinkedHashMap<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      int acks = 0;
      for (String line; acks < killAfter && (line = out.readLine()) != null; acks++) {
        String[] f = line.split(" ");
        switch (f[0]) {
          case "blob" -> blobs.add(Digest.parse(f[1]));
          case "manifest" -> manifests.add(Digest.parse(f[1]));
          case "tag" -> tags.put(f[1], Digest.parse(f[2]));
          default -> throw new AssertionError("unexpected output: " + line);
        }
      }
      child.destroyForcibly(); // SIGKILL wherever it is: between, or in the middle of, writes
      child.waitFor();
      assertThat(acks)
          .as("the writer stopped early; its stderr:%n%s", Files.readString(stderr))
          .isEqualTo(killAfter);
    } finally {
      child.destroyForcibly();
    }

    try (FileSystemStorage storage = FileSystemStorage.open(root)) {
      for (Digest blob : blobs) {
        BlobInfo info = storage.blobs().stat(blob).orElseThrow(() -> new AssertionError(blob));
        assertThat(hash(blob.algorithm(), storage.blobs().open(blob, 0, -1)))
            .as("acknowledged blob %s", blob)
            .isEqualTo(blob);
        assertThat(info.size()).isPositive();
      }
      for (Digest m : manifests) {
        ManifestRecord record =
            storage
                .metadata()
                .getManifest(CrashingWriter.REPOSITORY, m)
                .orElseThrow(() -> new AssertionError("lost manifest " + m));
        assertThat(Digest.sha256(record.content())).isEqualTo(m);
      }
      for (Map.Entry<String, Digest> t : tags.entrySet()) {
        TagRecord record =
            storage
                .metadata()
                .getTag(CrashingWriter.REPOSITORY, Tag.parse(t.getKey()))
                .orElseThrow(() -> new AssertionError("lost tag " + t.getKey()));
        // The kill may have landed after a newer put of the same tag was written but not printed:
        // then the tag names a manifest newer than every acknowledged one, which must be intact.
        int index = manifests.indexOf(record.digest());
        if (index < 0) {
          ManifestRecord newer =
              storage
                  .metadata()
                  .getManifest(CrashingWriter.REPOSITORY, record.digest())
                  .orElseThrow(() -> new AssertionError("tag " + t.getKey() + " names nothing"));
          assertThat(Digest.sha256(newer.content())).isEqualTo(record.digest());
        } else {
          assertThat(index)
              .as("tag %s", t.getKey())
              .isGreaterThanOrEqualTo(manifests.indexOf(t.getValue()));
        }
      }
      // Nothing partial is visible: every blob file hashes to its name, every record parses.
      try (Stream<Path> files = Files.walk(root.resolve("blobs"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Digest named = Digest.parse("sha256:" + f.getFileName());
          assertThat(hashFile(Digest.SHA256, f)).as("blob file %s", f).isEqualTo(named);
        }
      }
      for (Digest m :
          storage
              .metadata()
              .listManifests(CrashingWriter.REPOSITORY, Optional.empty(), 10_000)
              .items()) {
        ManifestRecord record =
            storage.metadata().getManifest(CrashingWriter.REPOSITORY, m).orElseThrow();
        assertThat(Digest.sha256(record.content())).isEqualTo(m);
      }
      storage.metadata().listTags(CrashingWriter.REPOSITORY, Optional.empty(), 100);
      assertThat(root.resolve("tmp")).isEmptyDirectory();
      assertThat(storage.blobs().list(Optional.empty(), 10_000).items()).containsAll(blobs);
    }
  }

  /** The test classpath, plus the module path when the tests run on it. */
  private static String childClasspath() {
    String cp = System.getProperty("java.class.path", "");
    String mp = System.getProperty("jdk.module.path", "");
    return mp.isEmpty() ? cp : cp.isEmpty() ? mp : cp + File.pathSeparator + mp;
  }
}
