package io.ocireg.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * An image made in Java, without umoci: a base image of an OCI layout plus one layer of its own
 * (one file of random bytes, so nothing else shares it), written as a one-image layout tagged
 * {@value #TAG}. Cheap enough to make one per push, so that a stress run has content that becomes
 * garbage when its tag goes.
 *
 * @param manifestDigest the digest of the new image manifest
 * @param blobs its config digest then its layer digests
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/image-layout.md">OCI image
 *     layout</a>
 */
record DerivedImage(String manifestDigest, List<String> blobs) {
  static final String TAG = "x";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Writes, in the new directory {@code dest}, image {@code base} of {@code layout} with one more
   * layer of {@code bytes} random bytes from {@code seed}.
   */
  static DerivedImage write(Path layout, String base, Path dest, long seed, int bytes)
      throws IOException {
    Path blobs = Files.createDirectories(dest.resolve("blobs/sha256"));
    Files.writeString(dest.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    ObjectNode manifest =
        (ObjectNode) OciLayouts.blobJson(layout, OciLayouts.manifestDigest(layout, base));
    for (JsonNode layer : manifest.get("layers")) {
      copyBlob(layout, blobs, layer.get("digest").asText());
    }

    byte[] tar = tar("data/unique.bin", random(bytes, seed));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] layer = gz.toByteArray();
    String layerDigest = writeBlob(blobs, layer);

    ObjectNode config =
        (ObjectNode) OciLayouts.blobJson(layout, manifest.get("config").get("digest").asText());
    ((ArrayNode) config.get("rootfs").get("diff_ids")).add(OciLayouts.sha256(tar));
    if (config.has("history")) {
      ((ArrayNode) config.get("history")).addObject().put("created_by", "ocireg DerivedImage");
    }
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configDigest = writeBlob(blobs, configBytes);

    ((ObjectNode) manifest.get("config"))
        .put("digest", configDigest)
        .put("size", configBytes.length);
    ((ArrayNode) manifest.get("layers"))
        .addObject()
        .put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
        .put("digest", layerDigest)
        .put("size", layer.length);
    byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
    String manifestDigest = writeBlob(blobs, manifestBytes);

    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2);
    index
        .putArray("manifests")
        .addObject()
        .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
        .put("digest", manifestDigest)
        .put("size", manifestBytes.length)
        .putObject("annotations")
        .put("org.opencontainers.image.ref.name", TAG);
    JSON.writeValue(dest.resolve("index.json").toFile(), index);

    List<String> all = new ArrayList<>();
    all.add(configDigest);
    manifest.get("layers").forEach(l -> all.add(l.get("digest").asText()));
    return new DerivedImage(manifestDigest, all);
  }

  private static void copyBlob(Path layout, Path blobs, String digest) throws IOException {
    Path from = layout.resolve("blobs/sha256").resolve(digest.substring(7));
    Path to = blobs.resolve(digest.substring(7));
    try {
      Files.createLink(to, from); // same filesystem: no copy of the shared layers
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.copy(from, to);
    }
  }

  private static String writeBlob(Path blobs, byte[] data) throws IOException {
    String digest = OciLayouts.sha256(data);
    Files.write(blobs.resolve(digest.substring(7)), data);
    return digest;
  }

  private static byte[] random(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) random.nextInt(256);
    }
    return data;
  }

  /** A POSIX ustar archive holding one regular file. */
  private static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, String.format("%011o", 0));
    for (int i = 148; i < 156; i++) {
      header[i] = ' '; // the checksum is computed with its own field as spaces
    }
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    header[155] = ' ';
    int padded = (content.length + 511) / 512 * 512;
    byte[] tar = new byte[512 + padded + 1024]; // two zero blocks end the archive
    System.arraycopy(header, 0, tar, 0, 512);
    System.arraycopy(content, 0, tar, 512, content.length);
    return tar;
  }

  private static void put(byte[] header, int at, String value) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, at, b.length);
  }
}
