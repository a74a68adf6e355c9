package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step09ReferrersTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void confirmsEachSubjectAndListsReferrersWholeAndFiltered() throws Exception {
    Step09Referrers.Result result = Step09Referrers.run(registry.registry().baseUri());

    assertThat(result.subjectDigest())
        .isEqualTo(
            registry.registry().manifest("walkthrough/step09", "app-1.0").orElseThrow().digest());
    assertThat(result.pushStatuses()).containsExactly(201, 201);
    assertThat(result.ociSubjects())
        .containsExactly(Optional.of(result.subjectDigest()), Optional.of(result.subjectDigest()));

    assertThat(result.listStatus()).isEqualTo(200);
    assertThat(result.listContentType()).contains(MediaTypes.IMAGE_INDEX);
    assertThat(result.listedDigests())
        .containsExactlyInAnyOrderElementsOf(result.referrerDigests());
    assertThat(result.listedTypes())
        .containsExactlyInAnyOrder(Step09Referrers.SBOM_TYPE, Step09Referrers.SIGNATURE_TYPE);

    assertThat(result.filteredStatus()).isEqualTo(200);
    assertThat(result.filteredTypes()).containsExactly(Step09Referrers.SBOM_TYPE);
    assertThat(result.filtersApplied()).contains("artifactType");
  }

  /** Without the referrers API the registry sends no OCI-Subject: the client must notice. */
  @Nested
  class WhenTheRegistryDoesNotServeReferrers {
    @RegisterExtension
    OciRegistryExtension without = OciRegistryExtension.builder().referrers(false).build();

    @Test
    void theAnswersCarryNoOciSubject() throws Exception {
      Step09Referrers.Result result = Step09Referrers.run(without.registry().baseUri());

      assertThat(result.pushStatuses()).containsExactly(201, 201);
      assertThat(result.ociSubjects()).containsOnly(Optional.empty());
      assertThat(result.listStatus()).isEqualTo(404);
    }
  }
}
