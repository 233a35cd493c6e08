package jmirage.acme.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * A strict JSON parser (RFC 8259) over UTF-8 bytes: one value with optional whitespace around it,
 * nothing else. Strict means: no byte order mark, no comments, no trailing commas, no leading zeros or
 * {@code +} signs, no unescaped control characters, no invalid UTF-8 (RFC 8259 8.1, RFC 3629 4), no
 * lone surrogate escapes (they name no character), no duplicate member names. Input over
 * {@link Limits#maxBytes()} or nested deeper than {@link Limits#maxDepth()} is refused before it
 * costs more. Errors are values, with the byte offset; no input makes it throw.
 */
public final class JsonParser {

    /**
     * @param maxBytes the longest input accepted
     * @param maxDepth the deepest nesting of arrays and objects accepted
     */
    public record Limits(int maxBytes, int maxDepth) {
        public Limits {
            if (maxBytes < 1 || maxDepth < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }

        /** 256 KiB and 32 levels: far more than any ACME resource needs. */
        public static Limits defaults() {
            return new Limits(256 * 1024, 32);
        }
    }

    /** Thrown inside the parser only, caught at its entry: the way out of deep recursion. */
    private static final class Failure extends RuntimeException {
        final JsonError error;

        Failure(JsonError error) {
            super(error.reason(), null, false, false);
            this.error = error;
        }
    }

    private final byte[] in;
    private final Limits limits;
    private int pos;

    private JsonParser(byte[] in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    public static Result<Json, JsonError> parse(Bytes text) {
        return parse(text, Limits.defaults());
    }

    public static Result<Json, JsonError> parse(String text) {
        return parse(Bytes.utf8(text), Limits.defaults());
    }

    public static Result<Json, JsonError> parse(Bytes text, Limits limits) {
        if (text.size() > limits.maxBytes()) {
            return Result.err(new JsonError(0, "input of " + text.size() + " bytes, over the limit of " + limits.maxBytes()));
        }
        JsonParser parser = new JsonParser(text.toArray(), limits);
        try {
            parser.whitespace();
            Json value = parser.value(0);
            parser.whitespace();
            if (parser.pos != parser.in.length) {
                throw parser.fail("text after the value");
            }
            return Result.ok(value);
        } catch (Failure f) {
            return Result.err(f.error);
        }
    }

    private Failure fail(String reason) {
        return new Failure(new JsonError(pos, reason));
    }

    private void whitespace() {
        // RFC 8259 2: space, tab, line feed, carriage return, and nothing else
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
    }

    private int peek() {
        if (pos >= in.length) {
            throw fail("unexpected end of input");
        }
        return in[pos] & 0xff;
    }

    private Json value(int depth) {
        int c = peek();
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> new Json.Str(string());
            case 't' -> literal("true", new Json.Bool(true));
            case 'f' -> literal("false", new Json.Bool(false));
            case 'n' -> literal("null", Json.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw fail("unexpected byte 0x" + Integer.toHexString(c));
            }
        };
    }

    private Json literal(String word, Json value) {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= in.length || in[pos] != word.charAt(i)) {
                throw fail("expected " + word);
            }
            pos++;
        }
        return value;
    }

    private Json.Obj object(int depth) {
        if (depth > limits.maxDepth()) {
            throw fail("nested deeper than " + limits.maxDepth());
        }
        pos++; // {
        Map<String, Json> members = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return new Json.Obj(members);
        }
        while (true) {
            whitespace();
            if (peek() != '"') {
                throw fail("expected a member name");
            }
            int namePosition = pos;
            String name = string();
            whitespace();
            if (peek() != ':') {
                throw fail("expected ':'");
            }
            pos++;
            whitespace();
            Json value = value(depth);
            if (members.putIfAbsent(name, value) != null) {
                throw new Failure(new JsonError(namePosition, "duplicate member name \"" + name + "\""));
            }
            whitespace();
            int c = peek();
            pos++;
            if (c == '}') {
                return new Json.Obj(members);
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or '}'");
            }
        }
    }

    private Json.Arr array(int depth) {
        if (depth > limits.maxDepth()) {
            throw fail("nested deeper than " + limits.maxDepth());
        }
        pos++; // [
        List<Json> items = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            return new Json.Arr(items);
        }
        while (true) {
            whitespace();
            items.add(value(depth));
            whitespace();
            int c = peek();
            pos++;
            if (c == ']') {
                return new Json.Arr(items);
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or ']'");
            }
        }
    }

    // RFC 8259 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    private Json.Num number() {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        int first = peek();
        if (first == '0') {
            pos++;
        } else if (first >= '1' && first <= '9') {
            digits();
        } else {
            throw fail("expected a digit");
        }
        if (pos < in.length && in[pos] == '.') {
            pos++;
            if (digits() == 0) {
                throw fail("expected a digit after '.'");
            }
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw fail("expected a digit in the exponent");
            }
        }
        String text = new String(in, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII);
        try {
            return new Json.Num(new BigDecimal(text));
        } catch (NumberFormatException outOfRange) {
            // only an exponent beyond what a BigDecimal's int scale holds gets here
            throw new Failure(new JsonError(start, "number out of range"));
        }
    }

    private int digits() {
        int n = 0;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
            n++;
        }
        return n;
    }

    private String string() {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = peek();
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c == '\\') {
                escape(out);
            } else if (c < 0x20) {
                throw fail("unescaped control character in a string");
            } else if (c < 0x80) {
                out.append((char) c);
                pos++;
            } else {
                out.appendCodePoint(utf8());
            }
        }
    }

    private void escape(StringBuilder out) {
        pos++; // backslash
        int c = peek();
        pos++;
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                int unit = hex4();
                if (Character.isHighSurrogate((char) unit)) {
                    // RFC 8259 7: a character outside the BMP is a pair of escaped surrogates
                    if (pos + 1 >= in.length || in[pos] != '\\' || in[pos + 1] != 'u') {
                        throw fail("high surrogate escape without its low half");
                    }
                    pos += 2;
                    int low = hex4();
                    if (!Character.isLowSurrogate((char) low)) {
                        throw fail("high surrogate escape without its low half");
                    }
                    out.append((char) unit).append((char) low);
                } else if (Character.isLowSurrogate((char) unit)) {
                    throw fail("low surrogate escape without its high half");
                } else {
                    out.append((char) unit);
                }
            }
            default -> {
                pos--;
                throw fail("unknown escape \\" + (char) c);
            }
        }
    }

    private int hex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int c = peek();
            int digit = Character.digit(c, 16);
            if (digit < 0 || c > 'f') {
                throw fail("expected a hex digit");
            }
            value = value * 16 + digit;
            pos++;
        }
        return value;
    }

    // RFC 3629 4: the well-formed UTF-8 byte sequences, no overlongs, no surrogates, nothing past U+10FFFF
    private int utf8() {
        int b0 = in[pos] & 0xff;
        int length;
        int min2;
        int max2;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            length = 2; min2 = 0x80; max2 = 0xbf;
        } else if (b0 == 0xe0) {
            length = 3; min2 = 0xa0; max2 = 0xbf;
        } else if ((b0 >= 0xe1 && b0 <= 0xec) || b0 == 0xee || b0 == 0xef) {
            length = 3; min2 = 0x80; max2 = 0xbf;
        } else if (b0 == 0xed) {
            length = 3; min2 = 0x80; max2 = 0x9f;
        } else if (b0 == 0xf0) {
            length = 4; min2 = 0x90; max2 = 0xbf;
        } else if (b0 >= 0xf1 && b0 <= 0xf3) {
            length = 4; min2 = 0x80; max2 = 0xbf;
        } else if (b0 == 0xf4) {
            length = 4; min2 = 0x80; max2 = 0x8f;
        } else {
            throw fail("invalid UTF-8 lead byte");
        }
        if (pos + length > in.length) {
            throw fail("truncated UTF-8 sequence");
        }
        int codePoint = b0 & (0xff >> (length + 1));
        for (int i = 1; i < length; i++) {
            int b = in[pos + i] & 0xff;
            int lo = i == 1 ? min2 : 0x80;
            int hi = i == 1 ? max2 : 0xbf;
            if (b < lo || b > hi) {
                pos += i;
                throw fail("invalid UTF-8 continuation byte");
            }
            codePoint = (codePoint << 6) | (b & 0x3f);
        }
        pos += length;
        return codePoint;
    }
}
