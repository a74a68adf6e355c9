package io.ocireg.spec.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one JSON codec of the project: everything JSON goes through here, Jackson stays inside. */
public final class JsonCodec {
  // Duplicate keys and anything after the top-level value make a document ambiguous: two parsers
  // could read different manifests from the same bytes, so both are rejected.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

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
    // canConvertToInt: 4294967298 is integral but only truncates to 2.
    if (sv == null || !sv.isIntegralNumber() || !sv.canConvertToInt() || sv.intValue() != 2) {
      throw invalidManifest("schemaVersion must be 2");
    }
    Optional<MediaType> declared = optionalMediaType(root, "mediaType", "mediaType");
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
    Optional<MediaType> artifactType = artifactType(root, "artifactType");
    Optional<Descriptor> subject =
        isAbsent(root.get("subject"))
            ? Optional.empty()
            : Optional.of(descriptor(root.get("subject"), "subject"));
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
      // A document that is both a manifest and an index could be read either way.
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
        optionalMediaType(node, "mediaType", where + ".mediaType")
            .orElseThrow(() -> invalidManifest(where + ".mediaType is required"));
    JsonNode d = node.get("digest");
    if (d == null || !d.isTextual()) {
      throw invalidManifest(where + ".digest is required");
    }
    Digest digest;
    try {
      digest = Digest.parse(d.asText());
    } catch (InvalidValueException e) {
      // The message quotes the value cut short: a manifest may hold megabytes in one field.
      throw invalidManifest(where + ".digest: " + e.getMessage());
    }
    JsonNode s = node.get("size");
    if (s == null || !s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
      throw invalidManifest(where + ".size must be a non-negative integer");
    }
    List<String> urls = new ArrayList<>();
    JsonNode u = node.get("urls");
    if (!isAbsent(u)) {
      if (!u.isArray()) {
        throw invalidManifest(where + ".urls must be an array");
      }
      for (JsonNode url : u) {
        if (!url.isTextual() || !isAbsoluteUri(url.asText())) {
          throw invalidManifest(where + ".urls must hold absolute URIs");
        }
        urls.add(url.asText());
      }
    }
    Optional<Platform> platform = Optional.empty();
    JsonNode p = node.get("platform");
    if (!isAbsent(p)) {
      platform = Optional.of(platform(p, where + ".platform"));
    }
    Optional<String> data = Optional.empty();
    JsonNode dataNode = node.get("data");
    if (!isAbsent(dataNode)) {
      if (!dataNode.isTextual() || !isBase64(dataNode.asText())) {
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
        artifactType(node, where + ".artifactType"),
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
    if (!isAbsent(f)) {
      if (!f.isArray()) {
        throw invalidManifest(where + ".os.features must be an array of strings");
      }
      for (JsonNode x : f) {
        if (!x.isTextual()) {
          throw invalidManifest(where + ".os.features must be an array of strings");
        }
        features.add(x.asText());
      }
    }
    return new Platform(
        os,
        arch,
        optionalText(p, "variant", where),
        optionalText(p, "os.version", where),
        features);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw invalidManifest(where + "." + field + " is required");
    }
    return v.asText();
  }

