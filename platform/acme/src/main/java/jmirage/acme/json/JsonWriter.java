package jmirage.acme.json;

import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;

/**
 * Writes a {@link Json} value as compact JSON text (RFC 8259): no insignificant whitespace, members
 * in their order, strings with {@code "}, {@code \} and control characters escaped and everything
 * else as UTF-8. What it writes, {@link JsonParser} reads back to an equal value.
 */
public final class JsonWriter {

    private JsonWriter() {}

    public static String write(Json value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    public static Bytes bytes(Json value) {
        return Bytes.utf8(write(value));
    }

    private static void write(Json value, StringBuilder out) {
        switch (value) {
            case Json.Obj(Map<String, Json> members) -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, Json> member : members.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(member.getKey(), out);
                    out.append(':');
                    write(member.getValue(), out);
                }
                out.append('}');
            }
            case Json.Arr(List<Json> items) -> {
                out.append('[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(items.get(i), out);
                }
                out.append(']');
            }
            case Json.Str(String s) -> string(s, out);
            // BigDecimal's text (as 1.5, -2, 1E+3) is within RFC 8259 6's grammar
            case Json.Num(java.math.BigDecimal n) -> out.append(n.toString());
            case Json.Bool(boolean b) -> out.append(b);
            case Json.Null n -> out.append("null");
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
