package jmirage.caldav.security;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.dav.DavRequest;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import jmirage.http.Headers;

/**
 * Arbitrary REPORT and PROPFIND bodies by bob, on his own calendar (holding a weekly endless event),
 * on alice's shared calendar and on one he was not granted: no exception escapes, no 5xx but the 507
 * of a bound, nothing is ever committed, and alice's secret never appears in an answer. The first
 * input byte picks the path and the Depth, the rest is the body.
 */
class ReportBodiesFuzzTest {

    private static final String SECRET = "SECRET-ALICE";
    private static final Store STORE = withWeekly(Attack.store());
    private static final List<String> PATHS = List.of("/calendars/bob/personal/", "/calendars/bob/work@alice/",
            "/calendars/bob/secret@alice/", "/calendars/bob/", "/calendars/bob/personal/weekly.ics");

    private static Store withWeekly(Store store) {
        return Attack.ok(store, Attack.put("bob", "/calendars/bob/personal/weekly.ics", Bytes.utf8(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\nBEGIN:VEVENT\r\nUID:uid-weekly\r\n"
                        + "DTSTAMP:20260101T000000Z\r\nDTSTART:20000103T090000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\n"
                        + "SUMMARY:weekly\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")));
    }

    @FuzzTest(maxDuration = "20s")
    void anyReportBodyIsAnsweredWithoutLeakOrChange(FuzzedDataProvider data) {
        int pick = data.consumeInt(0, 2 * PATHS.size() - 1);
        String method = data.consumeBoolean() ? "REPORT" : "PROPFIND";
        Bytes body = Bytes.of(data.consumeRemainingAsBytes());
        DavRequest request = new DavRequest(method, PATHS.get(pick % PATHS.size()), Headers.of("Depth", pick < PATHS.size() ? "0" : "1"),
                body, "bob", Attack.NOW);
        DavOutcome outcome = Attack.CORE.handle(STORE, request);
        int status = outcome.response().status();
        assertTrue(status < 500 || status == 507, () -> "status " + status + " for " + method + " " + request.path());
        assertSame(STORE, outcome.store());
        assertTrue(outcome.batch().isEmpty());
        // an answer may echo the body (an error naming what it could not read); only what the body did not hold is a leak
        assertTrue(!outcome.response().bytes().toUtf8().contains(SECRET) || body.toUtf8().contains(SECRET),
                () -> method + " " + request.path() + " leaks");
    }
}
