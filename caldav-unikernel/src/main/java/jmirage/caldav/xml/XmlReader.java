package jmirage.caldav.xml;

import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Reads a request body into an {@link Element} tree, safely: a DOCTYPE is refused before anything
 * in it is read (so no entity is declared, none expanded, nothing external fetched), and the depth,
 * the number of elements and the amount of text (attribute values included) are bounded. The
 * JDK's StAX parser does the tokenising; this class never resolves anything.
 */
public final class XmlReader {

    /** Bounds on what one document may hold. */
    public record Limits(int maxDepth, int maxElements, long maxTextChars) {
        /** Enough for a calendar-multiget of several thousand hrefs or a PROPPATCH of large dead properties. */
        public static Limits defaults() {
            return new Limits(64, 100_000, 4_000_000);
        }
    }

    private static final XMLInputFactory FACTORY = factory();

    private XmlReader() {}

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external resources are not read");
        });
        return f;
    }

    public static Result<Element, XmlError> parse(Bytes body) {
        return parse(body, Limits.defaults());
    }

    public static Result<Element, XmlError> parse(Bytes body, Limits limits) {
        Optional<String> decoded = utf8(body);
        if (decoded.isEmpty()) {
            return Result.err(new XmlError.Malformed("the body is not UTF-8"));
        }
        if (decoded.get().isBlank()) {
            return Result.err(new XmlError.Empty());
        }
        XMLStreamReader r = null;
        try {
            synchronized (FACTORY) {
                r = FACTORY.createXMLStreamReader(new StringReader(decoded.get()));
            }
            Deque<Building> open = new ArrayDeque<>();
            Element root = null;
            int elements = 0;
            long text = 0;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> {
                        return Result.err(new XmlError.DoctypeRefused());
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> {
                        return Result.err(new XmlError.Malformed("entity reference '" + r.getLocalName() + "'"));
                    }
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > limits.maxElements()) {
                            return Result.err(new XmlError.TooLarge("elements", limits.maxElements()));
                        }
                        if (open.size() + 1 > limits.maxDepth()) {
                            return Result.err(new XmlError.TooLarge("levels of nesting", limits.maxDepth()));
                        }
                        TreeMap<XmlName, String> attributes = new TreeMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String ns = r.getAttributeNamespace(i);
                            String value = r.getAttributeValue(i);
                            // attribute values count as text: the bound holds whatever the body's shape
                            text += value.length();
                            if (text > limits.maxTextChars()) {
                                return Result.err(new XmlError.TooLarge("characters", limits.maxTextChars()));
                            }
                            attributes.put(new XmlName(ns == null ? "" : ns, r.getAttributeLocalName(i)), value);
                        }
                        String ns = r.getNamespaceURI();
                        open.push(new Building(new XmlName(ns == null ? "" : ns, r.getLocalName()), attributes));
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        text += r.getTextLength();
                        if (text > limits.maxTextChars()) {
                            return Result.err(new XmlError.TooLarge("characters", limits.maxTextChars()));
                        }
                        if (!open.isEmpty()) {
                            open.peek().children.add(new Text(r.getText()));
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Building done = open.pop();
                        Element e = new Element(done.name, done.attributes, done.children);
                        if (open.isEmpty()) {
                            root = e;
                        } else {
                            open.peek().children.add(e);
                        }
                    }
                    default -> { }
                }
            }
            if (root == null) {
                return Result.err(new XmlError.Malformed("no root element"));
            }
            return Result.ok(root);
        } catch (XMLStreamException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.contains("DOCTYPE")) {
                return Result.err(new XmlError.DoctypeRefused());
            }
            return Result.err(new XmlError.Malformed(firstLine(message)));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held but the byte array
                }
            }
        }
    }

    /**
     * The body as text, strictly UTF-8 (RFC 4918 8.2 requires every DAV server to read UTF-8, and
     * clients send nothing else); a byte order mark is dropped. Decoding here, rather than in the
     * parser, keeps the JDK parser from printing encoding errors on standard error.
     */
    private static Optional<String> utf8(Bytes body) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(body.asReadOnlyBuffer()).toString();
            return Optional.of(s.startsWith("\uFEFF") ? s.substring(1) : s);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static final class Building {
        final XmlName name;
        final TreeMap<XmlName, String> attributes;
        final List<Node> children = new ArrayList<>();

        Building(XmlName name, TreeMap<XmlName, String> attributes) {
            this.name = name;
            this.attributes = attributes;
        }
    }
}
