package jmirage.caldav.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import org.junit.jupiter.api.Test;

class SharesTest {

    static final String FILE = """
            # groups
            group family: alice bob carol

            # grants
            share alice/work with bob read
            share alice/family with @family read-write
            share alice/family with @friends read
            share dave/* with carol read
            share dave/garden with carol read-write
            group friends: erin bob
            """;

    static Shares shares(String text) {
        return Shares.parse(Bytes.utf8(text)).orElseThrow();
    }

    @Test
    void theOwnerHasEverythingAndOthersWhatTheStrongestGrantSays() {
        Shares s = shares(FILE);
        assertEquals(Access.OWNER, s.access("alice", "alice", "anything"));
        assertEquals(Access.READ, s.access("bob", "alice", "work"));
        assertEquals(Access.READ_WRITE, s.access("bob", "alice", "family"), "read-write through @family beats read through @friends");
        assertEquals(Access.READ, s.access("erin", "alice", "family"));
        assertEquals(Access.NONE, s.access("erin", "alice", "work"));
        assertEquals(Access.NONE, s.access("carol", "alice", "work"));
        assertEquals(Access.READ, s.access("carol", "dave", "holidays"), "a whole home");
        assertEquals(Access.READ_WRITE, s.access("carol", "dave", "garden"));
        assertEquals(Access.NONE, s.access("mallory", "alice", "family"));
        assertEquals(Access.NONE, Shares.none().access("bob", "alice", "work"));
        assertEquals(Access.OWNER, Shares.none().access("bob", "bob", "work"));
    }

    @Test
    void grantsToListsEachCalendarOnceWithItsStrongestAccess() {
        Shares s = shares(FILE);
        assertEquals(List.of(new Shares.Grant("alice", "family", Access.READ_WRITE), new Shares.Grant("alice", "work", Access.READ)),
                s.grantsTo("bob"));
        assertEquals(List.of(new Shares.Grant("alice", "family", Access.READ_WRITE),
                        new Shares.Grant("dave", "*", Access.READ), new Shares.Grant("dave", "garden", Access.READ_WRITE)),
                s.grantsTo("carol"));
        assertEquals(List.of(), s.grantsTo("alice"), "alice's own calendars are not grants");
        assertEquals(List.of(), Shares.none().grantsTo("bob"));
    }

    @Test
    void errorsNameTheLine() {
        assertEquals(bad(2, "unknown directive 'shar' (expected 'group' or 'share')"), Shares.parse(Bytes.utf8("# x\nshar a/b with c read\n")));
        assertEquals(bad(1, "the line must end with 'read' or 'read-write', not 'write'"), Shares.parse(Bytes.utf8("share a/b with c write")));
        assertEquals(bad(1, "no group 'nobody' is defined"), Shares.parse(Bytes.utf8("share a/b with @nobody read")));
        assertEquals(bad(1, "'ab' is not OWNER/CALENDAR (or OWNER/*)"), Shares.parse(Bytes.utf8("share ab with c read")));
        assertEquals(bad(1, "expected 'share OWNER/CALENDAR with USER|@GROUP... read|read-write'"), Shares.parse(Bytes.utf8("share a/b to c read")));
        assertEquals(bad(1, "'.x' is not a calendar name"), Shares.parse(Bytes.utf8("share a/.x with c read")));
        assertEquals(bad(1, "expected 'group NAME: USER...'"), Shares.parse(Bytes.utf8("group g alice")));
        assertEquals(bad(2, "group 'g' is defined twice"), Shares.parse(Bytes.utf8("group g: a\ngroup g: b")));
        assertEquals(bad(1, "user name '@h' is not 1 to 64 of A-Z a-z 0-9 . _ - (a group holds users, not groups)"),
                Shares.parse(Bytes.utf8("group g: @h")));
        assertEquals(bad(1, "user name 'a@b' is not 1 to 64 of A-Z a-z 0-9 . _ -"), Shares.parse(Bytes.utf8("share a/b with a@b read")));
        assertEquals(bad(0, "not UTF-8 text"), Shares.parse(Bytes.of((byte) 0xc3)));
    }

    private static Result<Shares, StoreError> bad(int line, String detail) {
        return Result.err(new StoreError.BadFile(Layout.SHARES, line, detail));
    }
}
