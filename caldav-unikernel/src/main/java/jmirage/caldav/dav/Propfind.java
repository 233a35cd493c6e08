package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.ical.CalendarDataRequest;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlError;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Result;
import jmirage.http.HttpResponse;

/** PROPFIND (RFC 4918 9.1) and every property's value (live, CalDAV, CalendarServer, dead). */
public final class Propfind {

    private Propfind() {}

    public static HttpResponse handle(Store store, DavRequest request, Target target, DavConfig config) {
        Optional<PropertiesRequest.Depth> depth = PropertiesRequest.depth(request.headers(), PropertiesRequest.Depth.INFINITY);
        if (depth.isEmpty()) {
            return HttpResponse.text(400, "Depth must be 0, 1 or infinity");
        }
        if (depth.get() == PropertiesRequest.Depth.INFINITY) {
            // RFC 4918 9.1: a server may refuse Depth: infinity (and a missing Depth means infinity)
            return DavResponses.condition(403, DavNames.PROPFIND_FINITE_DEPTH);
        }
        Result<PropertiesRequest, String> asked = properties(request);
        if (asked instanceof Result.Err<PropertiesRequest, String>(String why)) {
            return HttpResponse.text(400, why);
        }
        PropertiesRequest properties = asked.orElseThrow();
        Optional<PropertiesSubject> subject = PropertiesSubject.resolve(store, request.user(), target);
        if (subject.isEmpty()) {
            return HttpResponse.text(404, "not found");
        }
        Properties.Context context = new Properties.Context(request.user(), config, CalendarDataRequest.WHOLE);
        List<Element> responses = new ArrayList<>();
        responses.add(PropertiesResponse.of(context, subject.get(), properties));
        if (depth.get() == PropertiesRequest.Depth.ONE) {
            for (PropertiesSubject member : PropertiesSubject.members(store, request.user(), subject.get())) {
                responses.add(PropertiesResponse.of(context, member, properties));
            }
        }
        return DavResponses.multistatus(responses);
    }

    /** The request, unless it names more properties than {@link PropertiesRequest#MAX_NAMED}. */
    static Result<PropertiesRequest, String> bounded(PropertiesRequest request) {
        int named = switch (request) {
            case PropertiesRequest.Named n -> n.elements().size();
            case PropertiesRequest.All a -> a.include().size();
            case PropertiesRequest.Names n -> 0;
        };
        return named > PropertiesRequest.MAX_NAMED
                ? Result.err(named + " properties asked; at most " + PropertiesRequest.MAX_NAMED + " in one request")
                : Result.ok(request);
    }

    /** The body's request; an empty body is allprop (RFC 4918 9.1). */
    private static Result<PropertiesRequest, String> properties(DavRequest request) {
        if (request.body().isEmpty() || request.body().toUtf8().isBlank()) {
            return Result.ok(new PropertiesRequest.All(List.of()));
        }
        Result<Element, XmlError> parsed = XmlReader.parse(request.body());
        return switch (parsed) {
            case Result.Err<Element, XmlError>(XmlError error) -> Result.err(error.describe());
            case Result.Ok<Element, XmlError>(Element body) -> !body.name().equals(DavNames.PROPFIND)
                    ? Result.err("the body of a PROPFIND is a DAV:propfind element")
                    : PropertiesRequest.of(body).<Result<PropertiesRequest, String>>map(Propfind::bounded)
                            .orElseGet(() -> Result.err("a DAV:propfind holds prop, allprop or propname"));
        };
    }
}
