package io.ocireg.spec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocireg.spec.Catalog;
import io.ocireg.spec.Descriptor;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.ImageIndex;
import io.ocireg.spec.ImageManifest;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.Manifest;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Platform;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.spec.TagList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one JSON codec of the project: everything JSON goes through here, Jackson stays inside. */
public final class JsonCodec {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(8 << 20).build());
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonCodec() {}

  // ---- manifests -------------------------------------------------------------------------

  public static Manifest parseManifest(byte[] json, MediaType contentType) {
    JsonNode root = readTree(json);
    if (!root.isObject()) {
      throw invalidManifest("manifest must be a JSON object");
    }
    JsonNode sv = root.get("schemaVersion");
    if (sv == null || !sv.isIntegralNumber() || sv.asInt() != 2) {
      throw invalidManifest("schemaVersion must be 2");
    }
    Optional<MediaType> declared = optionalMediaType(root, "mediaType");
    MediaType type;
    if (contentType != null && declared.isPresent() && !declared.get().is(contentType)) {
      throw invalidManifest(
          "mediaType " + declared.get() + " does not match Content-Type " + contentType);
    }
    if (contentType != null) {
      type = contentType;
    } else if (declared.isPresent()) {
      type = declared.get();
    } else {
      throw invalidManifest("manifest has no media type: send Content-Type");
    }
    Optional<MediaType> artifactType = optionalMediaType(root, "artifactType");
    Optional<Descriptor> subject =
        root.has("subject")
            ? Optional.of(descriptor(root.get("subject"), "subject"))
            : Optional.empty();
    Map<String, String> annotations = annotations(root.get("annotations"), "annotations");
    if (type.isImageManifest()) {
      JsonNode config = root.get("config");
      if (config == null) {
        throw invalidManifest("image manifest has no config");
      }
      JsonNode layers = root.get("layers");
      if (layers == null || !layers.isArray()) {
        throw invalidManifest("image manifest has no layers array");
      }
      if (root.has("manifests")) {
        throw invalidManifest("image manifest must not have manifests");
      }
      return new ImageManifest(
          2,
          type,
          artifactType,
          descriptor(config, "config"),
          descriptors(layers, "layers"),
          subject,
          annotations);
    }
    if (type.isIndex()) {
      JsonNode manifests = root.get("manifests");
      if (manifests == null || !manifests.isArray()) {
        throw invalidManifest("image index has no manifests array");
      }
      if (root.has("config") || root.has("layers")) {
        throw invalidManifest("image index must not have config or layers");
      }
      return new ImageIndex(
          2, type, artifactType, descriptors(manifests, "manifests"), subject, annotations);
    }
    throw invalidManifest("unsupported manifest media type " + type);
  }

  private static List<Descriptor> descriptors(JsonNode array, String where) {
    List<Descriptor> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(descriptor(array.get(i), where + "[" + i + "]"));
    }
    return out;
  }

  private static Descriptor descriptor(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw invalidManifest(where + " must be a descriptor object");
    }
    MediaType mediaType =
        optionalMediaType(node, "mediaType")
            .orElseThrow(() -> invalidManifest(where + ".mediaType is required"));
    JsonNode d = node.get("digest");
    if (d == null || !d.isTextual()) {
      throw invalidManifest(where + ".digest is required");
    }
    Digest digest;
    try {
      digest = Digest.parse(d.asText());
    } catch (InvalidValueException e) {
      throw invalidManifest(where + ".digest is invalid: " + d.asText());
    }
    JsonNode s = node.get("size");
    if (s == null || !s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
      throw invalidManifest(where + ".size must be a non-negative integer");
    }
    List<String> urls = new ArrayList<>();
    JsonNode u = node.get("urls");
    if (u != null && !u.isNull()) {
      if (!u.isArray()) {
        throw invalidManifest(where + ".urls must be an array");
      }
      for (JsonNode url : u) {
        if (!url.isTextual()) {
          throw invalidManifest(where + ".urls must hold strings");
        }
        urls.add(url.asText());
      }
    }
    Optional<Platform> platform = Optional.empty();
    JsonNode p = node.get("platform");
    if (p != null && !p.isNull()) {
      platform = Optional.of(platform(p, where + ".platform"));
    }
    Optional<String> data = Optional.empty();
    JsonNode dataNode = node.get("data");
    if (dataNode != null && !dataNode.isNull()) {
      if (!dataNode.isTextual()) {
        throw invalidManifest(where + ".data must be base64 text");
      }
      data = Optional.of(dataNode.asText());
    }
    return new Descriptor(
        mediaType,
        digest,
        s.asLong(),
        urls,
        annotations(node.get("annotations"), where + ".annotations"),
        optionalMediaType(node, "artifactType"),
        platform,
        data);
  }

  private static Platform platform(JsonNode p, String where) {
    if (!p.isObject()) {
      throw invalidManifest(where + " must be an object");
    }
    String os = text(p, "os", where);
    String arch = text(p, "architecture", where);
    List<String> features = new ArrayList<>();
    JsonNode f = p.get("os.features");
    if (f != null && f.isArray()) {
      f.forEach(x -> features.add(x.asText()));
    }
    return new Platform(
        os, arch, optionalText(p, "variant"), optionalText(p, "os.version"), features);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalidManifest(where + "." + field + " is required");
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
  }

  private static Optional<MediaType> optionalMediaType(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || !MediaType.isValid(v.asText())) {
      throw invalidManifest(field + " is not a valid media type");
    }
    return Optional.of(MediaType.of(v.asText()));
  }

  private static Map<String, String> annotations(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw invalidManifest(where + " must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw invalidManifest(where + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static JsonNode readTree(byte[] json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || node.isMissingNode()) {
        throw invalidManifest("empty body");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw invalidManifest("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalidManifest("not valid JSON");
    }
  }

  private static RegistryException invalidManifest(String detail) {
    return new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest invalid", detail);
  }

  // ---- writing ---------------------------------------------------------------------------

  public static String descriptorJson(Descriptor d) {
    return descriptorNode(d).toString();
  }

  public static byte[] indexJson(ImageIndex index) {
    ObjectNode root = NODES.objectNode();
    root.put("schemaVersion", index.schemaVersion());
    root.put("mediaType", index.mediaType().value());
    index.artifactType().ifPresent(t -> root.put("artifactType", t.value()));
    ArrayNode manifests = root.putArray("manifests");
    index.manifests().forEach(d -> manifests.add(descriptorNode(d)));
    index.subject().ifPresent(s -> root.set("subject", descriptorNode(s)));
    if (!index.annotations().isEmpty()) {
      ObjectNode a = root.putObject("annotations");
      index.annotations().forEach(a::put);
    }
    return bytes(root);
  }

  private static ObjectNode descriptorNode(Descriptor d) {
    ObjectNode n = NODES.objectNode();
    n.put("mediaType", d.mediaType().value());
    d.artifactType().ifPresent(t -> n.put("artifactType", t.value()));
    n.put("digest", d.digest().toString());
    n.put("size", d.size());
    if (!d.urls().isEmpty()) {
      ArrayNode u = n.putArray("urls");
      d.urls().forEach(u::add);
    }
    if (!d.annotations().isEmpty()) {
      ObjectNode a = n.putObject("annotations");
      d.annotations().forEach(a::put);
    }
    d.platform()
        .ifPresent(
            p -> {
              ObjectNode pn = n.putObject("platform");
              pn.put("architecture", p.architecture());
              pn.put("os", p.os());
              p.osVersion().ifPresent(v -> pn.put("os.version", v));
              if (!p.osFeatures().isEmpty()) {
                ArrayNode f = pn.putArray("os.features");
                p.osFeatures().forEach(f::add);
              }
              p.variant().ifPresent(v -> pn.put("variant", v));
            });
    d.data().ifPresent(x -> n.put("data", x));
    return n;
  }

  public static byte[] tagListJson(TagList list) {
    ObjectNode root = NODES.objectNode();
    root.put("name", list.name().value());
    ArrayNode tags = root.putArray("tags");
    list.tags().forEach(t -> tags.add(t.value()));
    return bytes(root);
  }

  public static TagList parseTagList(byte[] json) {
    JsonNode root = readPlain(json);
    List<Tag> tags = new ArrayList<>();
    JsonNode t = root.get("tags");
    if (t != null && t.isArray()) {
      t.forEach(x -> tags.add(Tag.parse(x.asText())));
    }
    return new TagList(RepositoryName.parse(root.path("name").asText()), tags);
  }

  public static byte[] catalogJson(Catalog catalog) {
    ObjectNode root = NODES.objectNode();
    ArrayNode repos = root.putArray("repositories");
    catalog.repositories().forEach(r -> repos.add(r.value()));
    return bytes(root);
  }

  public static Catalog parseCatalog(byte[] json) {
    JsonNode root = readPlain(json);
    List<RepositoryName> repos = new ArrayList<>();
    JsonNode r = root.get("repositories");
    if (r != null && r.isArray()) {
      r.forEach(x -> repos.add(RepositoryName.parse(x.asText())));
    }
    return new Catalog(repos);
  }

  public static byte[] errorsJson(ErrorResponse response) {
    ObjectNode root = NODES.objectNode();
    ArrayNode errors = root.putArray("errors");
    for (RegistryException e : response.errors()) {
      ObjectNode n = errors.addObject();
      n.put("code", e.code().name());
      n.put("message", e.getMessage());
      e.detail().ifPresent(d -> n.put("detail", d));
    }
    return bytes(root);
  }

  private static JsonNode readPlain(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON", e);
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
