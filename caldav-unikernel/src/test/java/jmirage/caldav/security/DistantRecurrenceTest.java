package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.body;
import static jmirage.caldav.security.Attack.ok;
import static jmirage.caldav.security.Attack.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A rule that began long before the range asked for is expanded in the range quickly and exactly:
 * the instances an expand returns are those of the rule counted from its DTSTART (expected values
 * computed independently, in the proleptic Gregorian calendar).
 */
class DistantRecurrenceTest {

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(delimiter = '|', value = {
            "FREQ=WEEKLY                 | 19700105T090000Z | 21000101T000000Z | 21000108T000000Z | 21000104T090000Z",
            "FREQ=DAILY;INTERVAL=3       | 10000101T120000Z | 20260301T000000Z | 20260308T000000Z | 20260302T120000Z 20260305T120000Z",
            "FREQ=MONTHLY                | 19000131T080000Z | 21000101T000000Z | 21000401T000000Z | 21000131T080000Z 21000331T080000Z",
            "FREQ=YEARLY;BYWEEKNO=20     | 19700511T100000Z | 21010101T000000Z | 21020101T000000Z | 21010516T100000Z",
            "FREQ=SECONDLY;INTERVAL=600  | 19700101T000000Z | 20260101T000000Z | 20260101T010000Z | 20260101T000000Z 20260101T001000Z 20260101T002000Z 20260101T003000Z 20260101T004000Z 20260101T005000Z",
            "FREQ=MINUTELY;INTERVAL=45   | 19700101T000000Z | 20260101T000000Z | 20260101T020000Z | 20260101T000000Z 20260101T004500Z 20260101T013000Z",
            "FREQ=HOURLY;UNTIL=20250101T020000Z | 19700101T000000Z | 20250101T000000Z | 20250601T000000Z | 20250101T000000Z 20250101T010000Z 20250101T020000Z",
    })
    void aRuleBegunLongAgoGivesItsInstancesInTheRange(String rule, String dtstart, String from, String to, String expected) {
        Store store = Attack.store();
        Bytes event = Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\nBEGIN:VEVENT\r\nUID:uid-old\r\n"
                + "DTSTAMP:20260101T000000Z\r\nDTSTART:" + dtstart + "\r\nDURATION:PT1S\r\nRRULE:" + rule
                + "\r\nSUMMARY:old\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        Store next = ok(store, Attack.put("bob", "/calendars/bob/personal/old.ics", event));
        String query = "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>"
                + "<C:calendar-data><C:expand start=\"" + from + "\" end=\"" + to + "\"/></C:calendar-data></D:prop><C:filter>"
                + "<C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"" + from + "\" end=\""
                + to + "\"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";
        DavOutcome answer = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> Attack.CORE.handle(next, xml("bob", "REPORT", "/calendars/bob/personal/", query, "Depth", "1")));
        assertEquals(207, answer.response().status(), body(answer));
        List<String> starts = new ArrayList<>();
        Matcher m = Pattern.compile("DTSTART:(\\d{8}T\\d{6}Z)").matcher(body(answer));
        while (m.find()) {
            starts.add(m.group(1));
        }
        assertEquals(List.of(expected.split(" ")), starts.stream().sorted().toList(), body(answer));
    }
}
