package jmirage.caldav.dav;

import static jmirage.caldav.dav.DavFixture.body;
import static jmirage.caldav.dav.DavFixture.handle;
import static jmirage.caldav.dav.DavFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who reaches what, method by method: alice owns work (shared read-write with bob) and family
 * (read-only with carol); bob owns personal, shared with nobody. A calendar not granted, and
 * anything in another user's home, is 404 (Reach: not revealing what others have); a grant too
 * weak for the method is 403.
 */
class AccessMatrixTest {

    private final Store store = DavFixture.store();

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
            // reading
            "alice, GET, /calendars/alice/work/meeting.ics, 200",
            "bob,   GET, /calendars/bob/work@alice/meeting.ics, 200",
            "carol, GET, /calendars/carol/family@alice/dinner.ics, 200",
            "carol, GET, /calendars/carol/work@alice/meeting.ics, 404",
            "bob,   GET, /calendars/bob/family@alice/dinner.ics, 404",
            "bob,   GET, /calendars/alice/work/meeting.ics, 404",
            "alice, GET, /calendars/bob/personal/dentist.ics, 404",
            "alice, GET, /calendars/alice/personal@bob/dentist.ics, 404",
            "alice, GET, /calendars/bob/personal/, 404",
            "alice, GET, /calendars/bob/, 404",
            "alice, GET, /principals/bob/, 404",
            "alice, HEAD, /calendars/alice/personal@bob/dentist.ics, 404",
            // writing objects
            "alice, PUT, /calendars/alice/work/new.ics, 201",
            "bob,   PUT, /calendars/bob/work@alice/new.ics, 201",
            "carol, PUT, /calendars/carol/family@alice/new.ics, 403",
            "carol, PUT, /calendars/carol/work@alice/new.ics, 404",
            "bob,   PUT, /calendars/alice/work/new.ics, 404",
            "alice, PUT, /calendars/bob/personal/new.ics, 404",
            "alice, DELETE, /calendars/alice/work/meeting.ics, 204",
            "bob,   DELETE, /calendars/bob/work@alice/meeting.ics, 204",
            "carol, DELETE, /calendars/carol/family@alice/dinner.ics, 403",
            "carol, DELETE, /calendars/carol/work@alice/meeting.ics, 404",
            "alice, DELETE, /calendars/bob/personal/dentist.ics, 404",
            // the calendars themselves
            "alice, DELETE, /calendars/alice/family/, 204",
            "bob,   DELETE, /calendars/bob/work@alice/, 403",
            "carol, DELETE, /calendars/carol/family@alice/, 403",
            "alice, DELETE, /calendars/bob/personal/, 404",
            "alice, PROPPATCH, /calendars/alice/work/, 207",
            "bob,   PROPPATCH, /calendars/bob/work@alice/, 403",
            "carol, PROPPATCH, /calendars/carol/family@alice/, 403",
            "carol, PROPPATCH, /calendars/carol/work@alice/, 404",
            "alice, PROPPATCH, /calendars/bob/personal/, 404",
            "alice, MKCALENDAR, /calendars/bob/new/, 404",
            "alice, MKCOL, /calendars/bob/new/, 404",
            // PROPFIND and REPORT: what is hidden is hidden before they are asked
            "alice, PROPFIND, /calendars/bob/, 404",
            "alice, PROPFIND, /calendars/bob/personal/, 404",
            "carol, PROPFIND, /calendars/carol/work@alice/, 404",
            "carol, REPORT, /calendars/carol/work@alice/, 404",
            "alice, REPORT, /calendars/alice/personal@bob/dentist.ics, 404",
            // copying and moving out of what one cannot see
            "carol, COPY, /calendars/carol/work@alice/meeting.ics, 404",
            "alice, MOVE, /calendars/bob/personal/dentist.ics, 404",
            "carol, MOVE, /calendars/carol/family@alice/dinner.ics, 403",
            "bob,   MOVE, /calendars/bob/work@alice/meeting.ics, 201",
    })
    void accessFollowsTheShares(String user, String method, String path, int status) {
        DavRequest request = switch (method) {
            case "PUT" -> request(user, method, path, DavFixture.ics("uid-new", ComponentKind.VEVENT), "Content-Type", "text/calendar");
            case "PROPPATCH" -> request(user, method, path, Bytes.utf8("<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop>"
                    + "<D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>"));
            case "COPY", "MOVE" -> request(user, method, path, "Destination", "/calendars/" + user + "/" + user + "s-own/x.ics");
            default -> request(user, method, path);
        };
        Store withOwnCalendars = store.with(DavFixture.calendar(user, user + "s-own", java.util.EnumSet.allOf(ComponentKind.class),
                java.util.Map.of()));
        DavOutcome outcome = handle(withOwnCalendars, request);
        assertEquals(status, outcome.response().status(), body(outcome));
        if (status >= 400) {
            DavFixture.assertUnchanged(withOwnCalendars, outcome);
        }
    }
}
