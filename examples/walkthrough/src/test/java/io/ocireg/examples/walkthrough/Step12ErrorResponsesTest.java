package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Step12ErrorResponsesTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @ParameterizedTest(name = "{0}: {1} {2}")
  @CsvSource({
    Step12ErrorResponses.UNKNOWN_REPOSITORY + ", 404, NAME_UNKNOWN",
    Step12ErrorResponses.UNKNOWN_MANIFEST + ", 404, MANIFEST_UNKNOWN",
    Step12ErrorResponses.UNKNOWN_BLOB + ", 404, BLOB_UNKNOWN",
    Step12ErrorResponses.WRONG_DIGEST + ", 400, DIGEST_INVALID",
    Step12ErrorResponses.MALFORMED_DIGEST + ", 400, DIGEST_INVALID",
    Step12ErrorResponses.INVALID_MANIFEST + ", 400, MANIFEST_INVALID",
    Step12ErrorResponses.MISSING_BLOBS + ", 404, MANIFEST_BLOB_UNKNOWN",
    Step12ErrorResponses.INVALID_NAME + ", 400, NAME_INVALID",
    Step12ErrorResponses.UNKNOWN_UPLOAD + ", 404, BLOB_UPLOAD_UNKNOWN",
    Step12ErrorResponses.UNSUPPORTED_METHOD + ", 405, UNSUPPORTED",
  })
  void answersEachMistakeWithItsStatusAndErrorCode(String what, int status, String code)
      throws Exception {
    Step12ErrorResponses.ErrorAnswer answer =
        Step12ErrorResponses.run(registry.registry().baseUri()).answerTo(what);

    assertThat(answer.status()).isEqualTo(status);
    assertThat(answer.code()).isEqualTo(code);
    assertThat(answer.contentType()).hasValueSatisfying(t -> assertThat(t).contains("json"));
    assertThat(answer.message()).isNotBlank();
  }

  @Test
  void provokesTenDistinctFailuresAndStoresNothingBroken() throws Exception {
    Step12ErrorResponses.Result result = Step12ErrorResponses.run(registry.registry().baseUri());

    assertThat(result.answers()).hasSize(10);
    assertThat(result.answers()).allSatisfy(a -> assertThat(a.status()).isBetween(400, 499));
    assertThat(registry.registry().tags("walkthrough/step12")).isEmpty();
    assertThat(registry.registry().repositories())
        .doesNotContain("walkthrough/step12-never-pushed");
  }
}
