/** Filesystem storage for ocireg: content-addressed, atomic and durable. */
module io.ocireg.storage.fs {
  requires transitive io.ocireg.storage;
  requires org.slf4j;

  exports io.ocireg.storage.fs;
}
