package io.ocireg.core;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inclusive byte range a chunk claims in a {@code PATCH} upload, {@code Content-Range:
 * <first>-<last>} (the spec's form; {@code bytes first-last/total} is accepted too).
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-a-blob-in-chunks">
 *     distribution-spec: pushing a blob in chunks</a>
 */
public record ContentRange(long first, long last) {
  private static final Pattern FORM =
      Pattern.compile(
          "\\s*(?:bytes\\s+)?(\\d{1,18})\\s*-\\s*(\\d{1,18})\\s*(?:/\\s*(?:\\d+|\\*))?\\s*");

  public ContentRange {
    if (first < 0 || last < first - 1) {
      throw invalid(first + "-" + last);
    }
  }

  /** Parses the header; a malformed value is a 416 {@code BLOB_UPLOAD_INVALID}. */
  public static ContentRange parse(String header) {
    Matcher m = header == null ? null : FORM.matcher(header);
    if (m == null || !m.matches()) {
      throw invalid(header);
    }
    return new ContentRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  /** Number of bytes the range covers. */
  public long length() {
    return last - first + 1;
  }

  private static RegistryException invalid(String header) {
    return new RegistryException(
            ErrorCode.BLOB_UPLOAD_INVALID, "invalid Content-Range", Abbreviation.of(header))
        .withStatus(416);
  }
}
