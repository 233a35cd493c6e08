package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.ical.CalendarDataRequest;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.Node;
import jmirage.caldav.xml.XmlName;
import jmirage.http.HttpResponse;

/**
 * DAV:expand-property (RFC 3253 3.8), which iOS, macOS and Evolution send to principals: the
 * properties named, and for each DAV:href in a value whose DAV:property names more properties, the
 * response of the resource it points at with those, in its place. Nesting stops at
 * {@link #MAX_LEVELS} (a client asking deeper gets the hrefs as they are).
 */
final class ReportExpandProperty {

    static final XmlName PROPERTY = DavNames.dav("property");
    static final int MAX_LEVELS = 3;

    private ReportExpandProperty() {}

    static HttpResponse handle(Store store, DavRequest request, PropertiesSubject subject, Element body, DavConfig config) {
        List<Element> asked = body.elements(PROPERTY);
        if (all(asked).size() > PropertiesRequest.MAX_NAMED) {
            return HttpResponse.text(400, "at most " + PropertiesRequest.MAX_NAMED + " properties in one request");
        }
        for (Element property : all(asked)) {
            if (property.attribute("name").isEmpty()) {
                return HttpResponse.text(400, "a DAV:property of an expand-property has a name attribute");
            }
        }
        Properties.Context context = new Properties.Context(request.user(), config, CalendarDataRequest.WHOLE);
        return DavResponses.multistatus(List.of(expand(store, context, subject, asked, 0)));
    }

    private static List<Element> all(List<Element> properties) {
        List<Element> out = new ArrayList<>(properties);
        for (Element p : properties) {
            out.addAll(all(p.elements(PROPERTY)));
        }
        return out;
    }

    private static Element expand(Store store, Properties.Context context, PropertiesSubject subject, List<Element> asked, int level) {
        List<Element> found = new ArrayList<>();
        List<Element> forbidden = new ArrayList<>();
        List<Element> missing = new ArrayList<>();
        for (Element property : asked) {
            // RFC 3253 3.8: the namespace attribute defaults to DAV:
            XmlName name = new XmlName(property.attribute("namespace").orElse(DavNames.DAV), property.attribute("name").orElseThrow());
            Properties.Value value = Properties.value(context, subject, name);
            List<Element> nested = property.elements(PROPERTY);
            if (value instanceof Properties.Value.Found(Element element) && !nested.isEmpty() && level < MAX_LEVELS) {
                value = new Properties.Value.Found(replaceHrefs(store, context, element, nested, level));
            }
            PropertiesResponse.sort(value, name, found, forbidden, missing);
        }
        return PropertiesResponse.assemble(subject.href(), found, forbidden, missing);
    }

    /** The property's value with each DAV:href child replaced by the response of what it names. */
    private static Element replaceHrefs(Store store, Properties.Context context, Element value, List<Element> nested, int level) {
        List<Node> children = new ArrayList<>();
        for (Node child : value.children()) {
            if (child instanceof Element e && e.name().equals(DavNames.HREF)) {
                String href = e.text().strip();
                Optional<PropertiesSubject> target = Targets.pathOfHref(href)
                        .flatMap(path -> Targets.resolve(path, context.user()))
                        .flatMap(t -> PropertiesSubject.resolve(store, context.user(), t));
                children.add(target.isPresent()
                        ? expand(store, context, target.get(), nested, level + 1)
                        : PropertiesResponse.status(href, 404));
            } else {
                children.add(child);
            }
        }
        return new Element(value.name(), value.attributes(), children);
    }
}
