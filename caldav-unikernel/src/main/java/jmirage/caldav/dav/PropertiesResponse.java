package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;

/**
 * One DAV:response of a multistatus (RFC 4918 14.24) for one resource: its href, then one
 * DAV:propstat per status, 200 first, then 403 (not readable by this user), then 404 (no such
 * property here).
 */
public final class PropertiesResponse {

    private PropertiesResponse() {}

    public static Element of(Properties.Context context, PropertiesSubject subject, PropertiesRequest request) {
        List<Element> found = new ArrayList<>();
        List<Element> forbidden = new ArrayList<>();
        List<Element> missing = new ArrayList<>();
        switch (request) {
            case PropertiesRequest.Names n -> {
                for (XmlName name : Properties.names(subject)) {
                    found.add(Element.of(name));
                }
            }
            case PropertiesRequest.All all -> {
                List<XmlName> names = new ArrayList<>(Properties.allprop(subject));
                for (XmlName extra : all.include()) {
                    if (!names.contains(extra)) {
                        names.add(extra);
                    }
                }
                for (XmlName name : names) {
                    sort(Properties.value(context, subject, name), name, found, forbidden, missing);
                }
            }
            case PropertiesRequest.Named named -> {
                for (Element asked : named.elements()) {
                    sort(Properties.value(context, subject, asked.name()), asked.name(), found, forbidden, missing);
                }
            }
        }
        return assemble(subject.href(), found, forbidden, missing);
    }

    /** The response for {@code href}: a propstat for each status that has properties. */
    static Element assemble(String href, List<Element> found, List<Element> forbidden, List<Element> missing) {
        List<Element> children = new ArrayList<>(4);
        children.add(DavResponses.href(href));
        propstat(200, found, children);
        propstat(403, forbidden, children);
        propstat(404, missing, children);
        if (children.size() == 1) {
            // RFC 4918 14.24: a response holds a status or at least one propstat; an empty prop is one
            children.add(Element.of(DavNames.PROPSTAT, Element.of(DavNames.PROP), DavResponses.status(200)));
        }
        return Element.of(DavNames.RESPONSE, children);
    }

    /** A response without properties: a member that is gone (RFC 6578 3.5.2) or an href that names nothing. */
    public static Element status(String href, int status) {
        return Element.of(DavNames.RESPONSE, DavResponses.href(href), DavResponses.status(status));
    }

    static void sort(Properties.Value value, XmlName name, List<Element> found, List<Element> forbidden, List<Element> missing) {
        switch (value) {
            case Properties.Value.Found f -> found.add(f.element());
            case Properties.Value.Forbidden f -> forbidden.add(Element.of(name));
            case Properties.Value.Missing m -> missing.add(Element.of(name));
        }
    }

    private static void propstat(int status, List<Element> properties, List<Element> into) {
        if (!properties.isEmpty()) {
            into.add(Element.of(DavNames.PROPSTAT, Element.of(DavNames.PROP, properties), DavResponses.status(status)));
        }
    }
}
