package jmirage.caldav.ical;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import net.fortuna.ical4j.model.Calendar;
import org.junit.jupiter.api.Test;

/** The parse cache keeps the recently used objects and stays within its bound in bytes of text, whatever the objects' sizes. */
class ParseCacheTest {

    @Test
    void largeObjectsAreCachedOnlyUpToTheByteBound() {
        int objectBytes = 200_000;
        int count = (int) (Parsing.CACHE_BYTES / objectBytes) + 10;
        List<Bytes> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            objects.add(Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:big-" + i
                    + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nDESCRIPTION:" + "x".repeat(objectBytes)
                    + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"));
        }
        Calendar first = Parsing.forQuery(objects.getFirst()).orElseThrow();
        Calendar last = null;
        for (Bytes o : objects.subList(1, count)) {
            last = Parsing.forQuery(o).orElseThrow();
        }
        Parsing.CacheUse use = Parsing.cacheUse();
        assertTrue(use.bytes() <= Parsing.CACHE_BYTES, use::toString);
        assertTrue(use.entries() <= Parsing.CACHE_ENTRIES, use::toString);
        assertSame(last, Parsing.forQuery(objects.getLast()).orElseThrow(), "the most recent object is a hit");
        assertNotSame(first, Parsing.forQuery(objects.getFirst()).orElseThrow(), "the eldest was evicted and is parsed again");
    }
}
