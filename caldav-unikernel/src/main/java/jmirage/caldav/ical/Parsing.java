package jmirage.caldav.ical;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.CalendarParserImpl;
import net.fortuna.ical4j.data.ContentHandlerContext;
import net.fortuna.ical4j.data.DefaultComponentFactorySupplier;
import net.fortuna.ical4j.data.DefaultParameterFactorySupplier;
import net.fortuna.ical4j.data.DefaultPropertyFactorySupplier;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ComponentFactory;
import net.fortuna.ical4j.model.ParameterFactory;
import net.fortuna.ical4j.model.PropertyFactory;

/**
 * iCalendar text to ical4j's model, with a bounded cache of parsed objects (a few kilobytes each)
 * keyed by the stored bytes (equal content, equal parse), so that a calendar-query over thousands
 * of resources does not parse the same objects again. Cached calendars are shared: callers never mutate them (they
 * build their output beside them). The lenient settings real clients need live in
 * {@code ical4j.properties} (relaxed unfolding and parsing; no time zone update from the network).
 */
final class Parsing {

    /** Enough for the objects of a month's query and the recurring ones of a large calendar. */
    static final int CACHE_ENTRIES = 8192;

    /**
     * The source bytes the cache may hold: 8,192 entries of a typical kilobyte, but only a few of the
     * 1 MB objects a client may PUT (tens of thousands of RDATEs each, a parse many times that size):
     * a bound on entries alone let a user's queries fill memory with their largest objects.
     */
    static final long CACHE_BYTES = 16L * 1024 * 1024;

    /** Least recently used first (access order); guarded by itself. */
    private static final LinkedHashMap<Bytes, Calendar> CACHE = new LinkedHashMap<>(256, 0.75f, true);
    private static long cachedBytes;

    // ical4j's default context builds its factory lists anew for every parse, which costs more than
    // the parse of a small object; the factories are stateless, so one list of each serves all parses.
    private static final List<ParameterFactory<?>> PARAMETERS = List.copyOf(new DefaultParameterFactorySupplier().get());
    private static final List<PropertyFactory<?>> PROPERTIES = List.copyOf(new DefaultPropertyFactorySupplier().get());
    private static final List<ComponentFactory<?>> COMPONENTS = List.copyOf(new DefaultComponentFactorySupplier().get());
    private static final ContentHandlerContext CONTEXT = new ContentHandlerContext()
            .withParameterFactorySupplier(() -> PARAMETERS)
            .withPropertyFactorySupplier(() -> PROPERTIES)
            .withComponentFactorySupplier(() -> COMPONENTS);

    private Parsing() {}

    /** The source bytes the cache holds now, at most {@link #CACHE_BYTES}. */
    static long cachedBytes() {
        synchronized (CACHE) {
            return cachedBytes;
        }
    }

    /**
     * A parse of stored (hence once validated) bytes for evaluating queries, from the cache when it
     * holds them. VTIMEZONEs of zones the JDK knows are left out before parsing (their TZIDs resolve
     * to the JDK's rules anyway, see {@link ZoneRegistry}): building them is most of the cost of
     * parsing a small event. Not for output that keeps VTIMEZONEs: use {@link #parse} for that.
     */
    static Result<Calendar, IcalError> forQuery(Bytes stored) {
        synchronized (CACHE) {
            Calendar hit = CACHE.get(stored);
            if (hit != null) {
                return Result.ok(hit);
            }
        }
        Result<Calendar, IcalError> parsed = parse(withoutKnownZones(stored.toUtf8()));
        if (parsed instanceof Result.Ok<Calendar, IcalError>(Calendar calendar)) {
            synchronized (CACHE) {
                if (stored.size() <= CACHE_BYTES && CACHE.put(stored, calendar) == null) {
                    cachedBytes += stored.size();
                }
                var eldest = CACHE.entrySet().iterator();
                while (cachedBytes > CACHE_BYTES || CACHE.size() > CACHE_ENTRIES) {
                    cachedBytes -= eldest.next().getKey().size();
                    eldest.remove();
                }
            }
        }
        return parsed;
    }

    /** The text without the VTIMEZONE blocks whose TZID the JDK knows (a block whose TZID is not found stays). */
    static String withoutKnownZones(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        while (true) {
            int begin = indexOfLine(text, "BEGIN:VTIMEZONE", at);
            if (begin < 0) {
                break;
            }
            int end = indexOfLine(text, "END:VTIMEZONE", begin);
            if (end < 0) {
                break;
            }
            int after = text.indexOf('\n', end);
            after = after < 0 ? text.length() : after + 1;
            String block = text.substring(begin, after);
            out.append(text, at, begin);
            if (tzid(block).flatMap(ZoneRegistry::known).isEmpty()) {
                out.append(block);
            }
            at = after;
        }
        return out.append(text, at, text.length()).toString();
    }

    private static int indexOfLine(String text, String line, int from) {
        int i = from;
        while (true) {
            int hit = text.regionMatches(true, i, line, 0, line.length()) && (i == 0 || text.charAt(i - 1) == '\n') ? i : -1;
            if (hit >= 0) {
                return hit;
            }
            int nl = text.indexOf('\n', i);
            if (nl < 0) {
                return -1;
            }
            i = nl + 1;
        }
    }

    private static java.util.Optional<String> tzid(String block) {
        int i = indexOfLine(block, "TZID:", 0);
        if (i < 0) {
            return java.util.Optional.empty();
        }
        int nl = block.indexOf('\n', i);
        return java.util.Optional.of(block.substring(i + 5, nl < 0 ? block.length() : nl).strip());
    }

    /** RFC 5545 3.4 and 3.6: a VCALENDAR stream, parsed; every failure of ical4j is InvalidData. */
    static Result<Calendar, IcalError> parse(Bytes body) {
        return parse(body.toUtf8());
    }

    private static Result<Calendar, IcalError> parse(String text) {
        if (text.isBlank()) {
            return Result.err(new IcalError.InvalidData("empty body"));
        }
        try {
            return Result.ok(new CalendarBuilder(new CalendarParserImpl(), CONTEXT, new ZoneRegistry()).build(new StringReader(text)));
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
