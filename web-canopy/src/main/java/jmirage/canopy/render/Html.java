package jmirage.canopy.render;

/**
 * Escaping for text put into HTML, the one way every interpolated value of a page is written:
 * {@code & < > " '} become references, so a value can close neither an element nor an attribute
 * (HTML Living Standard 13.1.2.6 and 13.1.4: text and quoted attribute values).
 */
final class Html {

    private Html() {}

    static void escapeTo(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }
}
