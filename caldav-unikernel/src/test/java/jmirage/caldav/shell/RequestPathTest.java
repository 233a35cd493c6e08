package jmirage.caldav.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Request paths decoded and normalised as DavRequest wants them. */
class RequestPathTest {

    @Test
    void decodesRemovesDotSegmentsAndKeepsTheTrailingSlash() {
        assertEquals(Optional.of("/"), RequestPath.normalise("/"));
        assertEquals(Optional.of("/calendars/admin/"), RequestPath.normalise("/calendars//admin/"));
        assertEquals(Optional.of("/calendars/admin/calendar"), RequestPath.normalise("/calendars/admin/calendar"));
        assertEquals(Optional.of("/calendars/admin/caf\u00e9 cr\u00e8me.ics"),
                RequestPath.normalise("/calendars/admin/caf%C3%A9%20cr%c3%a8me.ics"));
        assertEquals(Optional.of("/calendars/"), RequestPath.normalise("/calendars/admin/.."));
        assertEquals(Optional.of("/"), RequestPath.normalise("/../../.."));
        assertEquals(Optional.of("/principals/admin/"), RequestPath.normalise("/principals/./admin/."));
    }

    @Test
    void refusesWhatDoesNotDecodeOrIsNotAbsolute() {
        assertEquals(Optional.empty(), RequestPath.normalise("/bad%zz"));
        assertEquals(Optional.empty(), RequestPath.normalise("/cut%C3"));
        assertEquals(Optional.empty(), RequestPath.normalise("*"));
        assertEquals(Optional.empty(), RequestPath.normalise("relative/path"));
    }
}
