package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a repository name holds, every endpoint's path routes back to that name. */
class RouterProperties {
  private static final List<String> KEYWORDS =
      List.of("blobs", "uploads", "manifests", "tags", "list", "referrers", "v2");

  private static final String DIGEST =
      "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> plain =
        Arbitraries.strings().withChars("abcxyz0189").ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> separated =
        plain.list().ofMinSize(2).ofMaxSize(3).map(parts -> String.join("-", parts));
    Arbitrary<String> component =
        Arbitraries.oneOf(plain, separated, Arbitraries.of(KEYWORDS), Arbitraries.of(KEYWORDS));
    return component.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("/", parts));
  }

  @Provide
  Arbitrary<String> tails() {
    return Arbitraries.of(
        "/blobs/" + DIGEST,
        "/blobs/uploads/",
        "/blobs/uploads",
        "/blobs/uploads/some-id",
        "/manifests/latest",
        "/manifests/" + DIGEST,
        "/tags/list",
        "/referrers/" + DIGEST);
  }

  @Property
  void everyEndpointPathRoutesBackToItsName(
      @ForAll("names") String name, @ForAll("tails") String tail) {
    Route route = Router.route("/v2/" + name + tail).orElseThrow();
    assertThat(route.repository().value()).isEqualTo(name);
    Endpoint expected =
        switch (tail.split("/")[1]) {
          case "blobs" ->
              tail.startsWith("/blobs/uploads/") && tail.length() > "/blobs/uploads/".length()
                  ? Endpoint.UPLOAD
                  : tail.startsWith("/blobs/uploads") ? Endpoint.UPLOAD_START : Endpoint.BLOB;
          case "manifests" -> Endpoint.MANIFEST;
          case "tags" -> Endpoint.TAGS;
          default -> Endpoint.REFERRERS;
        };
    assertThat(route.endpoint()).isEqualTo(expected);
  }
}
