package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {
  private static final String DIGEST =
      "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";

  private static Route route(String path) {
    return Router.route(path).orElseThrow(() -> new AssertionError("no route for " + path));
  }

  private static void assertRoute(String path, Endpoint endpoint, String name, String argument) {
    Route r = route(path);
    assertThat(r.endpoint()).isEqualTo(endpoint);
    assertThat(r.name().map(RepositoryName::value)).isEqualTo(Optional.ofNullable(name));
    assertThat(r.argument()).isEqualTo(argument);
  }

  @Test
  void routesTheVersionCheck() {
    assertRoute("/v2/", Endpoint.BASE, null, "");
    assertRoute("/v2", Endpoint.BASE, null, "");
  }

  @Test
  void routesTheCatalog() {
    assertRoute("/v2/_catalog", Endpoint.CATALOG, null, "");
  }

  @Test
  void routesEveryEndpointFamily() {
    assertRoute("/v2/lib/app/blobs/" + DIGEST, Endpoint.BLOB, "lib/app", DIGEST);
    assertRoute("/v2/lib/app/blobs/uploads/", Endpoint.UPLOAD_START, "lib/app", "");
    assertRoute("/v2/lib/app/blobs/uploads", Endpoint.UPLOAD_START, "lib/app", "");
    assertRoute("/v2/lib/app/blobs/uploads/abc-123", Endpoint.UPLOAD, "lib/app", "abc-123");
    assertRoute("/v2/lib/app/manifests/latest", Endpoint.MANIFEST, "lib/app", "latest");
    assertRoute("/v2/lib/app/manifests/" + DIGEST, Endpoint.MANIFEST, "lib/app", DIGEST);
    assertRoute("/v2/lib/app/tags/list", Endpoint.TAGS, "lib/app", "");
    assertRoute("/v2/lib/app/referrers/" + DIGEST, Endpoint.REFERRERS, "lib/app", DIGEST);
  }

  @Test
  void keepsEndpointKeywordsThatArePartOfTheName() {
    assertRoute("/v2/a/blobs/b/blobs/" + DIGEST, Endpoint.BLOB, "a/blobs/b", DIGEST);
    assertRoute("/v2/blobs/blobs/" + DIGEST, Endpoint.BLOB, "blobs", DIGEST);
    assertRoute("/v2/x/blobs/uploads/blobs/" + DIGEST, Endpoint.BLOB, "x/blobs/uploads", DIGEST);
    assertRoute("/v2/blobs/uploads/blobs/uploads/", Endpoint.UPLOAD_START, "blobs/uploads", "");
    assertRoute("/v2/blobs/uploads/blobs/uploads/id", Endpoint.UPLOAD, "blobs/uploads", "id");
    assertRoute("/v2/tags/list/tags/list", Endpoint.TAGS, "tags/list", "");
    assertRoute("/v2/manifests/manifests/manifests", Endpoint.MANIFEST, "manifests", "manifests");
    assertRoute("/v2/v2/manifests/v2", Endpoint.MANIFEST, "v2", "v2");
    assertRoute("/v2/referrers/referrers/" + DIGEST, Endpoint.REFERRERS, "referrers", DIGEST);
  }

  @Test
  void decodesPercentEncodedSegments() {
    assertRoute(
        "/v2/lib/app/manifests/" + DIGEST.replace(":", "%3A"),
        Endpoint.MANIFEST,
        "lib/app",
        DIGEST);
    assertRoute("/v2/lib/app/manifests/a%2Bb", Endpoint.MANIFEST, "lib/app", "a+b");
    assertRoute("/v2/lib/app/manifests/a+b", Endpoint.MANIFEST, "lib/app", "a+b");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/foo",
        "/v2/lib/app",
        "/v2/lib/app/",
        "/v2/lib/app/tags",
        "/v2/lib/app/tags/other",
        "/v2/lib/app/tags/list/",
        "/v2/lib/app/manifests/",
        "/v2/lib/app/manifests/latest/",
        "/v2/lib/app/things/x",
        "/v2/blobs/" + DIGEST,
        "/v2/tags/list",
        "/v3/lib/app/tags/list",
        "/v2x/lib/app/tags/list",
        "/other"
      })
  void findsNoRouteForOtherShapes(String path) {
    assertThat(Router.route(path)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/a/%2e%2e/b/tags/list",
        "/v2/a/%2E%2E/b/tags/list",
        "/v2/%2e%2e/tags/list",
        "/v2/a/%2e/b/tags/list",
        "/v2/a%2fb/tags/list",
        "/v2/a%2Fb/tags/list",
        "/v2/a%5cb/tags/list",
        "/v2/a/../b/tags/list",
        "/v2/a/./b/tags/list",
        "/v2/../tags/list",
        "/v2/a//b/tags/list",
        "/v2//a/tags/list",
        "/v2/a/manifests/%zz",
        "/v2/a/manifests/%e",
        "/v2/a/manifests/%C3%28",
        "/v2/a/manifests/a%00b",
        "/v2/a/manifests/a\\b"
      })
  void refusesTraversalAndEncodedSeparatorsAsNameInvalid(String path) {
    assertThatThrownBy(() -> Router.route(path))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID);
              assertThat(e.status()).isEqualTo(400);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/v2/Lib/tags/list",
        "/v2/-lib/tags/list",
        "/v2/lib-/tags/list",
        "/v2/lib..app/tags/list",
        "/v2/lib___app/tags/list",
        "/v2/_catalog/tags/list"
      })
  void refusesNamesOutsideTheGrammar(String path) {
    assertThatThrownBy(() -> Router.route(path))
        .isInstanceOfSatisfying(
            io.ocireg.spec.InvalidValueException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID));
  }

  @Test
  void refusesNamesLongerThanTheLimit() {
    String name = "a".repeat(200) + "/" + "b".repeat(60);
    assertThatThrownBy(() -> Router.route("/v2/" + name + "/tags/list"))
        .isInstanceOf(io.ocireg.spec.InvalidValueException.class);
  }
}
