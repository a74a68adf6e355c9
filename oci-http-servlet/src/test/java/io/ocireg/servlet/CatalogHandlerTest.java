package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.core.RegistryOptions;
import io.ocireg.spec.Catalog;
import io.ocireg.spec.RepositoryName;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Backend.class)
class CatalogHandlerTest extends HttpTestBase {

  private void pushRepositories(String... names) {
    for (String name : names) {
      server.pushBlob(name, name.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static List<String> repositories(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(header(r, "Content-Type")).startsWith("application/json");
    return Catalog.parse(r.body()).repositories().stream().map(RepositoryName::value).toList();
  }

  @Test
  void listsNothingForAnEmptyRegistry() {
    HttpResponse<byte[]> r = server.get("/v2/_catalog");
    assertThat(repositories(r)).isEmpty();
    assertThat(text(r)).isEqualTo("{\"repositories\":[]}");
  }

  @Test
  void listsRepositoriesInLexicalOrder() {
    pushRepositories("zeta", "alpha/one", "alpha", "mid/dle/name");
    assertThat(repositories(server.get("/v2/_catalog")))
        .containsExactly("alpha", "alpha/one", "mid/dle/name", "zeta");
  }

  @Test
  void paginatesWithNLastAndLink() {
    pushRepositories("a", "b/x", "c", "d");
    HttpResponse<byte[]> first = server.get("/v2/_catalog?n=2");
    assertThat(repositories(first)).containsExactly("a", "b/x");
    assertThat(header(first, "Link")).isEqualTo("</v2/_catalog?n=2&last=b%2Fx>; rel=\"next\"");
    HttpResponse<byte[]> second = server.get("/v2/_catalog?n=2&last=b%2Fx");
    assertThat(repositories(second)).containsExactly("c", "d");
    assertThat(header(second, "Link")).isNull();
    assertThat(repositories(server.get("/v2/_catalog?n=2&last=b/x"))).containsExactly("c", "d");
  }

  @Test
  void answersZeroNWithEmptyList() {
    pushRepositories("a");
    HttpResponse<byte[]> r = server.get("/v2/_catalog?n=0");
    assertThat(repositories(r)).isEmpty();
    assertThat(header(r, "Link")).isNull();
  }

  @Test
  void clampsHugeNToTheLargestPage() {
    RegistryOptions d = RegistryOptions.defaults();
    server.close();
    server =
        RegistryServer.start(
            backend.open(dir.resolve("clamped")),
            new RegistryOptions(d.maxManifestBytes(), 2, 2, true, true));
    pushRepositories("a", "b", "c");
    HttpResponse<byte[]> r = server.get("/v2/_catalog?n=99999999999999999999");
    assertThat(repositories(r)).containsExactly("a", "b");
    assertThat(header(r, "Link")).contains("last=b").endsWith("; rel=\"next\"");
  }

  @Test
  void refusesBadN() {
    HttpResponse<byte[]> r = server.get("/v2/_catalog?n=-5");
    assertThat(r.statusCode()).isEqualTo(400);
    assertErrorBody(header(r, "Content-Type"), text(r), "UNSUPPORTED");
  }

  @Test
  void treatsALastThatIsNoValidNameAsALexicalCursor() {
    pushRepositories("a", "a/b", "b", "c");
    assertThat(repositories(server.get("/v2/_catalog?last=Not..Valid")))
        .containsExactly("a", "a/b", "b", "c");
    assertThat(repositories(server.get("/v2/_catalog?last=a%2F"))).containsExactly("a/b", "b", "c");
    assertThat(repositories(server.get("/v2/_catalog?last=b~"))).containsExactly("c");
  }
}
