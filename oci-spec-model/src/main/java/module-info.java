/** Values and parsed views of the OCI distribution and image specs. */
module io.ocireg.spec {
  requires com.fasterxml.jackson.databind;

  exports io.ocireg.spec;
}
