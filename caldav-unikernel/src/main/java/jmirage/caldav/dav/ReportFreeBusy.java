package jmirage.caldav.dav;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.ical.Filters;
import jmirage.caldav.ical.ICalendars;
import jmirage.caldav.store.Resource;
import jmirage.caldav.xml.DavNames;
import jmirage.caldav.xml.Element;
import jmirage.core.Result;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/**
 * CALDAV:free-busy-query (RFC 4791 7.10): the busy time of a calendar in a range, as a VCALENDAR
 * with one VFREEBUSY. Any user who may read the calendar may ask (read includes read-free-busy,
 * RFC 4791 6.1.1).
 */
final class ReportFreeBusy {

    private static final DateTimeFormatter UTC_DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private ReportFreeBusy() {}

    static HttpResponse handle(DavRequest request, PropertiesSubject.Calendar calendar, Element body) {
        Optional<Element> rangeElement = body.element(DavNames.TIME_RANGE);
        if (rangeElement.isEmpty()) {
            return HttpResponse.text(400, "a free-busy-query holds a CALDAV:time-range");
        }
        Result<Filters.TimeRange, String> range = timeRange(rangeElement.get());
        if (range instanceof Result.Err<Filters.TimeRange, String>(String why)) {
            return HttpResponse.text(400, why);
        }
        Filters.TimeRange r = range.orElseThrow();
        List<jmirage.core.Bytes> busy = new ArrayList<>();
        for (Resource resource : calendar.collection().members().values()) {
            // RFC 4791 7.10: VEVENT components make busy time (VFREEBUSY, VAVAILABILITY are not stored here)
            if (resource.index().kind() == ComponentKind.VEVENT && resource.index().mayOverlap(r.start(), r.end())) {
                busy.add(resource.data());
            }
        }
        jmirage.core.Bytes answer = ICalendars.freeBusy(busy, r, Properties.floatingZone(calendar.collection()), request.now());
        return HttpResponse.of(200, Headers.of("Content-Type", "text/calendar; charset=utf-8"), answer);
    }

    /** A CALDAV:time-range (RFC 4791 9.9): UTC date-times, at least one of start and end, start before end. */
    static Result<Filters.TimeRange, String> timeRange(Element element) {
        Result<Optional<Instant>, String> start = instant(element.attribute("start"));
        Result<Optional<Instant>, String> end = instant(element.attribute("end"));
        if (start instanceof Result.Err<Optional<Instant>, String>(String why)) {
            return Result.err(why);
        }
        if (end instanceof Result.Err<Optional<Instant>, String>(String why)) {
            return Result.err(why);
        }
        Optional<Instant> s = start.orElseThrow();
        Optional<Instant> e = end.orElseThrow();
        if (s.isEmpty() && e.isEmpty()) {
            return Result.err("a time-range has a start or an end");
        }
        if (s.isPresent() && e.isPresent() && !s.get().isBefore(e.get())) {
            return Result.err("a time-range starts before it ends");
        }
        return Result.ok(new Filters.TimeRange(s, e));
    }

    private static Result<Optional<Instant>, String> instant(Optional<String> text) {
        if (text.isEmpty()) {
            return Result.ok(Optional.empty());
        }
        try {
            return Result.ok(Optional.of(LocalDateTime.parse(text.get().strip(), UTC_DATE_TIME).toInstant(ZoneOffset.UTC)));
        } catch (DateTimeParseException e) {
            return Result.err("not a UTC date-time (YYYYMMDDTHHMMSSZ): " + text.get());
        }
    }
}
