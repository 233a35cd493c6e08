package jmirage.caldav.xml;

import java.util.LinkedHashMap;
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
        StringBuilder out = new StringBuilder(256);
        out.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        write(root, out);
        out.append('\n');
        return Bytes.utf8(out.toString());
    }

    /** The element alone, its namespaces declared on it: a fragment to store (a dead property's value). */
    public static String fragment(Element root) {
        StringBuilder out = new StringBuilder(64);
        write(root, out);
        return out.toString();
    }

    private static void write(Element root, StringBuilder out) {
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

    private static void collect(Element e, TreeSet<String> namespaces) {
        namespaces.add(e.name().namespace());
        for (XmlName a : e.attributes().keySet()) {
            namespaces.add(a.namespace());
        }
        for (Node child : e.children()) {
            if (child instanceof Element c) {
                collect(c, namespaces);
            }
        }
    }

    private static void element(Element e, Map<String, String> prefixes, boolean root, StringBuilder out) {
        String qname = qualified(e.name(), prefixes);
        out.append('<').append(qname);
        if (root) {
            for (Map.Entry<String, String> p : prefixes.entrySet()) {
                if (p.getValue().equals(XMLConstants.XML_NS_PREFIX)) {
                    continue;
                }
                out.append(" xmlns:").append(p.getValue()).append("=\"");
                escape(p.getKey(), true, out);
                out.append('"');
            }
        }
        for (Map.Entry<XmlName, String> a : e.attributes().entrySet()) {
            out.append(' ').append(qualified(a.getKey(), prefixes)).append("=\"");
            escape(a.getValue(), true, out);
            out.append('"');
        }
        if (e.children().isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (Node child : e.children()) {
            switch (child) {
                case Element c -> element(c, prefixes, false, out);
                case Text t -> escape(t.text(), false, out);
            }
        }
        out.append("</").append(qname).append('>');
    }

    private static String qualified(XmlName name, Map<String, String> prefixes) {
        if (name.namespace().isEmpty()) {
            return name.local();
        }
        return prefixes.get(name.namespace()) + ":" + name.local();
    }

    /**
     * XML 1.0 escaping, so that a reader gets the same text back; characters XML 1.0 cannot carry at
     * all (most C0 controls) are dropped.
     */
    static void escape(String s, boolean attribute, StringBuilder out) {
        int clean = 0;
        while (clean < s.length() && plain(s.charAt(clean))) {
            clean++;
        }
        // most values (hrefs, etags, statuses) need nothing: one copy
        out.append(s, 0, clean);
        for (int i = clean; i < s.length(); i++) {
            char c = s.charAt(i);
            if (plain(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\r' -> out.append("&#13;");
                // XML 1.0 3.3.3: a reader turns a literal tab or line feed in an attribute into a space
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n') {
                        continue;
                    }
                    if (c == 0xFFFE || c == 0xFFFF) {
                        continue;
                    }
                    out.append(c);
                }
            }
        }
    }

    /** A character written as itself in text and attributes alike. */
    private static boolean plain(char c) {
        return c >= 0x20 && c != '<' && c != '>' && c != '&' && c != '"' && c < 0xFFFE;
    }
}
