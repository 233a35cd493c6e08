package jmirage.caldav.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.Node;
import jmirage.caldav.xml.Text;
import jmirage.caldav.xml.XmlError;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlReader;
import jmirage.caldav.xml.XmlWriter;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.kv.Key;

/**
 * The {@code .collection.xml} file of a calendar, written to be read by a person in the git
 * repository:
 *
 * <pre>
 * &lt;?xml version="1.0" encoding="utf-8"?&gt;
 * &lt;x0:collection xmlns:x0="http://jmirage.org/ns/caldav-store" created="2026-01-02T03:04:05Z"&gt;
 *   &lt;x0:components&gt;VEVENT VTODO&lt;/x0:components&gt;
 *   &lt;x0:properties&gt;
 *     &lt;d:displayname&gt;Work&lt;/d:displayname&gt;
 *     &lt;ic:calendar-color&gt;#FF2968FF&lt;/ic:calendar-color&gt;
 *   &lt;/x0:properties&gt;
 * &lt;/x0:collection&gt;
 * </pre>
 *
 * The dead properties are the elements the clients sent in PROPPATCH or MKCALENDAR, unchanged.
 */
public final class PropertiesFile {

    public static final String NAMESPACE = "http://jmirage.org/ns/caldav-store";
    private static final XmlName COLLECTION = new XmlName(NAMESPACE, "collection");
    private static final XmlName COMPONENTS = new XmlName(NAMESPACE, "components");
    private static final XmlName PROPERTIES = new XmlName(NAMESPACE, "properties");
    private static final XmlName CREATED = new XmlName("", "created");

    /** What the file holds. {@code created} is empty when the file does not say (a file written by hand). */
    public record Properties(Set<ComponentKind> components, SortedMap<XmlName, Element> deadProperties, Optional<Instant> created) {
        public Properties {
            components = components.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(components));
            deadProperties = Collections.unmodifiableSortedMap(new TreeMap<>(deadProperties));
        }

        /** A calendar directory without the file: every component, no property. */
        public static Properties defaults() {
            return new Properties(EnumSet.allOf(ComponentKind.class), new TreeMap<>(), Optional.empty());
        }
    }

    private PropertiesFile() {}

    public static Bytes encode(Collection collection) {
        List<Node> properties = new ArrayList<>();
        for (Element p : collection.deadProperties().values()) {
            properties.add(new Text("\n    "));
            properties.add(p);
        }
        properties.add(new Text("\n  "));
        StringBuilder components = new StringBuilder();
        for (ComponentKind k : ComponentKind.values()) {
            if (collection.components().contains(k)) {
                components.append(components.isEmpty() ? "" : " ").append(k.name());
            }
        }
        Element root = Element.of(COLLECTION,
                        new Text("\n  "), Element.text(COMPONENTS, components.toString()),
                        new Text("\n  "), Element.of(PROPERTIES, properties),
                        new Text("\n"))
                .withAttribute(CREATED, collection.created().toString());
        return XmlWriter.document(root);
    }

    public static Result<Properties, StoreError> decode(Key key, Bytes file) {
        Result<Element, XmlError> parsed = XmlReader.parse(file);
        if (parsed instanceof Result.Err<Element, XmlError>(XmlError e)) {
            return Result.err(new StoreError.BadFile(key, 0, e.describe()));
        }
        Element root = parsed.orElseThrow();
        if (!root.name().equals(COLLECTION)) {
            return Result.err(new StoreError.BadFile(key, 0, "the root element is " + root.name() + ", not " + COLLECTION));
        }
        Optional<Instant> created = Optional.empty();
        Optional<String> createdText = root.attribute(CREATED.local());
        if (createdText.isPresent()) {
            try {
                created = Optional.of(Instant.parse(createdText.get().strip()));
            } catch (DateTimeParseException e) {
                return Result.err(new StoreError.BadFile(key, 0, "created='" + createdText.get() + "' is not an ISO-8601 instant"));
            }
        }
        Set<ComponentKind> components = EnumSet.allOf(ComponentKind.class);
        Optional<Element> componentsElement = root.element(COMPONENTS);
        if (componentsElement.isPresent()) {
            components = EnumSet.noneOf(ComponentKind.class);
            for (String word : componentsElement.get().text().strip().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                try {
                    components.add(ComponentKind.valueOf(word));
                } catch (IllegalArgumentException e) {
                    return Result.err(new StoreError.BadFile(key, 0, "unknown component '" + word + "' (VEVENT, VTODO, VJOURNAL)"));
                }
            }
        }
        TreeMap<XmlName, Element> dead = new TreeMap<>();
        root.element(PROPERTIES).ifPresent(p -> p.elements().forEach(e -> dead.put(e.name(), e)));
        return Result.ok(new Properties(components, dead, created));
    }
}
