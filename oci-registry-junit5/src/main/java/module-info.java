/** An in-process OCI registry for JUnit Jupiter tests: {@code @OciRegistryTest}. */
module io.ocireg.junit5 {
  requires transitive org.junit.jupiter.api;
  requires transitive io.ocireg.server;
  requires transitive io.ocireg.core;

  exports io.ocireg.junit5;
}
