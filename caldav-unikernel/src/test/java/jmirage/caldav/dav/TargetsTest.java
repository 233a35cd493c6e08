package jmirage.caldav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void anAliasNamesTheOwnersCalendarSeenFromTheViewersHome() {
        assertEquals(Optional.of(new Target.Calendar("/calendars/bob/work@alice/", "bob", "alice", "work")),
                Targets.resolve("/calendars/bob/work@alice/", "bob"));
    }

    @Test
    void anAliasToOnesOwnCalendarIsNoAlias() {
        // One URL per calendar: "work@alice" in alice's home would otherwise be a second URL of "work".
        assertEquals(Optional.of(new Target.Calendar("/calendars/alice/work@alice/", "alice", "alice", "work@alice")),
                Targets.resolve("/calendars/alice/work@alice/", "alice"));
    }

    @Test
    void dotSegmentsAndTheStoresOwnFilesNameNothing() {
        assertTrue(Targets.resolve("/calendars/alice/work/.collection.xml", "alice").isEmpty());
        assertEquals(Optional.of(new Target.Home("/calendars/alice/", "alice")), Targets.resolve("/calendars/alice/work/..", "alice"));
    }

    @Test
    void anObjectKeepsItsCalendarsHref() {
        Target.Object object = (Target.Object) Targets.resolve("/calendars/bob/work@alice/a b.ics", "bob").orElseThrow();
        assertEquals("/calendars/bob/work@alice/a%20b.ics", object.href());
        assertEquals("/calendars/bob/work@alice/a%20b.ics", Targets.objectHref(object.calendar(), "a b.ics"));
    }

    @Property(tries = 500)
    void aSegmentEncodedDecodesToItself(@ForAll("segments") String segment) {
        String encoded = Targets.encode(segment);
        assertTrue(encoded.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != '?' && c != '#'), encoded);
        assertEquals(Optional.of(segment), Targets.decode(encoded));
    }

    @Test
    void aNameWithNothingToEncodeIsItself() {
        String name = "0b9e2c6f-7a51-4c1e-9d3a-2f8e6b7c1d40.ics";
        assertSame(name, Targets.encode(name));
        assertEquals("caf%C3%A9%20%F0%9F%93%85%25.ics", Targets.encode("caf\u00e9 \uD83D\uDCC5%.ics"));
    }

    @Provide
    Arbitrary<String> segments() {
        // Z stands for a character beyond the BMP
        return Arbitraries.strings().withChars("az09-._~!$&'()*+,;=:@ %/?#\u00e9\u4e2dZ").ofMaxLength(16)
                .map(s -> s.replace("Z", "\uD83D\uDCC5"));
    }
}
