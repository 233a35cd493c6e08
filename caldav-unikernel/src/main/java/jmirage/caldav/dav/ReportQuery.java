package jmirage.caldav.dav;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.ical.Filters;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.ical.IcalError;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;
import jmirage.http.HttpResponse;

/**
 * CALDAV:calendar-query (RFC 4791 7.8): the calendar object resources of a calendar (Depth: 1) or
 * one object (Depth: 0 on it) that match a filter, with the properties asked for.
 */
final class ReportQuery {

    /**
     * The text one answer may hold. An expand over a millennium makes up to 20,000 instances of each
     * endless rule (Occurrences.MAX_INSTANCES), a few megabytes per object: past this bound the list
     * is cut as for too many members, so a query's memory stays bounded whatever the calendar holds.
     */
    static final long MAX_ANSWER_CHARS = 32_000_000;

    private ReportQuery() {}

    static HttpResponse handle(Store store, DavRequest request, PropertiesSubject subject, Element body, DavConfig config) {
        Optional<PropertiesRequest.Depth> depth = PropertiesRequest.depth(request.headers(), PropertiesRequest.Depth.ZERO);
        if (depth.isEmpty()) {
            return HttpResponse.text(400, "Depth must be 0, 1 or infinity");
        }
        Optional<Element> filterElement = body.element(DavNames.FILTER);
        if (filterElement.isEmpty()) {
            // RFC 4791 9.7: exactly one filter
            return DavResponses.condition(403, DavNames.VALID_FILTER);
        }
        Result<Filters.CompFilter, IcalError> parsed = ICalendars.parseFilter(filterElement.get());
        if (parsed instanceof Result.Err<Filters.CompFilter, IcalError>(IcalError error)) {
            return Reports.refusal(error);
        }
        Filters.CompFilter filter = parsed.orElseThrow();
        Result<Reports.Asked, HttpResponse> asked = Reports.asked(body, request.user(), config,
                new PropertiesRequest.Named(List.of(Element.of(DavNames.GETETAG))));
        if (asked instanceof Result.Err<Reports.Asked, HttpResponse>(HttpResponse refusal)) {
            return refusal;
        }
        Reports.Asked what = asked.orElseThrow();
        List<PropertiesSubject> candidates = switch (subject) {
            case PropertiesSubject.Object o -> List.of(o);
            case PropertiesSubject.Calendar c -> depth.get() == PropertiesRequest.Depth.ZERO
                    ? List.of() : PropertiesSubject.members(store, request.user(), c);
            default -> List.of();
        };
        int limit = Math.min(Reports.limit(body).orElse(Integer.MAX_VALUE), config.maxReportResults());
        List<Element> responses = new ArrayList<>();
        boolean truncated = false;
        long text = 0;
        for (PropertiesSubject candidate : candidates) {
            if (!(candidate instanceof PropertiesSubject.Object o) || !matches(o, filter)) {
                continue;
            }
            if (responses.size() == limit) {
                truncated = true;
                break;
            }
            Element response = PropertiesResponse.of(what.context(), o, what.properties());
            text += DavResponses.textSize(response);
            if (text > MAX_ANSWER_CHARS) {
                truncated = true;
                break;
            }
            responses.add(response);
        }
        if (truncated) {
            // RFC 5323 5.17 (as RFC 4918 leaves it): the request-URI with 507 says the list was cut
            responses.add(PropertiesResponse.status(subject.href(), 507));
        }
        return DavResponses.multistatus(responses);
    }

    private static boolean matches(PropertiesSubject.Object o, Filters.CompFilter filter) {
        Resource resource = o.resource();
        ZoneId zone = Properties.floatingZone(o.calendar().collection());
        // ICalendars.matches rules out most objects from their index before parsing any
        return ICalendars.matches(resource.data(), resource.index(), filter, zone);
    }
}
