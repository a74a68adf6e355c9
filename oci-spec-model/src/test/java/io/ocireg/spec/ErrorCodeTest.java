package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

  @Test
  void hasExactlyTheFourteenSpecCodesWithTheirStatuses() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("BLOB_UNKNOWN", 404);
    expected.put("BLOB_UPLOAD_INVALID", 400);
    expected.put("BLOB_UPLOAD_UNKNOWN", 404);
    expected.put("DIGEST_INVALID", 400);
    expected.put("MANIFEST_BLOB_UNKNOWN", 404);
    expected.put("MANIFEST_INVALID", 400);
    expected.put("MANIFEST_UNKNOWN", 404);
    expected.put("NAME_INVALID", 400);
    expected.put("NAME_UNKNOWN", 404);
    expected.put("SIZE_INVALID", 400);
    expected.put("UNAUTHORIZED", 401);
    expected.put("DENIED", 403);
    expected.put("UNSUPPORTED", 405);
    expected.put("TOOMANYREQUESTS", 429);

    Map<String, Integer> actual = new LinkedHashMap<>();
    for (ErrorCode c : ErrorCode.values()) {
      actual.put(c.name(), c.status());
    }
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  /** The descriptions of the spec's error code table (v1.1), used as default messages. */
  @Test
  void defaultMessagesAreTheSpecDescriptions() {
    assertThat(ErrorCode.BLOB_UNKNOWN.defaultMessage()).isEqualTo("blob unknown to registry");
    assertThat(ErrorCode.BLOB_UPLOAD_INVALID.defaultMessage()).isEqualTo("blob upload invalid");
    assertThat(ErrorCode.BLOB_UPLOAD_UNKNOWN.defaultMessage())
        .isEqualTo("blob upload unknown to registry");
    assertThat(ErrorCode.DIGEST_INVALID.defaultMessage())
        .isEqualTo("provided digest did not match uploaded content");
    assertThat(ErrorCode.MANIFEST_BLOB_UNKNOWN.defaultMessage())
        .isEqualTo("manifest references a manifest or blob unknown to registry");
    assertThat(ErrorCode.MANIFEST_INVALID.defaultMessage()).isEqualTo("manifest invalid");
    assertThat(ErrorCode.MANIFEST_UNKNOWN.defaultMessage())
        .isEqualTo("manifest unknown to registry");
    assertThat(ErrorCode.NAME_INVALID.defaultMessage()).isEqualTo("invalid repository name");
    assertThat(ErrorCode.NAME_UNKNOWN.defaultMessage())
        .isEqualTo("repository name not known to registry");
    assertThat(ErrorCode.SIZE_INVALID.defaultMessage())
        .isEqualTo("provided length did not match content length");
    assertThat(ErrorCode.UNAUTHORIZED.defaultMessage()).isEqualTo("authentication required");
    assertThat(ErrorCode.DENIED.defaultMessage())
        .isEqualTo("requested access to the resource is denied");
    assertThat(ErrorCode.UNSUPPORTED.defaultMessage()).isEqualTo("the operation is unsupported");
    assertThat(ErrorCode.TOOMANYREQUESTS.defaultMessage()).isEqualTo("too many requests");
  }

  /** The spec: "containing only uppercase alphabetic characters and underscores". */
  @Test
  void codesAreUppercaseLettersAndUnderscores() {
    assertThat(Arrays.stream(ErrorCode.values()).map(Enum::name))
        .allMatch(n -> n.matches("[A-Z_]+"));
  }

  @Test
  void registryExceptionServesTheCodeStatusUnlessOverridden() {
    RegistryException e = new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, null);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("blob upload invalid");
    assertThat(e.detail()).isEmpty();

    RegistryException range = e.withStatus(416);
    assertThat(range.status()).isEqualTo(416);
    assertThat(range.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
    assertThat(range.getMessage()).isEqualTo(e.getMessage());

    Throwable cause = new IllegalStateException("disk");
    RegistryException caused =
        new RegistryException(ErrorCode.SIZE_INVALID, "too short", "got 3").withCause(cause);
    assertThat(caused.getCause()).isSameAs(cause);
    assertThat(caused.detail()).contains("got 3");
    assertThat(caused.status()).isEqualTo(400);
  }

  @Test
  void registryExceptionCarriesResponseHeadersThroughEveryCopy() {
    Throwable cause = new IllegalStateException("disk");
    RegistryException e =
        new RegistryException(ErrorCode.SIZE_INVALID, "requested range not satisfiable")
            .withHeader("Content-Range", "bytes */20")
            .withStatus(416)
            .withCause(cause)
            .withHeader("X-Other", "1")
            .withHeader("Content-Range", "bytes */21");

    assertThat(e.headers())
        .containsExactly(Map.entry("Content-Range", "bytes */21"), Map.entry("X-Other", "1"));
    assertThat(e.status()).isEqualTo(416);
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(new RegistryException(ErrorCode.DENIED, null).headers()).isEmpty();
  }
}
