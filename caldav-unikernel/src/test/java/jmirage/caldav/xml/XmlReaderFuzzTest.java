package jmirage.caldav.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary bytes as a request body: the reader answers a tree or a typed error, never throws,
 * and a tree it answers survives a write and a second read unchanged (what the server echoes back,
 * dead properties, is what it read).
 */
class XmlReaderFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyBodyIsATreeOrAnError(FuzzedDataProvider data) {
        Bytes body = Bytes.of(data.consumeRemainingAsBytes());
        if (XmlReader.parse(body) instanceof Result.Ok<Element, XmlError>(Element tree)) {
            Element again = XmlReader.parse(XmlWriter.document(tree)).orElseThrow(e -> new IllegalStateException(e.describe()));
            assertEquals(normalised(tree), normalised(again));
        }
    }

    /** Text runs merged and characters XML cannot carry dropped, as the writer does. */
    private static Element normalised(Element e) {
        java.util.List<Node> children = new java.util.ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node n : e.children()) {
            switch (n) {
                case Text t -> text.append(t.text());
                case Element c -> {
                    flush(text, children);
                    children.add(normalised(c));
                }
            }
        }
        flush(text, children);
        java.util.TreeMap<XmlName, String> attributes = new java.util.TreeMap<>();
        e.attributes().forEach((k, v) -> attributes.put(k, clean(v)));
        return new Element(e.name(), attributes, children);
    }

    private static void flush(StringBuilder text, java.util.List<Node> children) {
        String t = clean(text.toString());
        if (!t.isEmpty()) {
            children.add(new Text(t));
        }
        text.setLength(0);
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0xFFFE && c != 0xFFFF) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
