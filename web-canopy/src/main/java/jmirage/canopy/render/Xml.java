package jmirage.canopy.render;

/**
 * Escaping for text put into XML (the feed, the sitemap): the five predefined entities (XML 1.0
 * 2.4), white space a parser would otherwise change as references, and every character XML 1.0 2.2 does not allow (controls, lone surrogates, U+FFFE, U+FFFF)
 * replaced by U+FFFD, which no reference could make legal either.
 */
final class Xml {

    static final String REPLACEMENT = "\uFFFD";

    private Xml() {}

    /** Text content: CR as a reference, since a parser reads a literal CR as LF (XML 1.0 2.11). */
    static String escape(String text) {
        return escape(text, false);
    }

    /**
     * An attribute value: also tab and LF as references, which attribute-value normalization would
     * otherwise turn into spaces (XML 1.0 3.3.3).
     */
    static String attribute(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean attribute) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
                continue;
            }
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                default -> out.append(isChar(c) ? String.valueOf(c) : REPLACEMENT);
            }
        }
        return out.toString();
    }

    /** XML 1.0 2.2 Char, for one UTF-16 unit that is not part of a surrogate pair. */
    private static boolean isChar(char c) {
        return c == '\t' || c == '\n' || c == '\r'
                || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
