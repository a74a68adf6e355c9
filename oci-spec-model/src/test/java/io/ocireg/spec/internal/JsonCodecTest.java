package io.ocireg.spec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.Catalog;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Platform;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.spec.TagList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  private static final Digest DIGEST =
      Digest.parse("sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270");

  @Test
  void writesTheSpecTagListShape() {
    TagList list =
        new TagList(
            RepositoryName.parse("library/ubuntu"), List.of(Tag.parse("1.0"), Tag.parse("latest")));
    assertThat(text(JsonCodec.tagListJson(list)))
        .isEqualTo("{\"name\":\"library/ubuntu\",\"tags\":[\"1.0\",\"latest\"]}");
    assertThat(JsonCodec.parseTagList(JsonCodec.tagListJson(list))).isEqualTo(list);
  }

  @Test
  void writesAnEmptyTagListAsAnEmptyArray() {
    TagList empty = new TagList(RepositoryName.parse("a"), List.of());
    assertThat(text(JsonCodec.tagListJson(empty))).isEqualTo("{\"name\":\"a\",\"tags\":[]}");
  }

  @Test
  void readsNullOrMissingTagsAsNone() {
    assertThat(JsonCodec.parseTagList(bytes("{\"name\":\"a\",\"tags\":null}")).tags()).isEmpty();
    assertThat(JsonCodec.parseTagList(bytes("{\"name\":\"a\"}")).tags()).isEmpty();
  }

  @Test
  void rejectsMalformedTagLists() {
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("{\"tags\":[]}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("{\"name\":\"a\",\"tags\":[1]}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("{\"name\":\"a\",\"tags\":\"x\"}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("{\"name\":\"a\",\"tags\":[\"a:b\"]}")))
        .isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("{\"name\":\"A\",\"tags\":[]}")))
        .isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("[]")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.parseTagList(bytes("{")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesAndReadsTheCatalogShape() {
    Catalog catalog =
        new Catalog(List.of(RepositoryName.parse("a/b"), RepositoryName.parse("library/ubuntu")));
    assertThat(text(JsonCodec.catalogJson(catalog)))
        .isEqualTo("{\"repositories\":[\"a/b\",\"library/ubuntu\"]}");
    assertThat(JsonCodec.parseCatalog(JsonCodec.catalogJson(catalog))).isEqualTo(catalog);
    assertThat(text(JsonCodec.catalogJson(new Catalog(List.of()))))
        .isEqualTo("{\"repositories\":[]}");
  }

  @Test
  void rejectsMalformedCatalogs() {
    assertThatThrownBy(() -> JsonCodec.parseCatalog(bytes("{\"repositories\":[null]}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonCodec.parseCatalog(bytes("{\"repositories\":[\"a//b\"]}")))
        .isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> JsonCodec.parseCatalog(bytes("{\"repositories\":[]} []")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesDescriptorFieldsOnlyWhenPresent() {
    assertThat(JsonCodec.descriptorJson(Descriptor.of(MediaType.OCI_MANIFEST, DIGEST, 7682)))
        .isEqualTo(
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + DIGEST
                + "\",\"size\":7682}");
  }

  @Test
  void writesEveryDescriptorField() {
    Descriptor d =
        new Descriptor(
            MediaType.OCI_MANIFEST,
            DIGEST,
            7682,
            List.of("https://example.com/example-manifest"),
            Map.of("k", "v"),
            Optional.of(MediaType.of("application/vnd.example+type")),
            Optional.of(
                new Platform(
                    "windows",
                    "amd64",
                    Optional.of("v1"),
                    Optional.of("10.0.14393.1066"),
                    List.of("win32k"))),
            Optional.of("e30="));
    assertThat(JsonCodec.descriptorJson(d))
        .isEqualTo(
            "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"application/vnd.example+type\","
                + "\"digest\":\""
                + DIGEST
                + "\",\"size\":7682,"
                + "\"urls\":[\"https://example.com/example-manifest\"],"
                + "\"annotations\":{\"k\":\"v\"},"
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"windows\","
                + "\"os.version\":\"10.0.14393.1066\",\"os.features\":[\"win32k\"],"
                + "\"variant\":\"v1\"},"
                + "\"data\":\"e30=\"}");
  }

  @Test
  void indexJsonIsTheManifestWriterForIndexes() {
    ImageIndex index = ImageIndex.of(List.of(Descriptor.of(MediaType.OCI_MANIFEST, DIGEST, 1)));
    assertThat(JsonCodec.indexJson(index)).isEqualTo(JsonCodec.manifestJson(index));
  }

  @Test
  void escapesTextInAnnotations() {
    Descriptor d =
        Descriptor.of(MediaType.OCI_MANIFEST, DIGEST, 1)
            .withAnnotations(Map.of("k", "quote\" backslash\\ newline\n \u2713"));
    assertThat(JsonCodec.descriptorJson(d))
        .contains("\"k\":\"quote\\\" backslash\\\\ newline\\n \u2713\"");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
