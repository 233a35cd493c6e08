package jmirage.canopy.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import jmirage.core.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @ParameterizedTest
    @CsvSource({
        "2026-12-06, 2026-12-06T00:00:00Z",
        "2026-12-06T13:05:09Z, 2026-12-06T13:05:09Z",
        "2026-12-06t13:05:09z, 2026-12-06T13:05:09Z",
        "2026-12-06 13:05:09Z, 2026-12-06T13:05:09Z",
        "2026-12-06T13:05:09+02:00, 2026-12-06T11:05:09Z",
        "2026-12-06T13:05:09.25-01:30, 2026-12-06T14:35:09.250Z",
        "0000-01-01T00:00:00Z, 0000-01-01T00:00:00Z"})
    void readsFullDatesAndDateTimes(String text, String instant) {
        assertEquals(Result.ok(Instant.parse(instant)), Rfc3339.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2026-1-6", "06/12/2026", "2026-13-01", "2026-02-30", "2026-12-06T25:00:00Z",
        "2026-12-06T13:05:09", "+12026-12-06", "2026-12-06T13:05:09+0200", "0000-01-01T00:00:00+01:00"})
    void refusesWhatIsNotAnRfc3339DateOrFallsOutsideFourDigitYears(String text) {
        assertFalse(Rfc3339.parse(text).isOk(), text);
    }

    @Test
    void formatsInUtcWithZ() {
        assertEquals("2026-12-06T11:05:09Z", Rfc3339.format(Instant.parse("2026-12-06T11:05:09Z")));
        assertEquals("2026-12-06", Rfc3339.formatDay(Instant.parse("2026-12-06T23:59:59Z")));
    }

    @Test
    void aHistoryOutsideFourDigitYearsIsABugOfTheShell() {
        assertThrows(IllegalArgumentException.class, () -> new History(Instant.parse("+10000-01-01T00:00:00Z"), Instant.EPOCH));
    }
}
