package jmirage.caldav.dav;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlWriter;

/**
 * Bounds on what a user may store as dead properties (RFC 4918 15: properties the server keeps
 * without understanding them): each one at most {@link #MAX_PROPERTY_BYTES} and all of a
 * calendar's together at most {@link #MAX_COLLECTION_BYTES}, counted as the XML written to its
 * {@code .collection.xml}. What clients set (a name, a colour, an order, a description, a
 * VTIMEZONE of a few kilobytes) fits with room to spare; a property over either bound is answered
 * 507 Insufficient Storage in its propstat (RFC 4918 9.2.1) and nothing is stored.
 */
final class DeadPropertyLimits {

    static final int MAX_PROPERTY_BYTES = 64 * 1024;
    static final int MAX_COLLECTION_BYTES = 256 * 1024;

    private DeadPropertyLimits() {}

    /** The first property of {@code dead} that does not fit, if any ({@code dead} is the calendar's set after the update). */
    static Optional<XmlName> overflow(Map<XmlName, Element> dead) {
        long total = 0;
        for (Map.Entry<XmlName, Element> e : dead.entrySet()) {
            int size = size(e.getValue());
            total += size;
            if (size > MAX_PROPERTY_BYTES || total > MAX_COLLECTION_BYTES) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private static int size(Element property) {
        return XmlWriter.fragment(property).getBytes(StandardCharsets.UTF_8).length;
    }
}
