package jmirage.caldav.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.TreeMap;
import jmirage.caldav.dav.DavConfig;
import jmirage.caldav.dav.DavCore;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.dav.DavRequest;
import jmirage.caldav.store.Home;
import jmirage.caldav.store.Shares;
import jmirage.caldav.store.Store;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.http.Headers;

/**
 * The store the attacks run against, built through the core itself (MKCALENDAR and PUT with real
 * iCalendar, so the ical validation and index are the server's): alice owns work (shared
 * read-write with bob), family (read-only with carol) and secret (shared with nobody); bob owns
 * personal (shared with nobody); carol owns nothing.
 */
final class Attack {

    static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
    static final DavCore CORE = new DavCore(DavConfig.defaults());
    static final String SHARES = "share alice/work with bob read-write\nshare alice/family with carol read\n";

    private Attack() {}

    static Store store() {
        Users users = Users.parse(Bytes.utf8("alice:" + hash('a') + "\nbob:" + hash('b') + "\ncarol:" + hash('c') + "\n")).orElseThrow();
        Shares shares = Shares.parse(Bytes.utf8(SHARES)).orElseThrow();
        Store store = new Store(new TreeMap<String, Home>(), users, shares);
        store = ok(store, request("alice", "MKCALENDAR", "/calendars/alice/work/"));
        store = ok(store, request("alice", "MKCALENDAR", "/calendars/alice/family/"));
        store = ok(store, request("alice", "MKCALENDAR", "/calendars/alice/secret/"));
        store = ok(store, request("bob", "MKCALENDAR", "/calendars/bob/personal/"));
        store = ok(store, put("alice", "/calendars/alice/work/meeting.ics", event("uid-meeting", "Work meeting")));
        store = ok(store, put("alice", "/calendars/alice/family/dinner.ics", event("uid-dinner", "Family dinner")));
        store = ok(store, put("alice", "/calendars/alice/secret/plan.ics", event("uid-plan", "SECRET-ALICE")));
        store = ok(store, put("bob", "/calendars/bob/personal/dentist.ics", event("uid-dentist", "SECRET-BOB")));
        return store;
    }

    /** A syntactically valid bcrypt hash (never verified: the core trusts the shell's authentication). */
    static String hash(char c) {
        return "$2y$10$" + String.valueOf(c).repeat(53);
    }

    static Bytes event(String uid, String summary) {
        return Bytes.utf8("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//attack//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nDTEND:20260105T110000Z\r\nSUMMARY:" + summary
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    }

    static DavRequest request(String user, String method, String path, Bytes body, String... headers) {
        return new DavRequest(method, path, Headers.of(headers), body, user, NOW);
    }

    static DavRequest request(String user, String method, String path, String... headers) {
        return request(user, method, path, Bytes.EMPTY, headers);
    }

    static DavRequest put(String user, String path, Bytes body) {
        return request(user, "PUT", path, body, "Content-Type", "text/calendar");
    }

    static DavRequest xml(String user, String method, String path, String body, String... headers) {
        return request(user, method, path, Bytes.utf8(body), headers);
    }

    /** The store after a request that must succeed. */
    static Store ok(Store store, DavRequest request) {
        DavOutcome outcome = CORE.handle(store, request);
        assertTrue(outcome.response().status() < 300, () -> request.method() + " " + request.path() + ": "
                + outcome.response().status() + " " + outcome.response().bytes().toUtf8());
        return outcome.store();
    }

    /** The outcome of a request that must be refused with {@code status}, leaving the store and committing nothing. */
    static DavOutcome refused(Store store, DavRequest request, int status) {
        DavOutcome outcome = CORE.handle(store, request);
        assertEquals(status, outcome.response().status(), () -> request.method() + " " + request.path() + ": "
                + outcome.response().bytes().toUtf8());
        assertSame(store, outcome.store(), "a refused request leaves the store");
        assertTrue(outcome.batch().isEmpty(), "a refused request commits nothing");
        return outcome;
    }

    static String body(DavOutcome outcome) {
        return outcome.response().bytes().toUtf8();
    }
}
