package jmirage.caldav.interop;

import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import jmirage.core.Result;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A 207 multistatus body (RFC 4918 13) read the way a client reads it, with the JDK's own XML
 * parser (not the server's): per response its href, its status when it has no propstat (a 404
 * member in a sync-collection), and each property with the status of the propstat holding it.
 */
record Multistatus(List<Response> responses, Optional<String> syncToken) {

    static final String DAV = "DAV:";
    static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    static final String CS = "http://calendarserver.org/ns/";
    static final String APPLE = "http://apple.com/ns/ical/";

    Multistatus {
        responses = List.copyOf(responses);
    }

    static QName dav(String local) {
        return new QName(DAV, local);
    }

    static QName caldav(String local) {
        return new QName(CALDAV, local);
    }

    static QName cs(String local) {
        return new QName(CS, local);
    }

    static QName apple(String local) {
        return new QName(APPLE, local);
    }

    /** One {@code DAV:response}. */
    record Response(String href, Optional<Integer> status, Map<QName, Property> properties) {

        Response {
            properties = Map.copyOf(properties);
        }

        /** The decoded path of the href (a full URL's path, or the path itself). */
        String path() {
            return pathOf(href);
        }

        /** The property when found with 200. */
        Optional<Property> ok(QName name) {
            return Optional.ofNullable(properties.get(name)).filter(p -> p.status() == 200);
        }

        /** The property found with 200, or the test fails naming it. */
        Property require(QName name) {
            return ok(name).orElseThrow(() -> new AssertionError(href + ": no " + name + " with 200 in " + properties));
        }
    }

    /**
     * A property as returned: its status, its text, the names of its child elements and of every
     * element inside it (a report in supported-report-set, a privilege in current-user-privilege-set),
     * the hrefs inside it (DAV:href, as in current-user-principal and calendar-home-set).
     */
    record Property(QName name, int status, String text, List<QName> children, List<QName> descendants, List<String> hrefs) {

        Property {
            children = List.copyOf(children);
            descendants = List.copyOf(descendants);
            hrefs = List.copyOf(hrefs);
        }

        boolean has(QName child) {
            return children.contains(child);
        }
    }

    /** The response for {@code path} (compared decoded, with or without the trailing slash), or the test fails. */
    Response response(String path) {
        return find(path).orElseThrow(() -> new AssertionError("no response for " + path + " among " + paths()));
    }

    Optional<Response> find(String path) {
        String wanted = strip(pathOf(path));
        return responses.stream().filter(r -> strip(r.path()).equals(wanted)).findFirst();
    }

    List<String> paths() {
        return responses.stream().map(Response::path).toList();
    }

    private static String strip(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    static String pathOf(String href) {
        String raw = URI.create(href.strip()).getRawPath();
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Result<Multistatus, String> parse(String body) {
        Document document;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
        } catch (Exception notXml) {
            return Result.err("the body is not well-formed XML: " + notXml.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!is(root, DAV, "multistatus")) {
            return Result.err("the root element is not DAV:multistatus but " + qname(root));
        }
        List<Response> responses = new ArrayList<>();
        Optional<String> token = Optional.empty();
        for (Element child : children(root)) {
            if (is(child, DAV, "response")) {
                Optional<Response> response = response(child);
                if (response.isEmpty()) {
                    return Result.err("a DAV:response without a DAV:href");
                }
                responses.add(response.get());
            } else if (is(child, DAV, "sync-token")) {
                token = Optional.of(child.getTextContent().strip());
            }
        }
        return Result.ok(new Multistatus(responses, token));
    }

    private static Optional<Response> response(Element response) {
        String href = null;
        Optional<Integer> status = Optional.empty();
        Map<QName, Property> properties = new LinkedHashMap<>();
        for (Element part : children(response)) {
            if (is(part, DAV, "href") && href == null) {
                href = part.getTextContent().strip();
            } else if (is(part, DAV, "status")) {
                status = Optional.of(statusCode(part.getTextContent()));
            } else if (is(part, DAV, "propstat")) {
                int code = children(part).stream().filter(e -> is(e, DAV, "status")).findFirst()
                        .map(e -> statusCode(e.getTextContent())).orElse(0);
                for (Element prop : children(part)) {
                    if (is(prop, DAV, "prop")) {
                        for (Element p : children(prop)) {
                            List<String> hrefs = descendants(p).stream().filter(e -> is(e, DAV, "href"))
                                    .map(e -> e.getTextContent().strip()).toList();
                            properties.put(qname(p), new Property(qname(p), code, p.getTextContent().strip(),
                                    children(p).stream().map(Multistatus::qname).toList(),
                                    descendants(p).stream().map(Multistatus::qname).toList(), hrefs));
                        }
                    }
                }
            }
        }
        return href == null ? Optional.empty() : Optional.of(new Response(href, status, properties));
    }

    /** The code of {@code HTTP/1.1 200 OK}; 0 when unreadable. */
    private static int statusCode(String line) {
        String[] words = line.strip().split("\\s+");
        try {
            return words.length >= 2 ? Integer.parseInt(words[1]) : 0;
        } catch (NumberFormatException unreadable) {
            return 0;
        }
    }

    private static boolean is(Element e, String namespace, String local) {
        return namespace.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    private static QName qname(Element e) {
        return new QName(e.getNamespaceURI() == null ? "" : e.getNamespaceURI(), e.getLocalName());
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> descendants(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Element child : children(parent)) {
            out.add(child);
            out.addAll(descendants(child));
        }
        return out;
    }
}
