package io.ocireg.core;

import io.ocireg.spec.Digest;
import io.ocireg.spec.Reference;
import io.ocireg.spec.RepositoryName;
import java.util.Optional;

/** The result of a manifest push: its digest, and its subject when it has one. */
public record PushedManifest(
    RepositoryName repository, Reference reference, Digest digest, Optional<Digest> subject) {}
