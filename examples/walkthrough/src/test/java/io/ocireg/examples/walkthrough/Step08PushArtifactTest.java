package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step08PushArtifactTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void pushesAnArtifactWithArtifactTypeAndTheEmptyConfigAndPullsItsFilesBack() throws Exception {
    Step08PushArtifact.Result result = Step08PushArtifact.run(registry.registry().baseUri());

    // The digest of "{}" is fixed by the image spec.
    assertThat(result.emptyConfigDigest())
        .isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assertThat(result.blobStatuses()).containsExactly(201, 201, 201);
    assertThat(result.manifestStatus()).isEqualTo(201);
    assertThat(result.pulledArtifactType()).isEqualTo(Step08PushArtifact.ARTIFACT_TYPE);
    assertThat(result.pulledConfigMediaType()).isEqualTo(MediaTypes.EMPTY);
    assertThat(result.layerMediaTypes())
        .containsExactly("application/json", Step08PushArtifact.WORKFLOW_TYPE);
    assertThat(result.layerTitles()).containsExactly("agent-card.json", "workflow.yaml");
    assertThat(result.workflowStatus()).isEqualTo(200);
    assertThat(result.workflowDigestMatches()).isTrue();
    assertThat(result.workflow()).isEqualTo(Step08PushArtifact.WORKFLOW);

    var stored = registry.registry().manifest("walkthrough/step08", "v1").orElseThrow();
    assertThat(stored.digest()).isEqualTo(result.manifestDigest());
    assertThat(registry.registry().blob("walkthrough/step08", result.emptyConfigDigest()))
        .asString()
        .isEqualTo("{}");
  }
}
