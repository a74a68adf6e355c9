/** The storage SPI of ocireg, with an in-memory implementation. */
module io.ocireg.storage {
  requires transitive io.ocireg.spec;

  exports io.ocireg.storage;
  exports io.ocireg.storage.memory;
}
