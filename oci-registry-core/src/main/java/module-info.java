/** The ocireg engine: every rule of the OCI distribution spec, once, over a storage SPI. */
module io.ocireg.core {
  requires transitive io.ocireg.storage;
  requires org.slf4j;

  exports io.ocireg.core;
  exports io.ocireg.core.auth;
}
