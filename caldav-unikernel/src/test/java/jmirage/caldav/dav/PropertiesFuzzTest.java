package jmirage.caldav.dav;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import jmirage.caldav.store.Store;
import jmirage.caldav.xml.XmlReader;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import jmirage.http.HttpResponse;

/**
 * Arbitrary PROPFIND and REPORT bodies, on any of the fixture's resources, with any Depth: the
 * answer is never a 5xx other than the 507 of a limit, no exception escapes, and a 207 is XML
 * that reads back. The input's first byte picks the path, the second the method and Depth, the
 * rest is the body (so saved inputs are readable).
 */
class PropertiesFuzzTest {

    private static final Store STORE = PropertiesFixture.store();
    private static final List<String> PATHS = List.of("/", "/principals/", "/principals/alice/", "/principals/bob/",
            "/calendars/", "/calendars/alice/", "/calendars/alice/work/", "/calendars/alice/work/standup.ics",
            "/calendars/bob/work@alice/", "/calendars/bob/", "/calendars/alice/private/dentist.ics");
    private static final List<String> DEPTHS = List.of("0", "1", "infinity", "");

    @FuzzTest(maxDuration = "20s")
    void anyBodyGetsAnAnswerThatIsNotAServerError(FuzzedDataProvider data) {
        byte[] input = data.consumeRemainingAsBytes();
        String path = PATHS.get(input.length > 0 ? (input[0] & 0xff) % PATHS.size() : 0);
        int choice = input.length > 1 ? input[1] & 0xff : 0;
        boolean report = (choice & 1) == 1;
        String depth = DEPTHS.get((choice >> 1) % DEPTHS.size());
        Bytes body = input.length > 2 ? Bytes.of(input, 2, input.length - 2) : Bytes.EMPTY;
        Headers headers = depth.isEmpty() ? Headers.EMPTY : Headers.of("Depth", depth);
        DavRequest request = new DavRequest(report ? "REPORT" : "PROPFIND", path, headers, body, "bob", PropertiesFixture.NOW);
        Target target = Targets.resolve(path, "bob").orElseThrow();
        HttpResponse response = report
                ? Reports.handle(STORE, request, target, DavConfig.defaults())
                : Propfind.handle(STORE, request, target, DavConfig.defaults());
        assertTrue(response.status() < 500 || response.status() == 507, () -> "status " + response.status());
        if (response.status() == 207) {
            assertTrue(XmlReader.parse(response.bytes()).isOk(), "a multistatus reads back");
        }
    }
}
