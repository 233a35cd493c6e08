package jmirage.caldav.dav;

import java.util.List;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlError;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/**
 * Why the core refused a request: each case is one 4xx (or the 502 of RFC 4918 9.8.5, or a 507 for a server limit) and builds
 * its own response; {@link #describe()} is the line for an operator's log. A handler returns a Refusal instead of an outcome, so a refused request never
 * changes the store and never has a batch ({@link DavCore} answers it with the store it was given).
 */
public sealed interface Refusal {

    String describe();

    HttpResponse response();

    /** Nothing there, or something of another user the requester was not granted (RFC 9110 15.5.5: 404 hides it). */
    record NotFound(String path) implements Refusal {
        public String describe() {
            return "nothing at " + path;
        }

        public HttpResponse response() {
            return HttpResponse.text(404, "Not Found\n");
        }
    }

    /** A header or a body the server cannot read (RFC 4918 8.2: 400 for XML that is not well-formed). */
    record BadRequest(String detail) implements Refusal {
        public String describe() {
            return "bad request: " + detail;
        }

        public HttpResponse response() {
            return HttpResponse.text(400, detail + "\n");
        }
    }

    record BadXml(XmlError error) implements Refusal {
        public String describe() {
            return error.describe();
        }

        public HttpResponse response() {
            return HttpResponse.text(400, error.describe() + "\n");
        }
    }

    /**
     * A precondition or postcondition failed (RFC 4918 16): 403 with
     * {@code <D:error><condition>detail</condition></D:error>}.
     */
    record Condition(Element condition, String why) implements Refusal {
        public String describe() {
            return why + " (" + condition.name().local() + ")";
        }

        public HttpResponse response() {
            return DavResponses.xml(403, Element.of(DavNames.ERROR, condition));
        }
    }

    /** Forbidden without a precondition element of its own: a plain 403 with the reason as text. */
    record Forbidden(String why) implements Refusal {
        public String describe() {
            return why;
        }

        public HttpResponse response() {
            return HttpResponse.text(403, why + "\n");
        }
    }

    /** RFC 9110 15.5.6: the method is not one this resource supports; Allow says which are. */
    record NotAllowed(String method, List<String> allowed) implements Refusal {
        public NotAllowed {
            allowed = List.copyOf(allowed);
        }

        public String describe() {
            return method + " is not allowed here";
        }

        public HttpResponse response() {
            return HttpResponse.text(405, "Method Not Allowed\n").withHeader("Allow", String.join(", ", allowed));
        }
    }

    /** RFC 4918 9.7.1, 9.8.5: a parent collection that does not exist. */
    record Conflict(String why) implements Refusal {
        public String describe() {
            return why;
        }

        public HttpResponse response() {
            return HttpResponse.text(409, why + "\n");
        }
    }

    /** RFC 9110 13.1: If-Match, If-None-Match, or RFC 4918 10.6 Overwrite: F. */
    record PreconditionFailed(String header) implements Refusal {
        public String describe() {
            return header + " does not hold";
        }

        public HttpResponse response() {
            return HttpResponse.text(412, "Precondition Failed: " + header + "\n");
        }
    }

    /** A PUT whose Content-Type is not text/calendar (RFC 4791 5.3.2.1 CALDAV:supported-calendar-data). */
    record UnsupportedMediaType(String contentType) implements Refusal {
        public String describe() {
            return "content type '" + contentType + "' is not text/calendar";
        }

        public HttpResponse response() {
            return DavResponses.xml(415, Element.of(DavNames.ERROR, Element.of(DavNames.SUPPORTED_CALENDAR_DATA)));
        }
    }

    /** A body that is a document with a precondition of its own per property (PROPPATCH, MKCOL, MKCALENDAR). */
    record Rejected(HttpResponse response, String why) implements Refusal {
        public String describe() {
            return why;
        }
    }

    /** RFC 4918 9.3.1, 9.7.1: no room to record the new state under the server's limits (507 Insufficient Storage). */
    record InsufficientStorage(String why) implements Refusal {
        public String describe() {
            return why;
        }

        public HttpResponse response() {
            return HttpResponse.text(507, why + "\n");
        }
    }

    /** RFC 4918 9.8.5, 9.9.4: a Destination on another server. */
    record OtherServer(String destination) implements Refusal {
        public String describe() {
            return "destination " + destination + " is on another server";
        }

        public HttpResponse response() {
            return HttpResponse.text(502, "Destination is on another server\n");
        }
    }
}
