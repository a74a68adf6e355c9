package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.BlobInfo;
import io.ocireg.storage.BlobUpload;
import io.ocireg.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Small tools shared by this module's tests. */
final class TestData {
  private TestData() {}

  static RepositoryName repo(String name) {
    return RepositoryName.parse(name);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Deterministic pseudo-random bytes, the same for the same seed and length. */
  static byte[] bytes(long seed, int length) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static BlobInfo putBlob(Storage storage, byte[] content) {
    BlobUpload upload = storage.uploads().create(repo("test/blobs"));
    upload.append(0, new ByteArrayInputStream(content));
    return upload.commit(Digest.sha256(content));
  }

  static Digest hash(String algorithm, InputStream in) {
    MessageDigest md = Digest.newMessageDigest(algorithm);
    byte[] buf = new byte[64 * 1024];
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Digest.fromHash(algorithm, md.digest());
  }

  static Digest hashFile(String algorithm, Path file) {
    try {
      return hash(algorithm, Files.newInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every regular file under {@code dir}, relative to it, with '/' separators. */
  static Stream<String> filesUnder(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk
          .filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
