package io.ocireg.core;

import io.ocireg.spec.Catalog;

/** One page of the catalog, and whether more repositories follow. */
public record CatalogPage(Catalog catalog, boolean hasMore) {}
