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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
  static final int MAX_BODY = 16 * 1024;

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
      List<String> tags =
          registry.tagsPointingAt(repository, digest).stream()
              .map(TagRecord::tag)
              .map(Tag::value)
              .sorted()
              .toList();
      registry.deleteManifest(repository, digest);
      changed.accept(repository);
      deleted.put("digest", digest.toString());
      out.put("deleted", deleted);
      out.put("tagsRemoved", tags);
    } else {
      Tag tag = Tag.parse(text(request, "tag"));
      registry.deleteManifest(repository, tag);
      changed.accept(repository);
      deleted.put("tag", tag.value());
      out.put("deleted", deleted);
      out.put("tagsRemoved", List.of(tag.value()));
    }
    return out;
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
