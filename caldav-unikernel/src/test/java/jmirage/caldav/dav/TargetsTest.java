package jmirage.caldav.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
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
}
