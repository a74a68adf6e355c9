package io.ocireg.core;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single byte range asked for by a blob {@code GET} with {@code Range: bytes=first-last}, {@code
 * bytes=first-} or the suffix form {@code bytes=-count} (RFC 9110, section 14.1.2).
 */
public record ByteRange(OptionalLong first, OptionalLong last) {
  private static final Pattern FORM =
      Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*", Pattern.CASE_INSENSITIVE);

  /**
   * {@code first} alone is {@code first-}, {@code last} alone is the suffix {@code -last}; both
   * must be non-negative. A {@code last} before {@code first} is kept: it selects nothing and
   * resolves to 416, which is what clients and the conformance suite expect of {@code bytes=500-0}.
   */
  public ByteRange {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    if (first.isEmpty() && last.isEmpty()) {
      throw new IllegalArgumentException("a byte range needs a first or a last position");
    }
    if ((first.isPresent() && first.getAsLong() < 0)
        || (last.isPresent() && last.getAsLong() < 0)) {
      throw new IllegalArgumentException("negative byte position");
    }
  }

  /**
   * Parses a {@code Range} header; empty for a form this registry does not serve as a range
   * (several ranges, another unit), in which case the whole blob is served as RFC 9110 allows.
   */
  public static Optional<ByteRange> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(header);
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      OptionalLong first =
          m.group(1).isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(1)));
      OptionalLong last =
          m.group(2).isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(2)));
      return Optional.of(new ByteRange(first, last));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The inclusive {@code [start, end]} this range selects from a blob of {@code size} bytes, a
   * {@code last} beyond the end cut to the end; throws a 416 error when it selects nothing (a start
   * at or past the end, a zero suffix, any range of an empty blob).
   *
   * <p>The error carries {@code Content-Range: bytes *}{@code /<size>}, as RFC 9110 (section
   * 15.5.17) asks of a 416, so that no second lookup is needed to answer it. The spec defines no
   * error code for an unsatisfiable range; {@code SIZE_INVALID} is the least misleading of its
   * codes (the range does not fit the blob's length), where {@code BLOB_UNKNOWN} would tell the
   * client that a blob it can fetch is missing.
   */
  public long[] resolve(long size) {
    long start;
    long end;
    if (first.isEmpty()) {
      long count = last.getAsLong();
      if (count == 0 || size == 0) {
        throw unsatisfiable(size);
      }
      start = Math.max(0, size - count);
      end = size - 1;
    } else {
      start = first.getAsLong();
      if (last.isPresent() && last.getAsLong() < start) {
        throw unsatisfiable(size);
      }
      if (start >= size) {
        throw unsatisfiable(size);
      }
      end = last.isPresent() ? Math.min(last.getAsLong(), size - 1) : size - 1;
    }
    return new long[] {start, end};
  }

  private static RegistryException unsatisfiable(long size) {
    return new RegistryException(
            ErrorCode.SIZE_INVALID, "requested range not satisfiable", "blob size " + size)
        .withStatus(416)
        .withHeader("Content-Range", "bytes */" + size);
  }
}
