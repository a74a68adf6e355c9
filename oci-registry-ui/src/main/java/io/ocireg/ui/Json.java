package io.ocireg.ui;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * The UI's one JSON codec. Everything the registry holds (names, tags, annotations, labels) is
 * client input: it leaves only as JSON strings, with the characters that mean something to HTML
 * ({@code < > & '}; a quote is {@code \"} anyway) and to JavaScript source (U+2028, U+2029) escaped
 * as {@code \\uXXXX}, so that no response can turn into markup even when something renders it as
 * such.
 */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    MAPPER.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }

  private Json() {}

  /** Compact UTF-8 JSON of maps, lists, strings, numbers, booleans, nulls and trees. */
  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The tree of a JSON document; empty when it does not parse. */
  static Optional<JsonNode> parse(byte[] json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      return Optional.ofNullable(node).filter(n -> !n.isMissingNode());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Escapes the HTML-significant characters and the JavaScript line separators. */
  private static final class HtmlSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] escapes;

    HtmlSafeEscapes() {
      int[] standard = CharacterEscapes.standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&', '\''}) {
        standard[c] = CharacterEscapes.ESCAPE_STANDARD;
      }
      this.escapes = standard;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028 || ch == 0x2029) {
        return new com.fasterxml.jackson.core.io.SerializedString(
            ch == 0x2028 ? "\\u2028" : "\\u2029");
      }
      return null;
    }
  }
}
