package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TagListProperties {

  @Provide
  Arbitrary<TagList> tagLists() {
    return Combinators.combine(
            SpecArbitraries.repositoryNames(), SpecArbitraries.tags().list().ofMaxSize(20))
        .as(TagList::new);
  }

  @Property(tries = 300)
  void tagListSurvivesJsonRoundTrip(@ForAll("tagLists") TagList list) {
    assertThat(TagList.parse(list.toJson())).isEqualTo(list);
  }
}
