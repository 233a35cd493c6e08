package jmirage.caldav.dav;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.http.Headers;

/**
 * Which properties a PROPFIND (RFC 4918 14.20) or a REPORT asks for: named ones (DAV:prop), all
 * of them with some more included (DAV:allprop, DAV:include), or only their names (DAV:propname).
 */
public sealed interface PropertiesRequest {

    /** DAV:prop: these, in the order asked; {@code elements} keeps the request's elements (calendar-data may carry a selection). */
    /**
     * The most properties one request may name. Clients name a few dozen (iOS about 40); the answer
     * grows with names times resources (a Depth: 1 PROPFIND of 10,000 objects), so the count is
     * bounded before any work is done, and a request over it is 400.
     */
    int MAX_NAMED = 200;

    record Named(List<Element> elements) implements PropertiesRequest {
        public Named {
            elements = List.copyOf(elements);
        }
    }

    record All(List<XmlName> include) implements PropertiesRequest {
        public All {
            include = List.copyOf(include);
        }
    }

    record Names() implements PropertiesRequest {}

    /** The property-request part of a DAV:propfind or REPORT body (its first prop, allprop or propname); empty if none. */
    static Optional<PropertiesRequest> of(Element body) {
        for (Element child : body.elements().toList()) {
            if (child.name().equals(DavNames.PROP)) {
                return Optional.of(new Named(child.elements().toList()));
            }
            if (child.name().equals(DavNames.ALLPROP)) {
                List<XmlName> include = body.element(DavNames.INCLUDE)
                        .map(i -> i.elements().map(Element::name).toList()).orElse(List.of());
                return Optional.of(new All(include));
            }
            if (child.name().equals(DavNames.PROPNAME)) {
                return Optional.of(new Names());
            }
        }
        return Optional.empty();
    }

    /** A Depth header's value (RFC 4918 10.2). */
    enum Depth { ZERO, ONE, INFINITY }

    /** The Depth header, {@code absent} when there is none; empty when its value is not 0, 1 or infinity (400). */
    static Optional<Depth> depth(Headers headers, Depth absent) {
        Optional<String> value = headers.get("Depth");
        if (value.isEmpty()) {
            return Optional.of(absent);
        }
        return switch (value.get().strip().toLowerCase(Locale.ROOT)) {
            case "0" -> Optional.of(Depth.ZERO);
            case "1" -> Optional.of(Depth.ONE);
            case "infinity" -> Optional.of(Depth.INFINITY);
            default -> Optional.empty();
        };
    }
}
