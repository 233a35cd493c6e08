package jmirage.caldav.dav;

import java.util.List;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlWriter;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/** The shapes of DAV responses that every method uses. */
public final class DavResponses {

    public static final String XML = "application/xml; charset=utf-8";

    private DavResponses() {}

    /** An XML body with the status. */
    public static HttpResponse xml(int status, Element root) {
        return HttpResponse.of(status, Headers.of("Content-Type", XML), XmlWriter.document(root));
    }

    /** 207 with the given DAV:response elements (RFC 4918 13). */
    public static HttpResponse multistatus(List<Element> responses) {
        return xml(207, Element.of(DavNames.MULTISTATUS, responses));
    }

    /**
     * A failed precondition or postcondition (RFC 4918 16): {@code <D:error><condition/></D:error>}
     * with a human description in a comment-free {@code responsedescription}-like text for logs.
     */
    public static HttpResponse condition(int status, XmlName condition) {
        return xml(status, Element.of(DavNames.ERROR, Element.of(condition)));
    }

    /** The characters of text an element holds, all levels down: what its answer costs, before it is written. */
    public static long textSize(Element element) {
        long size = element.name().local().length();
        for (jmirage.caldav.xml.Node child : element.children()) {
            size += switch (child) {
                case Element e -> textSize(e);
                case jmirage.caldav.xml.Text t -> t.text().length();
            };
        }
        return size;
    }

    /** "HTTP/1.1 200 OK" and the like, for DAV:status. */
    public static String statusLine(int status) {
        return "HTTP/1.1 " + status + " " + reason(status);
    }

    public static Element status(int status) {
        return Element.text(DavNames.STATUS, statusLine(status));
    }

    public static Element href(String href) {
        return Element.text(DavNames.HREF, href);
    }

    /**
     * One DAV:propstat (RFC 4918 14.22): the named properties (empty elements, as a PROPPATCH answer
     * lists them), their status, and the error naming the condition that failed, if any.
     */
    public static Element propstat(List<XmlName> names, int status, java.util.Optional<Element> error) {
        Element propstat = Element.of(DavNames.PROPSTAT,
                Element.of(DavNames.PROP, names.stream().map(n -> Element.of(n)).toList()), status(status));
        return error.map(e -> propstat.withChild(Element.of(DavNames.ERROR, e))).orElse(propstat);
    }

    public static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 207 -> "Multi-Status";
            case 301 -> "Moved Permanently";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 424 -> "Failed Dependency";
            case 507 -> "Insufficient Storage";
            default -> "Status " + status;
        };
    }
}
