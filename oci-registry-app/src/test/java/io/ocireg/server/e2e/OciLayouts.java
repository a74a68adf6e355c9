package io.ocireg.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * OCI image layouts on disk: built offline with umoci, read back to compare digests.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/image-layout.md">OCI image
 *     layout</a>
 */
final class OciLayouts {
  static final int BIG_LAYER_BYTES = 50 * 1024 * 1024 + 123;
  private static final ObjectMapper JSON = new ObjectMapper();

  private OciLayouts() {}

  /**
   * Builds, in {@code layout}: {@code app} (three layers, the middle one {@value #BIG_LAYER_BYTES}
   * bytes of random data), {@code amd} and {@code arm} (one small layer each) and {@code multi}, an
   * image index over {@code amd} (linux/amd64) and {@code arm} (linux/arm64).
   */
  static void build(Path layout, Path scratch) throws IOException {
    Map<String, String> env = Map.of();
    Files.createDirectories(scratch);
    Path hello = Files.writeString(scratch.resolve("hello.txt"), "hello from ocireg e2e\n");
    Path second = Files.writeString(scratch.resolve("second.txt"), "second layer\n");
    Path big = scratch.resolve("random.bin");
    writeRandom(big, BIG_LAYER_BYTES, 20260101L);
    Path amdFile = Files.writeString(scratch.resolve("amd.txt"), "amd64\n");
    Path armFile = Files.writeString(scratch.resolve("arm.txt"), "arm64\n");

    String l = layout.toString();
    Tools.run(env, "umoci", "init", "--layout", l);
    Tools.run(env, "umoci", "new", "--image", l + ":app");
    Tools.run(env, "umoci", "insert", "--image", l + ":app", hello.toString(), "/etc/hello.txt");
    Tools.run(env, "umoci", "insert", "--image", l + ":app", big.toString(), "/data/random.bin");
    Tools.run(env, "umoci", "insert", "--image", l + ":app", second.toString(), "/etc/second.txt");
    Tools.run(
        env,
        "umoci",
        "config",
        "--image",
        l + ":app",
        "--config.cmd",
        "/bin/true",
        "--author",
        "ocireg e2e");
    Files.delete(big);

    Tools.run(env, "umoci", "new", "--image", l + ":amd");
    Tools.run(env, "umoci", "insert", "--image", l + ":amd", amdFile.toString(), "/arch.txt");
    Tools.run(env, "umoci", "new", "--image", l + ":arm");
    Tools.run(env, "umoci", "insert", "--image", l + ":arm", armFile.toString(), "/arch.txt");
    Tools.run(
        env, "umoci", "config", "--image", l + ":amd", "--os", "linux", "--architecture", "amd64");
    Tools.run(
        env, "umoci", "config", "--image", l + ":arm", "--os", "linux", "--architecture", "arm64");
    addIndex(layout, "multi", List.of("amd", "arm"), List.of("amd64", "arm64"));
  }

  /**
   * Builds, in {@code layout} (created when missing), the image {@code tag}: one layer holding
   * {@code /data/random.bin}, {@code size} bytes of incompressible data from {@code seed}, so that
   * the gzip-compressed layer is about as big. The data file is written to {@code scratch} and
   * deleted afterwards.
   */
  static void buildRandomLayerImage(Path layout, Path scratch, String tag, long size, long seed)
      throws IOException {
    Map<String, String> env = Map.of();
    Files.createDirectories(scratch);
    Path data = scratch.resolve(tag + ".bin");
    writeRandom(data, size, seed);
    String image = layout + ":" + tag;
    if (!Files.exists(layout.resolve("index.json"))) {
      Tools.run(env, "umoci", "init", "--layout", layout.toString());
    }
    Tools.run(env, "umoci", "new", "--image", image);
    Tools.run(env, "umoci", "insert", "--image", image, data.toString(), "/data/random.bin");
    Tools.run(env, "umoci", "config", "--image", image, "--config.cmd", "/bin/true");
    Files.delete(data);
  }

  private static void writeRandom(Path file, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        for (int i = 0; i < buf.length; i += 8) {
          long v = random.nextLong();
          for (int j = 0; j < 8; j++) {
            buf[i + j] = (byte) (v >>> (8 * j));
          }
        }
        out.write(buf, 0, (int) Math.min(left, buf.length));
      }
    }
  }

  /** Writes an image index over the tagged manifests and tags it {@code tag}. */
  static void addIndex(Path layout, String tag, List<String> refs, List<String> architectures)
      throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode manifests = index.putArray("manifests");
    for (int i = 0; i < refs.size(); i++) {
      ObjectNode d = descriptor(layout, refs.get(i)).deepCopy();
      d.remove("annotations");
      d.putObject("platform").put("architecture", architectures.get(i)).put("os", "linux");
      manifests.add(d);
    }
    byte[] bytes = JSON.writeValueAsBytes(index);
    String digest = sha256(bytes);
    Files.write(layout.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);

    ObjectNode top = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
    ObjectNode d = ((ArrayNode) top.get("manifests")).addObject();
    d.put("mediaType", "application/vnd.oci.image.index.v1+json");
    d.put("digest", digest);
    d.put("size", bytes.length);
    d.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    JSON.writeValue(layout.resolve("index.json").toFile(), top);
  }

  /** The descriptor that {@code index.json} of {@code layout} tags {@code ref}. */
  static ObjectNode descriptor(Path layout, String ref) throws IOException {
    JsonNode top = JSON.readTree(layout.resolve("index.json").toFile());
    for (JsonNode d : top.get("manifests")) {
      if (ref.equals(d.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        return (ObjectNode) d;
      }
    }
    throw new AssertionError("no " + ref + " in " + top);
  }

  /** The manifest digest of {@code ref}. */
  static String manifestDigest(Path layout, String ref) throws IOException {
    return descriptor(layout, ref).get("digest").asText();
  }

  /** The config digest then the layer digests of the image manifest {@code ref}. */
  static List<String> configAndLayers(Path layout, String ref) throws IOException {
    JsonNode manifest = blobJson(layout, manifestDigest(layout, ref));
    List<String> digests = new ArrayList<>();
    digests.add(manifest.get("config").get("digest").asText());
    for (JsonNode layer : manifest.get("layers")) {
      digests.add(layer.get("digest").asText());
    }
    return digests;
  }

  /** The size of the blob {@code digest} as the manifest {@code ref} describes it. */
  static long layerSize(Path layout, String ref, String digest) throws IOException {
    for (JsonNode layer : blobJson(layout, manifestDigest(layout, ref)).get("layers")) {
      if (digest.equals(layer.get("digest").asText())) {
        return layer.get("size").asLong();
      }
    }
    throw new AssertionError("no layer " + digest + " in " + ref);
  }

  static JsonNode blobJson(Path layout, String digest) throws IOException {
    return JSON.readTree(layout.resolve("blobs/sha256").resolve(digest.substring(7)).toFile());
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] data) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
