package io.ocireg.core;

import io.ocireg.spec.RepositoryName;

/**
 * Where an upload session stands: its repository, id and how many bytes it holds. The servlet turns
 * it into {@code Location} and {@code Range: 0-<size-1>}.
 */
public record UploadStatus(RepositoryName repository, String id, long size) {}
