package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step01ApiVersionTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void registryAnswersTheVersionCheckWith200AndTheApiVersionHeader() throws Exception {
    Step01ApiVersion.Result result = Step01ApiVersion.run(registry.registry().baseUri());

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.supported()).isTrue();
    assertThat(result.apiVersion()).contains("registry/2.0");
    assertThat(result.body()).isEqualTo("{}");
  }
}
