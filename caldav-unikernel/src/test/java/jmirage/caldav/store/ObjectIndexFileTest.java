package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.caldav.ical.CalendarIndex;
import jmirage.caldav.ical.ComponentKind;
import jmirage.core.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The object index file reads back what was written, whatever the names and UIDs hold, and skips what it cannot read. */
class ObjectIndexFileTest {

    @Property
    void whatIsWrittenReadsBack(@ForAll("lines") List<ObjectIndexFile.Line> lines) {
        Map<String, ObjectIndexFile.Known> read = ObjectIndexFile.decode(ObjectIndexFile.encode(lines));
        Map<String, ObjectIndexFile.Known> expected = new java.util.HashMap<>();
        for (ObjectIndexFile.Line l : lines) {
            expected.put(l.name(), new ObjectIndexFile.Known(l.etag(), l.index()));
        }
        assertEquals(expected, read);
    }

    @Test
    void damagedLinesAreSkippedAndAnotherVersionIsIgnored() {
        CalendarIndex good = new CalendarIndex("u 1%\t\n", ComponentKind.VTODO, Optional.of(Instant.parse("2026-03-01T10:00:00Z")), Optional.empty(), true);
        String text = ObjectIndexFile.encode(List.of(new ObjectIndexFile.Line("a.ics", "\"00\"", good))).toUtf8()
                + "b.ics\t\"01\"\tuid\tVALARM\t-\t-\t0\n"
                + "c.ics\t\"02\"\tuid\tVEVENT\tyesterday\t-\t0\n"
                + "d.ics\t\"03\"\tuid\tVEVENT\t-\t-\t2\n"
                + "e.ics\t\"04\"\tu%zz\tVEVENT\t-\t-\t0\n"
                + "f.ics\t\"05\"\tuid\tVEVENT\t-\t-\n";
        assertEquals(Map.of("a.ics", new ObjectIndexFile.Known("\"00\"", good)), ObjectIndexFile.decode(Bytes.utf8(text)));
        assertEquals(Map.of(), ObjectIndexFile.decode(Bytes.utf8(text.replace("index 1", "index 2"))));
    }

    @Provide
    Arbitrary<List<ObjectIndexFile.Line>> lines() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange((char) 0, (char) 0xD7FF).ofMinLength(1).ofMaxLength(30);
        Arbitrary<Optional<Instant>> instant = Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L)
                .map(Instant::ofEpochSecond).optional();
        Arbitrary<CalendarIndex> index = Combinators.combine(text, Arbitraries.of(ComponentKind.class), instant, instant, Arbitraries.of(true, false))
                .as(CalendarIndex::new);
        Arbitrary<ObjectIndexFile.Line> line = Combinators.combine(text, Arbitraries.strings().withCharRange('0', '9').ofLength(8), index)
                .as((name, digest, i) -> new ObjectIndexFile.Line(name, "\"" + digest + "\"", i));
        return line.list().ofMaxSize(20).uniqueElements(ObjectIndexFile.Line::name).map(ArrayList::new);
    }
}
