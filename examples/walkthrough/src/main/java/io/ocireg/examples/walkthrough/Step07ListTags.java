// Teaches: listing a repository's tags, a page at a time, by following the Link header.
// Spec: distribution-spec v1.1, "Listing Tags" (n, last, Link: <...>; rel="next").
// Endpoints: end-8a (GET /tags/list), end-8b (GET /tags/list?n=<int>&last=<tag>).
package io.ocireg.examples.walkthrough;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Step 7: tags come back in lexical order. {@code n} caps a page, {@code last} starts after a given
 * tag, and while more follow the registry sends {@code Link: <next page>; rel="next"}, which the
 * client follows as given instead of building the next URL itself.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-tags">
 *     distribution-spec: listing tags</a>
 */
public final class Step07ListTags {
  private Step07ListTags() {}

  /** The repository this step pushes to. */
  public static final String REPOSITORY = "walkthrough/step07";

  /** The tags pushed, deliberately not in lexical order. */
  public static final List<String> TAGS = List.of("stable", "1.1", "latest", "2.0", "1.0");

  /**
   * What the listings returned.
   *
   * @param allStatus {@code GET /tags/list}: 200
   * @param name the {@code name} field of the list: the repository
   * @param all every tag, in the registry's order
   * @param pages the tags of each page of {@code n=2}, following {@code Link}
   * @param links each page's {@code Link} header; the last page has none
   * @param afterLast {@code GET /tags/list?last=2.0}: the tags after {@code 2.0}
   * @param zero {@code GET /tags/list?n=0}: an empty list
   * @param zeroLink its {@code Link} header: none
   */
  public record Result(
      int allStatus,
      String name,
      List<String> all,
      List<List<String>> pages,
      List<Optional<String>> links,
      List<String> afterLast,
      List<String> zero,
      Optional<String> zeroLink) {}

  /** Runs the step against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    Launcher.launch(args, Step07ListTags::run);
  }

  /** Tags one image five times, then lists the tags whole and in pages of two. */
  public static Result run(URI registry) throws Exception {
    Wire wire = new Wire(registry, System.out);
    wire.note("Setup: one image, pushed under five tags (a tag is just a name for a manifest).");
    SampleImage image = SampleImage.create("Hello from step 7 of the ocireg walkthrough.\n");
    image.pushTo(wire, REPOSITORY, TAGS.get(0));
    for (String tag : TAGS.subList(1, TAGS.size())) {
      wire.pushManifest(REPOSITORY, tag, MediaTypes.IMAGE_MANIFEST, image.manifest());
    }

    wire.note("All tags (end-8a): lexical order, whatever the order of pushing.");
    HttpResponse<byte[]> all = wire.send(HttpRequest.newBuilder(tagsList(wire, "")).build());
    Wire.expect(all, 200);

    wire.note("A page of two (end-8b), then follow each Link header until there is none.");
    List<List<String>> pages = new ArrayList<>();
    List<Optional<String>> links = new ArrayList<>();
    URI next = tagsList(wire, "?n=2");
    // Bounded: a registry that always answered with a Link must not keep the client here forever.
    for (int i = 0; next != null && i < 10; i++) {
      HttpResponse<byte[]> page = wire.send(HttpRequest.newBuilder(next).build());
      Wire.expect(page, 200);
      pages.add(tags(page));
      Optional<String> link = Wire.header(page, "Link");
      links.add(link);
      next = link.map(l -> page.uri().resolve(linkTarget(l))).orElse(null);
    }

    wire.note("last alone: the tags after 2.0 (end-8b).");
    HttpResponse<byte[]> after =
        wire.send(HttpRequest.newBuilder(tagsList(wire, "?last=2.0")).build());

    wire.note("n=0: an empty list and no Link.");
    HttpResponse<byte[]> zero = wire.send(HttpRequest.newBuilder(tagsList(wire, "?n=0")).build());

    return new Result(
        all.statusCode(),
        Wire.json(all).path("name").asText(),
        tags(all),
        pages,
        links,
        tags(after),
        tags(zero),
        Wire.header(zero, "Link"));
  }

  private static URI tagsList(Wire wire, String query) {
    return wire.url("/v2/" + REPOSITORY + "/tags/list" + query);
  }

  private static List<String> tags(HttpResponse<byte[]> response) {
    List<String> tags = new ArrayList<>();
    // "tags" may be null or missing when the page is empty.
    for (JsonNode t : Wire.json(response).path("tags")) {
      tags.add(t.asText());
    }
    return tags;
  }

  /** The URL inside {@code <...>} of an RFC 8288 {@code Link} header. */
  static String linkTarget(String link) {
    int start = link.indexOf('<');
    int end = link.indexOf('>', start + 1);
    if (start < 0 || end < 0) {
      throw new IllegalArgumentException("not a Link header: " + link);
    }
    return link.substring(start + 1, end);
  }
}
