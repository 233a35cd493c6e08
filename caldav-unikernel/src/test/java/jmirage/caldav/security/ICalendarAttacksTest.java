package jmirage.caldav.security;

import static jmirage.caldav.security.Attack.body;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * iCalendar bodies shaped to exhaust the parser rather than the expansion: components nested tens
 * of thousands deep, a line folded into thousands of pieces, tens of thousands of EXDATEs and
 * RDATEs, parameters by the thousand. Each PUT is answered in bounded time, never with a 5xx, and
 * a refusal stores nothing.
 */
class ICalendarAttacksTest {

    private static final String HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\n";
    private static final String EVENT = "BEGIN:VEVENT\r\nUID:uid-x\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\n";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nested", "nested-in-event", "folded", "exdates", "rdates", "parameters", "alarms", "overrides"})
    void aPathologicalBodyIsAnsweredInBoundedTime(String shape) {
        String body = switch (shape) {
            case "nested" -> HEAD + "BEGIN:X-A\r\n".repeat(40_000) + "END:X-A\r\n".repeat(40_000) + "END:VCALENDAR\r\n";
            case "nested-in-event" -> HEAD + EVENT + "BEGIN:VALARM\r\n".repeat(30_000) + "END:VALARM\r\n".repeat(30_000)
                    + "END:VEVENT\r\nEND:VCALENDAR\r\n";
            case "folded" -> HEAD + EVENT + "SUMMARY:" + "x\r\n ".repeat(200_000) + "y\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
            case "exdates" -> HEAD + EVENT + "RRULE:FREQ=MINUTELY\r\n" + "EXDATE:20260105T100100Z\r\n".repeat(35_000)
                    + "END:VEVENT\r\nEND:VCALENDAR\r\n";
            case "rdates" -> HEAD + EVENT + "RDATE:" + "20260105T100100Z,".repeat(55_000) + "20260105T100200Z\r\n"
                    + "END:VEVENT\r\nEND:VCALENDAR\r\n";
            case "parameters" -> HEAD + EVENT + "SUMMARY" + ";X-P=v".repeat(150_000) + ":s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
            case "alarms" -> HEAD + EVENT + "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:a\r\nEND:VALARM\r\n".repeat(12_000)
                    + "END:VEVENT\r\nEND:VCALENDAR\r\n";
            default -> {
                StringBuilder b = new StringBuilder(HEAD + EVENT + "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
                for (int i = 1; i < 6_000; i++) {
                    b.append("BEGIN:VEVENT\r\nUID:uid-x\r\nDTSTAMP:20260101T000000Z\r\nRECURRENCE-ID:")
                            .append(java.time.LocalDate.of(2026, 1, 5).plusDays(i).toString().replace("-", ""))
                            .append("T100000Z\r\nDTSTART:20260105T110000Z\r\nEND:VEVENT\r\n");
                }
                yield b.append("END:VCALENDAR\r\n").toString();
            }
        };
        Store store = Attack.store();
        DavOutcome put = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Attack.CORE.handle(store, Attack.put("bob", "/calendars/bob/personal/x.ics", Bytes.utf8(body))));
        int status = put.response().status();
        assertTrue(status == 201 || status >= 400 && status < 500, status + " " + body(put));
        if (status >= 400) {
            assertTrue(put.store() == store && put.batch().isEmpty());
        }
    }
}
