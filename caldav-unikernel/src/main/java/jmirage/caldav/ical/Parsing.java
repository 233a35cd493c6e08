package jmirage.caldav.ical;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;

/**
 * iCalendar text to ical4j's model, with a bounded cache of parsed objects keyed by the stored
 * bytes (equal content, equal parse), so that a calendar-query over thousands of resources does
 * not parse the same objects again. Cached calendars are shared: callers never mutate them (they
 * {@code copy()} what they change). The lenient settings real clients need live in
 * {@code ical4j.properties} (relaxed unfolding and parsing; no time zone update from the network).
 */
final class Parsing {

    /** Enough for the objects of a month's query and the recurring ones of a large calendar. */
    static final int CACHE_ENTRIES = 4096;

    private static final Map<Bytes, Calendar> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, Calendar> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private Parsing() {}

    /** A parse of stored (hence once validated) bytes, from the cache when it holds them. */
    static Result<Calendar, IcalError> cached(Bytes stored) {
        synchronized (CACHE) {
            Calendar hit = CACHE.get(stored);
            if (hit != null) {
                return Result.ok(hit);
            }
        }
        Result<Calendar, IcalError> parsed = parse(stored);
        if (parsed instanceof Result.Ok<Calendar, IcalError>(Calendar calendar)) {
            synchronized (CACHE) {
                CACHE.put(stored, calendar);
            }
        }
        return parsed;
    }

    /** RFC 5545 3.4 and 3.6: a VCALENDAR stream, parsed; every failure of ical4j is InvalidData. */
    static Result<Calendar, IcalError> parse(Bytes body) {
        String text = body.toUtf8();
        if (text.isBlank()) {
            return Result.err(new IcalError.InvalidData("empty body"));
        }
        try {
            return Result.ok(new CalendarBuilder().build(new StringReader(text)));
        } catch (ParserException e) {
            return Result.err(new IcalError.InvalidData("line " + e.getLineNo() + ": " + firstLine(e)));
        } catch (IOException | RuntimeException e) {
            // ical4j throws unchecked exceptions (DateTimeParseException, IllegalArgumentException...)
            // for values it cannot read: for a client's body they are invalid data, not a bug here.
            return Result.err(new IcalError.InvalidData(firstLine(e)));
        }
    }

    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
