package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class DescriptorProperties {

  @Provide
  Arbitrary<Descriptor> descriptors() {
    return SpecArbitraries.descriptors();
  }

  /** A descriptor's own JSON, placed in an index by text, reads back as the same descriptor. */
  @Property(tries = 500)
  void descriptorJsonReadsBackAsTheSameDescriptor(@ForAll("descriptors") Descriptor d) {
    String index = "{\"schemaVersion\":2,\"manifests\":[" + d.toJson() + "]}";
    Manifest parsed = Manifest.parse(index.getBytes(StandardCharsets.UTF_8), MediaType.OCI_INDEX);
    assertThat(parsed.references()).containsExactly(d);
    Statistics.label("platform").collect(d.platform().isPresent());
    Statistics.label("data").collect(d.data().isPresent());
  }

  @Property(tries = 200)
  void descriptorAsConfigAndSubjectReadsBackUnchanged(
      @ForAll("descriptors") Descriptor config, @ForAll("descriptors") Descriptor subject) {
    String json =
        "{\"schemaVersion\":2,\"config\":"
            + config.toJson()
            + ",\"layers\":[],\"subject\":"
            + subject.toJson()
            + "}";
    Manifest parsed = Manifest.parse(json.getBytes(StandardCharsets.UTF_8), MediaType.OCI_MANIFEST);
    assertThat(((ImageManifest) parsed).config()).isEqualTo(config);
    assertThat(parsed.subject()).contains(subject);
  }

  @Property
  void negativeSizeIsRejectedByTheRecord(@ForAll("descriptors") Descriptor d) {
    assertThatThrownBy(
            () ->
                new Descriptor(
                    d.mediaType(),
                    d.digest(),
                    -1 - d.size(),
                    d.urls(),
                    d.annotations(),
                    d.artifactType(),
                    d.platform(),
                    d.data()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
