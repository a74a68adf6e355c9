package io.ocireg.servlet;

import io.ocireg.spec.RepositoryName;
import java.util.Optional;

/**
 * A parsed request path: the endpoint family, the repository it names (absent for the version check
 * and the catalog) and the decoded last segment (digest, reference or upload id; empty when the
 * endpoint has none).
 */
record Route(Endpoint endpoint, Optional<RepositoryName> name, String argument) {

  /** The repository of an endpoint that always names one. */
  RepositoryName repository() {
    return name.orElseThrow(() -> new IllegalStateException(endpoint + " names no repository"));
  }
}
