package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CatalogProperties {

  @Provide
  Arbitrary<Catalog> catalogs() {
    return SpecArbitraries.repositoryNames().list().ofMaxSize(20).map(Catalog::new);
  }

  @Property(tries = 300)
  void catalogSurvivesJsonRoundTrip(@ForAll("catalogs") Catalog catalog) {
    assertThat(Catalog.parse(catalog.toJson())).isEqualTo(catalog);
  }
}
