package io.ocireg.storage.memory;

/** Placeholder replaced in the next commit. */
public final class InMemoryStorage {}
