package jmirage.caldav.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jmirage.caldav.dav.Targets;

/**
 * The three requests of issue 15's acceptance on a calendar of generated events, each answer
 * checked against what the generator knows: PROPFIND depth 1 lists the calendar and every event,
 * the month's calendar-query returns exactly the events with an instance in the month (recurrences
 * expanded, exclusions and overrides applied), and a sync-collection from an empty token (RFC 6578
 * 3.2) lists every event. The bodies are the benchmark's own (caldav-unikernel/bench), so the test
 * and {@code scripts/bench-caldav} send the same requests.
 */
final class CalendarAcceptance {

    /** How long each kind took: the median and the slowest of the measured rounds. */
    record Timings(Duration propfindMedian, Duration propfindMax, Duration queryMedian, Duration queryMax,
                   Duration syncMedian, Duration syncMax) {
        String describe() {
            return "PROPFIND depth 1 %d ms (max %d), calendar-query of a month %d ms (max %d), sync-collection from empty %d ms (max %d)"
                    .formatted(propfindMedian.toMillis(), propfindMax.toMillis(), queryMedian.toMillis(), queryMax.toMillis(),
                            syncMedian.toMillis(), syncMax.toMillis());
        }
    }

    private static final Path BODIES = Path.of("bench");

    private CalendarAcceptance() {}

    /**
     * One unmeasured pass (the warm-up), then {@code rounds} measured ones, every answer checked.
     * {@code calendarPath} ends with '/'.
     */
    static Timings run(DavClient client, String calendarPath, List<CalendarGenerator.Event> events, int rounds) {
        String propfind = body("propfind.xml");
        String query = body("query-month.xml");
        String sync = body("sync-initial.xml");
        Set<String> all = events.stream().map(CalendarGenerator.Event::name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inMonth = events.stream().filter(e -> e.overlaps(CalendarGenerator.MONTH_START, CalendarGenerator.MONTH_END))
                .map(CalendarGenerator.Event::name).collect(Collectors.toCollection(TreeSet::new));
        List<Duration> propfinds = new ArrayList<>();
        List<Duration> queries = new ArrayList<>();
        List<Duration> syncs = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            DavClient.Answer listed = client.xml("PROPFIND", calendarPath, "1", propfind);
            assertEquals(207, listed.status(), listed::text);
            List<String> hrefs = listed.hrefs();
            assertEquals(events.size() + 1, hrefs.size(), "PROPFIND depth 1: the calendar and each event once");
            assertSameMembers(all, members(calendarPath, hrefs), "PROPFIND depth 1 lists every event");

            DavClient.Answer month = client.xml("REPORT", calendarPath, "1", query);
            assertEquals(207, month.status(), month::text);
            assertSameMembers(inMonth, members(calendarPath, month.hrefs()), "calendar-query: the events with an instance in the month");

            DavClient.Answer first = client.xml("REPORT", calendarPath, "1", sync);
            assertEquals(207, first.status(), first::text);
            assertSameMembers(all, members(calendarPath, first.hrefs()), "sync-collection from an empty token lists every event");
            if (round > 0) {
                propfinds.add(listed.elapsed());
                queries.add(month.elapsed());
                syncs.add(first.elapsed());
            }
        }
        return new Timings(median(propfinds), max(propfinds), median(queries), max(queries), median(syncs), max(syncs));
    }

    /** Fails naming the missing and the unexpected members (the sets hold thousands). */
    private static void assertSameMembers(Set<String> expected, Set<String> actual, String what) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        assertTrue(missing.isEmpty() && unexpected.isEmpty(), () -> what + ": %d expected, %d answered; missing %s; not expected %s"
                .formatted(expected.size(), actual.size(), missing, unexpected));
    }

    /** The member names in {@code hrefs} (full URLs or paths), the collection's own href left out. */
    private static Set<String> members(String calendarPath, List<String> hrefs) {
        Set<String> names = new TreeSet<>();
        for (String href : hrefs) {
            String path = Targets.pathOfHref(href).orElseThrow(() -> new AssertionError("not an href: " + href));
            if (!path.equals(calendarPath)) {
                assertEquals(calendarPath, path.substring(0, path.lastIndexOf('/') + 1), "a member of the calendar: " + href);
                names.add(path.substring(path.lastIndexOf('/') + 1));
            }
        }
        return names;
    }

    static String body(String file) {
        try {
            return Files.readString(BODIES.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Duration median(List<Duration> times) {
        List<Duration> sorted = times.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static Duration max(List<Duration> times) {
        return times.stream().max(Comparator.naturalOrder()).orElseThrow();
    }
}
