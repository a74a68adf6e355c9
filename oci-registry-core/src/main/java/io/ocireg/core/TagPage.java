package io.ocireg.core;

import io.ocireg.spec.TagList;

/** One page of a tag listing, and whether more tags follow. */
public record TagPage(TagList list, boolean hasMore) {}
