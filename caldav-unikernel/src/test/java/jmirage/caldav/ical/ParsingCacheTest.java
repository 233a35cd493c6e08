package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.core.Bytes;
import org.junit.jupiter.api.Test;

/** The parse cache holds at most {@link Parsing#CACHE_BYTES} of source, however large the objects queried. */
class ParsingCacheTest {

    @Test
    void largeObjectsDoNotFillTheCacheBeyondItsBytes() {
        for (int i = 0; i < 40; i++) {
            StringBuilder b = new StringBuilder("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//cache//EN\r\nBEGIN:VEVENT\r\nUID:uid-")
                    .append(i).append("\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nDESCRIPTION:")
                    .append("x".repeat(600_000)).append("\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
            assertTrue(Parsing.forQuery(Bytes.utf8(b.toString())).isOk());
            assertTrue(Parsing.cachedBytes() <= Parsing.CACHE_BYTES, "cached " + Parsing.cachedBytes());
        }
        assertTrue(Parsing.cachedBytes() > Parsing.CACHE_BYTES / 2, "the cache is used: " + Parsing.cachedBytes());
    }
}
