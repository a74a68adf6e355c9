package io.ocireg.junit5;

import io.ocireg.spec.Digest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small images and OCI image layouts for tests, written by hand from the image spec. */
final class Preloads {
  private Preloads() {}

  static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String manifestJson(
      String configDigest, long configSize, String layerDigest, long layerSize) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + configDigest
        + "\",\"size\":"
        + configSize
        + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
        + layerDigest
        + "\",\"size\":"
        + layerSize
        + "}]}";
  }

  /** Pushes a config, a layer and a manifest through the engine (no HTTP, no journal entry). */
  static void pushSmallImage(OciRegistry registry, String repository, String tag) {
    var engine = registry.engine();
    RepositoryName name = RepositoryName.parse(repository);
    byte[] config = utf8(CONFIG);
    byte[] layer = utf8("layer of " + repository);
    Digest c = Digest.sha256(config);
    Digest l = Digest.sha256(layer);
    engine.uploadWhole(name, c, new ByteArrayInputStream(config), config.length);
    engine.uploadWhole(name, l, new ByteArrayInputStream(layer), layer.length);
    byte[] manifest = utf8(manifestJson(c.toString(), config.length, l.toString(), layer.length));
    engine.putManifest(name, Tag.parse(tag), MediaType.OCI_MANIFEST, manifest);
  }

  /**
   * Writes an OCI image layout whose {@code index.json} names {@code tag}: an image index with two
   * platform manifests sharing a config, each with its own layer.
   */
  static Path writeLayout(Path dir, String tag) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Digest config = blob(dir, utf8(CONFIG));
    StringBuilder children = new StringBuilder();
    for (String arch : new String[] {"amd64", "arm64"}) {
      byte[] layer = utf8("layer for " + arch);
      Digest l = blob(dir, layer);
      byte[] m = utf8(manifestJson(config.toString(), CONFIG.length(), l.toString(), layer.length));
      Digest md = blob(dir, m);
      if (children.length() > 0) {
        children.append(',');
      }
      children
          .append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
          .append(md)
          .append("\",\"size\":")
          .append(m.length)
          .append(",\"platform\":{\"architecture\":\"")
          .append(arch)
          .append("\",\"os\":\"linux\"}}");
    }
    byte[] index =
        utf8(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":["
                + children
                + "]}");
    Digest id = blob(dir, index);
    Files.writeString(
        dir.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
            + "\"digest\":\""
            + id
            + "\",\"size\":"
            + index.length
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
            + tag
            + "\"}}]}");
    return dir;
  }

  private static Digest blob(Path dir, byte[] content) throws IOException {
    Digest d = Digest.sha256(content);
    Files.write(dir.resolve("blobs/sha256").resolve(d.encoded()), content);
    return d;
  }
}
