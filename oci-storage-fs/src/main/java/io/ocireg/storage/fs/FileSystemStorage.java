package io.ocireg.storage.fs;

/** Placeholder replaced in the next commit. */
public final class FileSystemStorage {}
