package jmirage.caldav.dav;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import jmirage.http.Headers;

/**
 * Arbitrary bodies and headers for the methods that write (PUT, PROPPATCH, MKCALENDAR, MKCOL,
 * COPY, MOVE, DELETE) on any of the fixture's resources: no exception escapes, the answer is never
 * a 5xx (a COPY or MOVE gets no 502: the Destination carries no other host), and a refusal leaves
 * the store as it was. The input's first byte picks the method, the second the path; for COPY and
 * MOVE the rest is the Destination header, for the others the body (so saved inputs are readable).
 */
class DavWritesFuzzTest {

    private static final Store STORE = DavFixture.store();
    private static final List<String> METHODS = List.of("PUT", "PROPPATCH", "MKCALENDAR", "MKCOL", "COPY", "MOVE", "DELETE", "GET");
    private static final List<String> PATHS = List.of("/calendars/alice/work/meeting.ics", "/calendars/alice/work/new.ics",
            "/calendars/alice/work/", "/calendars/alice/new/", "/calendars/bob/work@alice/x.ics", "/calendars/carol/family@alice/",
            "/calendars/alice/", "/", "/calendars/bob/personal/dentist.ics");

    @FuzzTest(maxDuration = "20s")
    void anyBodyOrDestinationGetsAnAnswerAndARefusalChangesNothing(FuzzedDataProvider data) {
        byte[] input = data.consumeRemainingAsBytes();
        String method = METHODS.get(input.length > 0 ? (input[0] & 0xff) % METHODS.size() : 0);
        String path = PATHS.get(input.length > 1 ? (input[1] & 0xff) % PATHS.size() : 0);
        Bytes rest = input.length > 2 ? Bytes.of(input, 2, input.length - 2) : Bytes.EMPTY;
        boolean copyOrMove = method.equals("COPY") || method.equals("MOVE");
        // Header values are text without line breaks, as the HTTP codec hands them over.
        String destination = new String(rest.toArray(), StandardCharsets.ISO_8859_1).replaceAll("[\\r\\n]", "").replaceAll("/{2,}", "/");
        Headers headers = copyOrMove ? Headers.of("Destination", destination, "Host", "cal.example")
                : Headers.of("Content-Type", "text/calendar");
        DavRequest request = new DavRequest(method, path, headers, copyOrMove ? Bytes.EMPTY : rest, "alice", DavFixture.NOW);
        DavOutcome outcome = DavFixture.CORE.handle(STORE, request);
        int status = outcome.response().status();
        assertTrue(status < 500, () -> "status " + status + " for " + method + " " + path);
        if (status >= 400) {
            assertSame(STORE, outcome.store());
            assertTrue(outcome.batch().isEmpty());
        }
    }
}
