package io.ocireg.core;

import io.ocireg.spec.ImageIndex;

/**
 * A referrers response: the image index of referrer descriptors, whether an {@code artifactType}
 * filter was applied, and whether more referrers follow this page.
 */
public record ReferrersPage(ImageIndex index, boolean filtered, boolean hasMore) {}
