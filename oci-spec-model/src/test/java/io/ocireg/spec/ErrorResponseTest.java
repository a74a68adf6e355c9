package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorResponseTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesTheSpecErrorShape() throws Exception {
    RegistryException e =
        new RegistryException(ErrorCode.MANIFEST_INVALID, "manifest invalid", "layers[0].size");
    JsonNode root = JSON.readTree(ErrorResponse.of(e).toJson());

    assertThat(root.isObject()).isTrue();
    assertThat(root.size()).isEqualTo(1);
    JsonNode errors = root.get("errors");
    assertThat(errors.isArray()).isTrue();
    assertThat(errors).hasSize(1);
    JsonNode first = errors.get(0);
    assertThat(first.get("code").asText()).isEqualTo("MANIFEST_INVALID");
    assertThat(first.get("message").asText()).isEqualTo("manifest invalid");
    assertThat(first.get("detail").asText()).isEqualTo("layers[0].size");
    assertThat(first.size()).isEqualTo(3);
  }

  @Test
  void leavesOutAnAbsentDetailAndKeepsOrder() throws Exception {
    ErrorResponse response =
        new ErrorResponse(
            List.of(
                new RegistryException(ErrorCode.BLOB_UNKNOWN, null),
                new RegistryException(ErrorCode.DENIED, "no \"quotes\" \n escaped")));
    JsonNode errors = JSON.readTree(response.toJson()).get("errors");

    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).get("code").asText()).isEqualTo("BLOB_UNKNOWN");
    assertThat(errors.get(0).get("message").asText()).isEqualTo("blob unknown to registry");
    assertThat(errors.get(0).has("detail")).isFalse();
    assertThat(errors.get(1).get("code").asText()).isEqualTo("DENIED");
    assertThat(errors.get(1).get("message").asText()).isEqualTo("no \"quotes\" \n escaped");
  }

  @Test
  void invalidValueBecomesAServableError() throws Exception {
    InvalidValueException bad =
        new InvalidValueException(ErrorCode.NAME_INVALID, "repository name", "Bad/Name");
    JsonNode first =
        JSON.readTree(ErrorResponse.of(bad.toRegistryException()).toJson()).get("errors").get(0);
    assertThat(first.get("code").asText()).isEqualTo("NAME_INVALID");
    assertThat(first.get("message").asText()).contains("Bad/Name");
  }

  @Test
  void copiesTheListItIsGiven() {
    List<RegistryException> list = new java.util.ArrayList<>();
    list.add(new RegistryException(ErrorCode.UNSUPPORTED, null));
    ErrorResponse response = new ErrorResponse(list);
    list.clear();
    assertThat(response.errors()).hasSize(1);
  }
}
