package jmirage.caldav.dav;

import java.util.Optional;
import jmirage.caldav.ical.CalendarDataRequest;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.ical.IcalError;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.caldav.xml.XmlError;
import jmirage.caldav.xml.XmlName;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Result;
import jmirage.http.HttpResponse;

/**
 * REPORT: calendar-query, calendar-multiget, free-busy-query (RFC 4791 7), sync-collection
 * (RFC 6578), expand-property (RFC 3253 3.8), and a 403 supported-report for any other.
 */
public final class Reports {

    private Reports() {}

    public static HttpResponse handle(Store store, DavRequest request, Target target, DavConfig config) {
        Result<Element, XmlError> parsed = XmlReader.parse(request.body());
        if (parsed instanceof Result.Err<Element, XmlError>(XmlError error)) {
            return HttpResponse.text(400, error.describe());
        }
        Element body = parsed.orElseThrow();
        Optional<PropertiesSubject> subject = PropertiesSubject.resolve(store, request.user(), target);
        if (subject.isEmpty()) {
            return HttpResponse.text(404, "not found");
        }
        XmlName report = body.name();
        boolean calendar = subject.get() instanceof PropertiesSubject.Calendar;
        boolean object = subject.get() instanceof PropertiesSubject.Object;
        boolean home = subject.get() instanceof PropertiesSubject.Home;
        // RFC 3253 3.6: a report the resource does not support is refused with DAV:supported-report
        if (report.equals(DavNames.CALENDAR_QUERY) && (calendar || object)) {
            return ReportQuery.handle(store, request, subject.get(), body, config);
        }
        if (report.equals(DavNames.CALENDAR_MULTIGET) && (calendar || home)) {
            return ReportMultiget.handle(store, request, body, config);
        }
        if (report.equals(DavNames.FREE_BUSY_QUERY) && calendar) {
            return ReportFreeBusy.handle(request, (PropertiesSubject.Calendar) subject.get(), body);
        }
        if (report.equals(DavNames.SYNC_COLLECTION) && calendar) {
            return ReportSync.handle(request, (PropertiesSubject.Calendar) subject.get(), body, config);
        }
        if (report.equals(DavNames.SYNC_COLLECTION) && home) {
            return ReportSync.handle(request, store, (PropertiesSubject.Home) subject.get(), body, config);
        }
        if (report.equals(DavNames.dav("expand-property"))) {
            return ReportExpandProperty.handle(store, request, subject.get(), body, config);
        }
        return DavResponses.condition(403, DavNames.SUPPORTED_REPORT);
    }

    /**
     * The properties a REPORT asks for (its DAV:prop, allprop or propname; {@code absent} when it
     * names none) and how calendar-data is to be shaped, or the response refusing them.
     */
    static Result<Asked, HttpResponse> asked(Element body, String user, DavConfig config, PropertiesRequest absent) {
        Result<PropertiesRequest, String> bounded = Propfind.bounded(PropertiesRequest.of(body).orElse(absent));
        if (bounded instanceof Result.Err<PropertiesRequest, String>(String why)) {
            return Result.err(HttpResponse.text(400, why));
        }
        PropertiesRequest properties = bounded.orElseThrow();
        CalendarDataRequest calendarData = CalendarDataRequest.WHOLE;
        if (properties instanceof PropertiesRequest.Named named) {
            for (Element e : named.elements()) {
                if (e.name().equals(DavNames.CALENDAR_DATA) && !whole(e)) {
                    Result<CalendarDataRequest, IcalError> shaped = ICalendars.parseCalendarData(e);
                    if (shaped instanceof Result.Err<CalendarDataRequest, IcalError>(IcalError error)) {
                        return Result.err(refusal(error));
                    }
                    calendarData = shaped.orElseThrow();
                }
            }
        }
        return Result.ok(new Asked(properties, new Properties.Context(user, config, calendarData)));
    }

    record Asked(PropertiesRequest properties, Properties.Context context) {}

    /** A bare {@code <C:calendar-data/>} (content-type and version aside): the object as stored. */
    private static boolean whole(Element calendarData) {
        return calendarData.isEmpty() && calendarData.attributes().keySet().stream()
                .allMatch(a -> a.local().equals("content-type") || a.local().equals("version"));
    }

    /** An iCalendar-side refusal: the CalDAV precondition it names, with 403 (RFC 4791 7.8, 9.6). */
    static HttpResponse refusal(IcalError error) {
        return DavResponses.condition(403, DavNames.caldav(error.precondition()));
    }

    /** DAV:limit/DAV:nresults (RFC 5323 5.17) when present and a positive number. */
    static Optional<Integer> limit(Element body) {
        return body.element(DavNames.LIMIT).flatMap(l -> l.element(DavNames.NRESULTS)).flatMap(n -> {
            try {
                int value = Integer.parseInt(n.text().strip());
                return value > 0 ? Optional.of(value) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
