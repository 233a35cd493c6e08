package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;

/**
 * Arbitrary PUT bodies (raw, or spliced into a real Thunderbird object so the fuzzer starts deep
 * in iCalendar): validate() returns a Result and never throws; what it accepts can then be queried,
 * expanded and counted in free-busy without an exception either.
 */
class IcalValidateFuzzTest {

    private static final Filters.TimeRange YEAR = new Filters.TimeRange(Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
            Optional.of(Instant.parse("2027-01-01T00:00:00Z")));
    private static final Filters.CompFilter EVENTS_IN_YEAR = new Filters.CompFilter("VCALENDAR", false, Optional.empty(), List.of(),
            List.of(new Filters.CompFilter("VEVENT", false, Optional.of(YEAR), List.of(), List.of())));

    @FuzzTest(maxDuration = "20s")
    void bodiesGetAResultAndNeverAnException(FuzzedDataProvider data) {
        boolean splice = data.consumeBoolean();
        String text = data.consumeRemainingAsString();
        String body = splice ? Samples.THUNDERBIRD_WEEKLY.replace("RRULE:FREQ=WEEKLY", text) : text;
        Bytes bytes = Bytes.utf8(body);
        Result<CalendarIndex, IcalError> r = ICalendars.validate(bytes, EnumSet.allOf(ComponentKind.class));
        assertNotNull(r);
        if (r instanceof Result.Ok<CalendarIndex, IcalError>(CalendarIndex index)) {
            ICalendars.matches(bytes, index, EVENTS_IN_YEAR, ZoneOffset.UTC);
            ICalendars.render(bytes, new CalendarDataRequest(Optional.of(YEAR), Optional.empty(), Optional.empty()), ZoneOffset.UTC);
            ICalendars.freeBusy(List.of(bytes), YEAR, ZoneOffset.UTC, Instant.EPOCH);
        } else {
            assertNotNull(((Result.Err<CalendarIndex, IcalError>) r).error().describe());
        }
    }
}
