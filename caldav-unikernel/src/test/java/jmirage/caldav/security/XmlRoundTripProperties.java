package jmirage.caldav.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeMap;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.Node;
import jmirage.caldav.xml.Text;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlReader;
import jmirage.caldav.xml.XmlWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the server writes it reads back the same: any element tree (names in no namespace, DAV's,
 * the XML namespace, URIs with quotes and ampersands; attributes; text with markup characters) goes
 * through XmlWriter and XmlReader unchanged. Dead properties are stored this way, so a property a
 * client could set but the store could not read back would break the calendar's file at the next load.
 */
class XmlRoundTripProperties {

    private static final List<String> NAMESPACES = List.of("", "DAV:", "urn:ietf:params:xml:ns:caldav",
            "http://www.w3.org/XML/1998/namespace", "urn:a\"b&c<d>", "http://jmirage.org/ns/caldav-store", "urn:x");

    @Property(tries = 500)
    void whatIsWrittenIsReadBack(@ForAll("elements") Element element) {
        assertEquals(element, XmlReader.parse(XmlWriter.document(element)).orElseThrow());
    }

    @Provide
    Arbitrary<Element> elements() {
        return element(3);
    }

    private static Arbitrary<XmlName> name(boolean attribute) {
        Arbitrary<String> namespace = Arbitraries.of(NAMESPACES)
                .filter(ns -> attribute || !ns.equals("http://www.w3.org/XML/1998/namespace"));
        return Combinators.combine(namespace, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6))
                .as(XmlName::new);
    }

    private static Arbitrary<String> text() {
        // Z stands for a character beyond the BMP (a surrogate pair in Java, four bytes in UTF-8)
        return Arbitraries.strings().withChars("ab <>&\"']]>\u00e9\u4e2dZ\t\n").ofMinLength(1).ofMaxLength(12)
                .filter(t -> !t.isBlank()).map(t -> t.replace("Z", "\uD83D\uDCC5"));
    }

    private static Arbitrary<Element> element(int depth) {
        Arbitrary<TreeMap<XmlName, String>> attributes = Arbitraries.maps(name(true), Arbitraries.strings()
                .withChars("ab <>&\"'\t\u00e9").ofMaxLength(8)).ofMaxSize(3).map(TreeMap::new);
        Arbitrary<List<Node>> children = depth == 0
                ? text().map(t -> List.<Node>of(new Text(t))).injectNull(0.3).map(l -> l == null ? List.of() : l)
                : Arbitraries.oneOf(text().map(t -> List.<Node>of(new Text(t))),
                        element(depth - 1).list().ofMaxSize(3).map(l -> List.<Node>copyOf(l)));
        return Combinators.combine(name(false), attributes, children).as(Element::new);
    }
}