  private static Optional<String> optionalText(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (isAbsent(v)) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw invalidManifest(where + "." + field + " must be a string");
    }
    return Optional.of(v.asText());
  }

  private static Optional<MediaType> optionalMediaType(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (isAbsent(v)) {
      return Optional.empty();
    }
    if (!v.isTextual() || !MediaType.isValid(v.asText())) {
      throw invalidManifest(where + " is not a valid media type");
    }
    return Optional.of(MediaType.of(v.asText()));
  }

  /**
   * An {@code artifactType}; the referrers rules treat "empty or missing" alike, so an empty string
   * is read as absent rather than rejected.
   */
  private static Optional<MediaType> artifactType(JsonNode node, String where) {
    JsonNode v = node.get("artifactType");
    if (v != null && v.isTextual() && v.asText().isEmpty()) {
      return Optional.empty();
    }
    return optionalMediaType(node, "artifactType", where);
  }

  private static Map<String, String> annotations(JsonNode node, String where) {
    if (isAbsent(node)) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw invalidManifest(where + " must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw invalidManifest(where + "." + shortKey(e.getKey()) + " must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** Optional fields may be left out or be JSON {@code null}; both mean "not there". */
  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }

  /**
   * RFC 4648 section 4 base64, padding included (the image-spec schema rejects missing padding).
   */
  private static boolean isBase64(String s) {
    if (s.length() % 4 != 0) {
      return false;
    }
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Descriptor urls must be absolute URIs (RFC 3986), as the image-spec schema checks. */
  private static boolean isAbsoluteUri(String s) {
    try {
      return new URI(s).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static JsonNode readTree(byte[] json) {
    if (json == null) {
      throw invalidManifest("empty body");
    }
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

  /** An annotation key as an error detail shows it: cut short, since keys have no length limit. */
  private static String shortKey(String key) {
    return key.length() > 64 ? key.substring(0, 64) + "..." : key;
  }

  private static RegistryException invalidManifest(String detail) {
    return new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest invalid", detail);
  }

  // ---- writing ---------------------------------------------------------------------------

  public static String descriptorJson(Descriptor d) {
    return descriptorNode(d).toString();
  }

  /** The compact JSON of a manifest view; for documents the registry or a test composes. */
  public static byte[] manifestJson(Manifest manifest) {
    ObjectNode root = NODES.objectNode();
    root.put("schemaVersion", manifest.schemaVersion());
    root.put("mediaType", manifest.mediaType().value());
    manifest.artifactType().ifPresent(t -> root.put("artifactType", t.value()));
    if (manifest instanceof ImageManifest m) {
      root.set("config", descriptorNode(m.config()));
      ArrayNode layers = root.putArray("layers");
      m.layers().forEach(d -> layers.add(descriptorNode(d)));
    } else if (manifest instanceof ImageIndex index) {
      ArrayNode manifests = root.putArray("manifests");
      index.manifests().forEach(d -> manifests.add(descriptorNode(d)));
    }
    manifest.subject().ifPresent(s -> root.set("subject", descriptorNode(s)));
    if (!manifest.annotations().isEmpty()) {
      ObjectNode a = root.putObject("annotations");
      manifest.annotations().forEach(a::put);
    }
    return bytes(root);
  }

  public static byte[] indexJson(ImageIndex index) {
    return manifestJson(index);
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
    JsonNode root = readObject(json);
    JsonNode name = root.get("name");
    if (name == null || !name.isTextual()) {
      throw new IllegalArgumentException("tag list has no name");
    }
    List<Tag> tags = new ArrayList<>();
    for (String t : strings(root.get("tags"), "tags")) {
      tags.add(Tag.parse(t));
    }
    return new TagList(RepositoryName.parse(name.asText()), tags);
  }

  public static byte[] catalogJson(Catalog catalog) {
    ObjectNode root = NODES.objectNode();
    ArrayNode repos = root.putArray("repositories");
    catalog.repositories().forEach(r -> repos.add(r.value()));
    return bytes(root);
  }

  public static Catalog parseCatalog(byte[] json) {
    JsonNode root = readObject(json);
    List<RepositoryName> repos = new ArrayList<>();
    for (String r : strings(root.get("repositories"), "repositories")) {
      repos.add(RepositoryName.parse(r));
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

  private static JsonNode readObject(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return root;
  }

  /**
   * A JSON array of strings; absent or {@code null} (some registries send it for none) is empty.
   */
  private static List<String> strings(JsonNode node, String field) {
    List<String> out = new ArrayList<>();
    if (isAbsent(node)) {
      return out;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(field + " must be an array of strings");
    }
    for (JsonNode x : node) {
      if (!x.isTextual()) {
        throw new IllegalArgumentException(field + " must be an array of strings");
      }
      out.add(x.asText());
    }
    return out;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
