package jmirage.caldav.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An immutable XML element: its name, its attributes (namespaced; namespace declarations are not
 * attributes, they are implied by the names) and its children in document order.
 */
public record Element(XmlName name, SortedMap<XmlName, String> attributes, List<Node> children) implements Node {

    public Element {
        Objects.requireNonNull(name);
        attributes = attributes.isEmpty() ? NO_ATTRIBUTES : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
        children = List.copyOf(children);
    }

    /** Most elements have none: one shared empty map rather than one each (a multistatus has tens of thousands). */
    private static final SortedMap<XmlName, String> NO_ATTRIBUTES = java.util.Collections.unmodifiableSortedMap(new TreeMap<>());

    public static Element of(XmlName name, Node... children) {
        return new Element(name, NO_ATTRIBUTES, List.of(children));
    }

    public static Element of(XmlName name, List<? extends Node> children) {
        return new Element(name, NO_ATTRIBUTES, List.copyOf(children));
    }

    /** {@code <name>text</name>}. */
    public static Element text(XmlName name, String text) {
        return of(name, new Text(text));
    }

    public Element withAttribute(XmlName attribute, String value) {
        TreeMap<XmlName, String> copy = new TreeMap<>(attributes);
        copy.put(attribute, value);
        return new Element(name, copy, children);
    }

    public Element withChild(Node child) {
        List<Node> copy = new ArrayList<>(children);
        copy.add(child);
        return new Element(name, attributes, copy);
    }

    /** An attribute in no namespace, as most DAV attributes are ({@code name="..."} of a comp-filter). */
    public Optional<String> attribute(String local) {
        return Optional.ofNullable(attributes.get(new XmlName("", local)));
    }

    public Stream<Element> elements() {
        return children.stream().filter(Element.class::isInstance).map(Element.class::cast);
    }

    public List<Element> elements(XmlName childName) {
        return elements().filter(e -> e.name.equals(childName)).toList();
    }

    public Optional<Element> element(XmlName childName) {
        return elements().filter(e -> e.name.equals(childName)).findFirst();
    }

    /** The concatenated text of the direct text children. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Node n : children) {
            if (n instanceof Text t) {
                b.append(t.text());
            }
        }
        return b.toString();
    }

    /** Whether this element has no child elements and only white space as text. */
    public boolean isEmpty() {
        return elements().findAny().isEmpty() && text().isBlank();
    }

    /** The attributes as a plain map (for callers that do not care about order). */
    public Map<XmlName, String> attributeMap() {
        return attributes;
    }
}
