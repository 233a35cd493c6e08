package jmirage.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** A log line's time is written as {@link Instant#toString} writes it, without the JDK's formatter. */
class LogRecordUtcTest {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the years written here. */
    private static final long FIRST = -62_167_219_200L;
    private static final long LAST = 253_402_300_799L;

    @Property(tries = 5000)
    void anyInstantOfTheYearsZeroTo9999(@ForAll @LongRange(min = FIRST, max = LAST) long second,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos) {
        Instant time = Instant.ofEpochSecond(second, nanos);
        assertEquals(time.toString(), LogRecord.utc(time));
    }

    /** Whole seconds, milliseconds and microseconds: the fraction is written in groups of three digits. */
    @Property(tries = 2000)
    void fractionsOfEachWidth(@ForAll @LongRange(min = FIRST, max = LAST) long second,
            @ForAll @IntRange(min = 0, max = 999) int thousandths, @ForAll @IntRange(min = 0, max = 2) int scale) {
        Instant time = Instant.ofEpochSecond(second, thousandths * (scale == 0 ? 1_000_000L : scale == 1 ? 1000L : 1L));
        assertEquals(time.toString(), LogRecord.utc(time));
    }

    @Test
    void daysAroundLeapYearsAndTheEpoch() {
        for (String text : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00.5Z",
                "1900-03-01T00:00:00Z", "2024-02-29T23:59:59.000001Z", "2026-12-07T16:40:00.123Z", "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999Z"}) {
            Instant time = Instant.parse(text);
            assertEquals(time.toString(), LogRecord.utc(time), text);
        }
    }

    @Test
    void yearsOutsideFourDigitsAsTheJdkWritesThem() {
        for (Instant time : new Instant[] {Instant.MIN, Instant.MAX, Instant.ofEpochSecond(LAST + 1), Instant.ofEpochSecond(FIRST - 1)}) {
            assertEquals(time.toString(), LogRecord.utc(time));
        }
    }
}
