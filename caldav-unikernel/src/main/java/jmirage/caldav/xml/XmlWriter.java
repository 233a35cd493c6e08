package jmirage.caldav.xml;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import jmirage.core.Bytes;

/**
 * Writes an {@link Element} tree as a UTF-8 document. The usual DAV namespaces get their usual
 * prefixes (d, c, cs, ic) declared once on the root, as clients' own logs show them; any other
 * namespace gets a generated prefix declared on the root too.
 */
public final class XmlWriter {

    private static final Map<String, String> WELL_KNOWN = Map.of(
            DavNames.DAV, "d",
            DavNames.CALDAV, "c",
            DavNames.CALENDARSERVER, "cs",
            DavNames.APPLE_ICAL, "ic");

    private XmlWriter() {}

    /** The whole document, with an XML declaration. */
    public static Bytes document(Element root) {
        Utf8Sink out = new Utf8Sink();
        out.ascii("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        write(root, out);
        out.ascii("\n");
        return Bytes.adopt(out.toArray());
    }

    /** The element alone, its namespaces declared on it: a fragment to store (a dead property's value). */
    public static String fragment(Element root) {
        Utf8Sink out = new Utf8Sink();
        write(root, out);
        return new String(out.toArray(), StandardCharsets.UTF_8);
    }

    private static void write(Element root, Utf8Sink out) {
        TreeSet<String> namespaces = new TreeSet<>();
        collect(root, namespaces);
        Map<String, String> prefixes = new LinkedHashMap<>();
        int generated = 0;
        for (String ns : namespaces) {
            if (ns.isEmpty()) {
                continue;
            }
            if (ns.equals(XMLConstants.XML_NS_URI)) {
                // XML 1.0 Namespaces 3: the prefix xml is bound to this name and must not be declared
                // (a declaration makes the document unreadable: xml:lang in a dead property once did)
                prefixes.put(ns, XMLConstants.XML_NS_PREFIX);
                continue;
            }
            String known = WELL_KNOWN.get(ns);
            prefixes.put(ns, known != null ? known : "x" + generated++);
        }
        element(root, prefixes, true, out);
    }

    // A multistatus of a large calendar has tens of thousands of elements: the walks below index
    // the children and skip empty attribute maps, so they allocate no iterator per element.

    private static void collect(Element e, TreeSet<String> namespaces) {
        namespaces.add(e.name().namespace());
        if (!e.attributes().isEmpty()) {
            for (XmlName a : e.attributes().keySet()) {
                namespaces.add(a.namespace());
            }
        }
        List<Node> children = e.children();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof Element c) {
                collect(c, namespaces);
            }
        }
    }

    private static void element(Element e, Map<String, String> prefixes, boolean root, Utf8Sink out) {
        out.ascii("<");
        qualified(e.name(), prefixes, out);
        if (root) {
            for (Map.Entry<String, String> p : prefixes.entrySet()) {
                if (p.getValue().equals(XMLConstants.XML_NS_PREFIX)) {
                    continue;
                }
                out.ascii(" xmlns:");
                out.ascii(p.getValue());
                out.ascii("=\"");
                escape(p.getKey(), true, out);
                out.ascii("\"");
            }
        }
        if (!e.attributes().isEmpty()) {
            for (Map.Entry<XmlName, String> a : e.attributes().entrySet()) {
                out.ascii(" ");
                qualified(a.getKey(), prefixes, out);
                out.ascii("=\"");
                escape(a.getValue(), true, out);
                out.ascii("\"");
            }
        }
        List<Node> children = e.children();
        if (children.isEmpty()) {
            out.ascii("/>");
            return;
        }
        out.ascii(">");
        for (int i = 0; i < children.size(); i++) {
            switch (children.get(i)) {
                case Element c -> element(c, prefixes, false, out);
                case Text t -> escape(t.text(), false, out);
            }
        }
        out.ascii("</");
        qualified(e.name(), prefixes, out);
        out.ascii(">");
    }

    private static void qualified(XmlName name, Map<String, String> prefixes, Utf8Sink out) {
        if (!name.namespace().isEmpty()) {
            out.ascii(prefixes.get(name.namespace()));
            out.ascii(":");
        }
        out.text(name.local(), 0, name.local().length());
    }

    /**
     * XML 1.0 escaping, so that a reader gets the same text back; characters XML 1.0 cannot carry at
     * all (most C0 controls) are dropped.
     */
    static void escape(String s, boolean attribute, Utf8Sink out) {
        int clean = 0;
        while (clean < s.length() && plain(s.charAt(clean))) {
            clean++;
        }
        // most values (hrefs, etags, statuses) need nothing: one copy
        out.text(s, 0, clean);
        for (int i = clean; i < s.length(); i++) {
            char c = s.charAt(i);
            if (plain(c)) {
                int run = i + 1;
                while (run < s.length() && plain(s.charAt(run))) {
                    run++;
                }
                out.text(s, i, run);
                i = run - 1;
                continue;
            }
            switch (c) {
                case '<' -> out.ascii("&lt;");
                case '>' -> out.ascii("&gt;");
                case '&' -> out.ascii("&amp;");
                case '"' -> out.ascii(attribute ? "&quot;" : "\"");
                case '\r' -> out.ascii("&#13;");
                // XML 1.0 3.3.3: a reader turns a literal tab or line feed in an attribute into a space
                case '\t' -> out.ascii(attribute ? "&#9;" : "\t");
                case '\n' -> out.ascii(attribute ? "&#10;" : "\n");
                default -> {
                    // the other C0 controls, U+FFFE and U+FFFF: not characters XML 1.0 can carry
                }
            }
        }
    }

    /** A character written as itself in text and attributes alike. */
    private static boolean plain(char c) {
        return c >= 0x20 && c != '<' && c != '>' && c != '&' && c != '"' && c < 0xFFFE;
    }

    /**
     * The document's UTF-8 bytes, written in chunks and joined once at the end: a 3 MB multistatus
     * costs its chunks and one array of its size, not a growing builder, a String and its encoding.
     * An unpaired surrogate is written as '?', as {@link String#getBytes} does.
     */
    static final class Utf8Sink {

        private static final int CHUNK = 16 * 1024;

        private final List<byte[]> full = new ArrayList<>();
        private byte[] chunk = new byte[256];
        private int at;
        private int size;

        /** {@code s}, which holds only ASCII characters (markup, prefixes). */
        void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                put((byte) s.charAt(i));
            }
        }

        /** Characters {@code from} to {@code to} of {@code s}, in UTF-8. */
        void text(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    put((byte) c);
                } else if (c < 0x800) {
                    put((byte) (0xC0 | c >> 6));
                    put((byte) (0x80 | c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        put((byte) (0xF0 | cp >> 18));
                        put((byte) (0x80 | cp >> 12 & 0x3F));
                        put((byte) (0x80 | cp >> 6 & 0x3F));
                        put((byte) (0x80 | cp & 0x3F));
                    } else {
                        put((byte) '?');
                    }
                } else {
                    put((byte) (0xE0 | c >> 12));
                    put((byte) (0x80 | c >> 6 & 0x3F));
                    put((byte) (0x80 | c & 0x3F));
                }
            }
        }

        private void put(byte b) {
            if (at == chunk.length) {
                if (chunk.length < CHUNK) {
                    chunk = Arrays.copyOf(chunk, Math.min(CHUNK, chunk.length * 4));
                } else {
                    full.add(chunk);
                    chunk = new byte[CHUNK];
                    at = 0;
                }
            }
            chunk[at++] = b;
            size++;
        }

        byte[] toArray() {
            byte[] out = new byte[size];
            int to = 0;
            for (byte[] c : full) {
                System.arraycopy(c, 0, out, to, c.length);
                to += c.length;
            }
            System.arraycopy(chunk, 0, out, to, at);
            return out;
        }
    }
}
