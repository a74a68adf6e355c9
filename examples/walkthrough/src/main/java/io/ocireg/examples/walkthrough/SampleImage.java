package io.ocireg.examples.walkthrough;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny but well-formed container image: one layer (a gzip-compressed tar holding one text file),
 * its config (whose {@code rootfs.diff_ids} names the uncompressed layer), and the image manifest
 * that ties them together by digest and size. Step 5 pushes one by hand; later steps call {@link
 * #pushTo}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md">image-spec:
 *     image manifest</a>
 */
public record SampleImage(byte[] layer, byte[] config, String manifest) {

  /** An image whose one layer holds {@code hello.txt} with {@code text}, for linux/amd64. */
  public static SampleImage create(String text) {
    byte[] tar = tar("hello.txt", text.getBytes(StandardCharsets.UTF_8));
    byte[] layer = gzip(tar);
    // The config names the layer by the digest of its uncompressed content (its "diff id").
    String config =
        """
        {"architecture":"amd64","os":"linux",\
        "config":{"Cmd":["/bin/cat","/hello.txt"]},\
        "rootfs":{"type":"layers","diff_ids":["%s"]}}"""
            .formatted(Digests.sha256(tar));
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    String manifest =
        """
        {
          "schemaVersion": 2,
          "mediaType": "%s",
          "config": {
            "mediaType": "%s",
            "digest": "%s",
            "size": %d
          },
          "layers": [
            {
              "mediaType": "%s",
              "digest": "%s",
              "size": %d
            }
          ]
        }
        """
            .formatted(
                MediaTypes.IMAGE_MANIFEST,
                MediaTypes.IMAGE_CONFIG,
                Digests.sha256(configBytes),
                configBytes.length,
                MediaTypes.LAYER_TAR_GZIP,
                Digests.sha256(layer),
                layer.length);
    return new SampleImage(layer, configBytes, manifest);
  }

  /** The manifest's bytes, exactly as pushed: its digest is computed over these. */
  public byte[] manifestBytes() {
    return manifest.getBytes(StandardCharsets.UTF_8);
  }

  /** The digest of the manifest, which is the image's immutable name. */
  public String manifestDigest() {
    return Digests.sha256(manifestBytes());
  }

  /** The digest of the config blob. */
  public String configDigest() {
    return Digests.sha256(config);
  }

  /** The digest of the layer blob. */
  public String layerDigest() {
    return Digests.sha256(layer);
  }

  /**
   * Pushes the blobs, then the manifest to {@code reference} (a tag or the manifest's digest), the
   * order a registry needs: a manifest may only refer to blobs it already holds.
   */
  public HttpResponse<byte[]> pushTo(Wire wire, String repository, String reference)
      throws IOException, InterruptedException {
    wire.pushBlob(repository, config);
    wire.pushBlob(repository, layer);
    return wire.pushManifest(repository, reference, MediaTypes.IMAGE_MANIFEST, manifest);
  }

  /** A POSIX ustar archive of one regular file, with fixed metadata so that it is reproducible. */
  static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644\0");
    put(header, 108, "0000000\0");
    put(header, 116, "0000000\0");
    put(header, 124, String.format("%011o\0", content.length));
    put(header, 136, "00000000000\0");
    put(header, 148, "        ");
    header[156] = '0';
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    int sum = 0;
    for (byte b : header) {
      sum += b & 0xFF;
    }
    put(header, 148, String.format("%06o\0 ", sum));
    int padded = (content.length + 511) / 512 * 512;
    // Two zero blocks end the archive.
    byte[] tar = new byte[512 + padded + 1024];
    System.arraycopy(header, 0, tar, 0, 512);
    System.arraycopy(content, 0, tar, 512, content.length);
    return tar;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] b = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
