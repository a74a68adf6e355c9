package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.spec.Tag;
import io.ocireg.spec.TagList;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class TagsHandlerTest extends HttpTestBase {

  @BeforeEach
  void pushTags() {
    Pushed p = pushImage("lib/app", "v2", "a");
    // Pushed out of order: the listing must sort them (code-point order, uppercase first).
    for (String tag : List.of("latest", "v1", "Alpha", "beta", "v10")) {
      server.pushManifest("lib/app", tag, TestManifest.OCI_MANIFEST, p.bytes());
    }
  }

  private static List<String> tags(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    TagList list = TagList.parse(r.body());
    assertThat(list.name().value()).isEqualTo("lib/app");
    return list.tags().stream().map(Tag::value).toList();
  }

  @Test
  void listsAllTagsInLexicalOrder() {
    HttpResponse<byte[]> r = server.get("/v2/lib/app/tags/list");
    assertThat(tags(r)).containsExactly("Alpha", "beta", "latest", "v1", "v10", "v2");
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void limitsToNAndLinksTheNextPage() {
    HttpResponse<byte[]> r = server.get("/v2/lib/app/tags/list?n=2");
    assertThat(tags(r)).containsExactly("Alpha", "beta");
    assertThat(header(r, "Link")).isEqualTo("</v2/lib/app/tags/list?n=2&last=beta>; rel=\"next\"");
  }

  @Test
  void continuesAfterLast() {
    HttpResponse<byte[]> r = server.get("/v2/lib/app/tags/list?n=2&last=beta");
    assertThat(tags(r)).containsExactly("latest", "v1");
    assertThat(header(r, "Link")).isEqualTo("</v2/lib/app/tags/list?n=2&last=v1>; rel=\"next\"");
  }

  @Test
  void followsLinksToTheEnd() {
    String next = "/v2/lib/app/tags/list?n=4";
    List<String> all = new java.util.ArrayList<>();
    int pages = 0;
    while (next != null) {
      HttpResponse<byte[]> r =
          server.send(
              "GET", server.resolve(next), java.net.http.HttpRequest.BodyPublishers.noBody());
      all.addAll(tags(r));
      String link = header(r, "Link");
      next = link == null ? null : link.substring(1, link.indexOf('>'));
      pages++;
    }
    assertThat(pages).isEqualTo(2);
    assertThat(all).containsExactly("Alpha", "beta", "latest", "v1", "v10", "v2");
  }

  @Test
  void lastPageHasNoLink() {
    HttpResponse<byte[]> r = server.get("/v2/lib/app/tags/list?n=2&last=v10");
    assertThat(tags(r)).containsExactly("v2");
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void acceptsLastWithoutN() {
    assertThat(tags(server.get("/v2/lib/app/tags/list?last=v1"))).containsExactly("v10", "v2");
  }

  @Test
  void treatsALastThatIsNoTagAsALexicalCursor() {
    assertThat(tags(server.get("/v2/lib/app/tags/list?last=v1%21"))).containsExactly("v10", "v2");
    assertThat(tags(server.get("/v2/lib/app/tags/list?last=v1~"))).containsExactly("v2");
    assertThat(tags(server.get("/v2/lib/app/tags/list?last=%2F"))).hasSize(6);
    assertThat(tags(server.get("/v2/lib/app/tags/list?n=1&last=a%20b"))).containsExactly("beta");
  }

  @Test
  void answersZeroNWithEmptyListAndNoLink() {
    HttpResponse<byte[]> r = server.get("/v2/lib/app/tags/list?n=0");
    assertThat(tags(r)).isEmpty();
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void listsNoTagsForARepositoryHoldingOnlyBlobs() {
    server.pushBlob("blobs/only", new byte[] {1, 2, 3});
    assertThat(tagsOf(server.get("/v2/blobs/only/tags/list"))).isEmpty();
  }

  private static List<String> tagsOf(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    return TagList.parse(r.body()).tags().stream().map(Tag::value).toList();
  }

  @Test
  void answersUnknownRepositoryWith404NameUnknown() {
    assertError(server.get("/v2/nothing/here/tags/list"), 404, "NAME_UNKNOWN");
  }

  @Test
  void refusesNThatIsNotANonNegativeInteger() {
    for (String n : List.of("abc", "-1", "1.5", "")) {
      HttpResponse<byte[]> r = server.get("/v2/lib/app/tags/list?n=" + n);
      assertThat(r.statusCode()).as("n=%s", n).isEqualTo(400);
      assertErrorBody(header(r, "Content-Type"), text(r), "UNSUPPORTED");
    }
  }

  @Test
  void answersHeadWithoutBody() {
    HttpResponse<byte[]> r = server.head("/v2/lib/app/tags/list");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void refusesInvalidRepositoryName() {
    assertError(server.get("/v2/lib/App/tags/list"), 400, "NAME_INVALID");
  }
}
