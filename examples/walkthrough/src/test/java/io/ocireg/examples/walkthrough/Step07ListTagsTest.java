package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.junit5.OciRegistryExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Step07ListTagsTest {
  @RegisterExtension static OciRegistryExtension registry = OciRegistryExtension.builder().build();

  @Test
  void listsTagsInLexicalOrderAndPagesThroughThemByLink() throws Exception {
    Step07ListTags.Result result = Step07ListTags.run(registry.registry().baseUri());

    assertThat(result.allStatus()).isEqualTo(200);
    assertThat(result.name()).isEqualTo("walkthrough/step07");
    assertThat(result.all()).containsExactly("1.0", "1.1", "2.0", "latest", "stable");
    assertThat(result.pages())
        .containsExactly(List.of("1.0", "1.1"), List.of("2.0", "latest"), List.of("stable"));
    assertThat(result.links()).hasSize(3);
    assertThat(result.links().get(0))
        .hasValueSatisfying(l -> assertThat(l).contains("n=2", "last=1.1", "rel=\"next\""));
    assertThat(result.links().get(1))
        .hasValueSatisfying(l -> assertThat(l).contains("n=2", "last=latest", "rel=\"next\""));
    assertThat(result.links().get(2)).isEmpty();
    assertThat(result.afterLast()).containsExactly("latest", "stable");
    assertThat(result.zero()).isEmpty();
    assertThat(result.zeroLink()).isEmpty();
  }

  @Test
  void readsTheTargetOfALinkHeader() {
    assertThat(Step07ListTags.linkTarget("</v2/a/tags/list?n=2&last=b>; rel=\"next\""))
        .isEqualTo("/v2/a/tags/list?n=2&last=b");
  }
}
