package io.ocireg.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocireg.core.Registry;
import io.ocireg.core.auth.Action;
import io.ocireg.spec.Digest;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.spec.Tag;
import io.ocireg.storage.TagRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code POST api/delete} (and {@code POST delete}): deletes a manifest by digest, with every tag
 * pointing at it, or one tag, through the engine, which applies the same rules as a {@code DELETE}
 * on {@code /v2/}. Needs the caller's {@code delete} right on the repository.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#deleting-tags">
 *     distribution-spec: deleting tags</a>
 */
final class Deletes {
  /** Room for the 1000 tags a page shows at most, with their quotes. */
  static final int MAX_BODY = 160 * 1024;

  /** Most removed tags named in the answer; {@code tagsRemovedCount} counts them all. */
  static final int MAX_LISTED = 1000;

  private final Registry registry;

  Deletes(Registry registry) {
    this.registry = registry;
  }

  /**
   * Deletes what {@code body} names and tells {@code changed} the repository, which may be gone
   * now.
   */
  Map<String, Object> delete(
      Caller caller, InputStream body, java.util.function.Consumer<RepositoryName> changed)
      throws IOException {
    JsonNode request = read(body);
    RepositoryName repository = RepositoryName.parse(text(request, "repository"));
    boolean byDigest = request.hasNonNull("digest");
    boolean byTag = request.hasNonNull("tag");
    if (byDigest == byTag) {
      throw invalid("give either a digest or a tag");
    }
    caller.require(repository, Action.DELETE);
    Map<String, Object> deleted = new LinkedHashMap<>();
    deleted.put("repository", repository.value());
    Map<String, Object> out = new LinkedHashMap<>();
    if (byDigest) {
      Digest digest = Digest.parse(text(request, "digest"));
      Optional<Set<String>> expected = expectedTags(request);
      OptionalInt expectedCount = expectedCount(request);
      // Checked and deleted under the engine's repository lock: nothing moves in between.
      Optional<List<TagRecord>> removed =
          registry.deleteManifestIf(
              repository, digest, now -> matches(now, expected, expectedCount));
      if (removed.isEmpty()) {
        throw new RegistryException(
                ErrorCode.DENIED,
                "the tags pointing at the manifest changed since the page showed them",
                "reload the page and confirm again: nothing was deleted")
            .withStatus(409);
      }
      changed.accept(repository);
      List<String> tags = removed.get().stream().map(t -> t.tag().value()).sorted().toList();
      deleted.put("digest", digest.toString());
      out.put("deleted", deleted);
      out.put("tagsRemoved", tags.size() > MAX_LISTED ? tags.subList(0, MAX_LISTED) : tags);
      out.put("tagsRemovedCount", tags.size());
    } else {
      Tag tag = Tag.parse(text(request, "tag"));
      registry.deleteManifest(repository, tag);
      changed.accept(repository);
      deleted.put("tag", tag.value());
      out.put("deleted", deleted);
      out.put("tagsRemoved", List.of(tag.value()));
      out.put("tagsRemovedCount", 1);
    }
    return out;
  }

  /**
   * Whether the tags pointing at the manifest now are those the caller saw: exactly {@code
   * expectTags}; or, when the page showed only the first of them, a set holding {@code expectTags}
   * of {@code expectTagCount} tags. Without {@code expectTags} (a script), whatever they are.
   */
  private static boolean matches(
      List<TagRecord> now, Optional<Set<String>> expected, OptionalInt expectedCount) {
    if (expected.isEmpty()) {
      return expectedCount.isEmpty() || expectedCount.getAsInt() == now.size();
    }
    Set<String> current = new HashSet<>();
    for (TagRecord t : now) {
      current.add(t.tag().value());
    }
    if (expectedCount.isPresent()) {
      return current.size() == expectedCount.getAsInt() && current.containsAll(expected.get());
    }
    return current.equals(expected.get());
  }

  private static Optional<Set<String>> expectedTags(JsonNode request) {
    JsonNode v = request.get("expectTags");
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw invalid("expectTags must be an array of tags");
    }
    Set<String> out = new HashSet<>();
    for (JsonNode t : v) {
      if (!t.isTextual() || !Tag.isValid(t.asText())) {
        throw invalid("expectTags must be an array of tags");
      }
      out.add(t.asText());
    }
    return Optional.of(out);
  }

  private static OptionalInt expectedCount(JsonNode request) {
    JsonNode v = request.get("expectTagCount");
    if (v == null || v.isNull()) {
      return OptionalInt.empty();
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
      throw invalid("expectTagCount must be a non-negative integer");
    }
    return OptionalInt.of(v.asInt());
  }

  private static JsonNode read(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      throw invalid("request too large");
    }
    return Json.parse(bytes)
        .filter(JsonNode::isObject)
        .orElseThrow(() -> invalid("the body is not a JSON object"));
  }

  private static String text(JsonNode request, String field) {
    JsonNode v = request.get(field);
    if (v == null || !v.isTextual()) {
      throw invalid(field + " must be a string");
    }
    return v.asText();
  }

  private static RegistryException invalid(String message) {
    return new RegistryException(ErrorCode.UNSUPPORTED, message).withStatus(400);
  }
}
