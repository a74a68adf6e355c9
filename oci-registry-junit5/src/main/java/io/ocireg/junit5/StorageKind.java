package io.ocireg.junit5;

/** Where a test registry keeps its content. */
public enum StorageKind {
  /** In memory, gone when the registry stops (the default). */
  MEMORY,
  /** In a fresh temporary directory, deleted when the registry stops. */
  TEMPORARY_DIRECTORY,
  /** In a given directory, kept: a registry started on it later finds the content again. */
  DIRECTORY
}
