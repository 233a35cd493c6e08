package jmirage.caldav.dav;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Resource;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;
import jmirage.http.HttpResponse;

/**
 * DAV:sync-collection (RFC 6578 3) on a calendar: from an empty token every member; from a token
 * this server handed out, the members changed since (with the properties asked for) and those
 * deleted (a response with status 404, RFC 6578 3.5.2); the answer ends with the new token.
 */
final class ReportSync {

    private ReportSync() {}

    static HttpResponse handle(DavRequest request, PropertiesSubject.Calendar calendar, Element body, DavConfig config) {
        Optional<PropertiesRequest.Depth> depth = PropertiesRequest.depth(request.headers(), PropertiesRequest.Depth.ZERO);
        // RFC 6578 3.2 asks for Depth: 0; Depth: 1 is accepted too as some clients send it
        if (depth.isEmpty() || depth.get() == PropertiesRequest.Depth.INFINITY) {
            return HttpResponse.text(400, "a sync-collection is sent with Depth: 0");
        }
        String level = body.element(DavNames.SYNC_LEVEL).map(e -> e.text().strip()).orElse("1");
        // RFC 6578 3.3: "infinite" also reports members of child collections; a calendar has none,
        // so both levels give the same answer
        if (!level.equals("1") && !level.equals("infinite")) {
            return HttpResponse.text(400, "sync-level is 1 or infinite");
        }
        Result<Reports.Asked, HttpResponse> asked = Reports.asked(body, request.user(), config,
                new PropertiesRequest.Named(List.of(Element.of(DavNames.GETETAG))));
        if (asked instanceof Result.Err<Reports.Asked, HttpResponse>(HttpResponse refusal)) {
            return refusal;
        }
        Reports.Asked what = asked.orElseThrow();
        Collection collection = calendar.collection();
        String token = body.element(DavNames.SYNC_TOKEN).map(e -> e.text().strip()).orElse("");
        List<Element> responses = new ArrayList<>();
        if (token.isEmpty()) {
            for (Resource resource : collection.members().values()) {
                responses.add(member(what, calendar, resource));
            }
        } else {
            Optional<Set<String>> changed = collection.sync().changedSince(token);
            if (changed.isEmpty()) {
                // RFC 6578 3.2: a token the server does not know (or no longer keeps history for)
                return DavResponses.condition(403, DavNames.VALID_SYNC_TOKEN);
            }
            for (String name : changed.get().stream().sorted().toList()) {
                Resource resource = collection.members().get(name);
                responses.add(resource != null
                        ? member(what, calendar, resource)
                        : PropertiesResponse.status(Targets.objectHref(calendar.target(), name), 404));
            }
        }
        Optional<Integer> limit = Reports.limit(body);
        if (limit.isPresent() && responses.size() > limit.get()) {
            // RFC 6578 3.6 (RFC 5323 5.17): a limit the server does not honour by paging gets 507
            return DavResponses.condition(507, DavNames.dav("number-of-matches-within-limits"));
        }
        responses.add(Element.text(DavNames.SYNC_TOKEN, collection.sync().token()));
        return DavResponses.xml(207, Element.of(DavNames.MULTISTATUS, responses));
    }

    private static Element member(Reports.Asked what, PropertiesSubject.Calendar calendar, Resource resource) {
        PropertiesSubject.Object object = new PropertiesSubject.Object(Targets.objectHref(calendar.target(), resource.name()),
                calendar, resource);
        return PropertiesResponse.of(what.context(), object, what.properties());
    }
}
