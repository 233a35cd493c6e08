package jmirage.caldav.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.caldav.dav.DavOutcome;
import jmirage.caldav.dav.DavRequest;
import jmirage.caldav.store.Access;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Home;
import jmirage.caldav.store.Resource;
import jmirage.caldav.store.Store;
import jmirage.core.Bytes;
import jmirage.http.Headers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Sequences of random requests by alice, bob and carol (paths through their own homes, aliases
 * granted or not, tricks with '@' and dot segments; bodies valid and not), each applied to the
 * store the previous one left. Every answer: no exception, no 5xx but the 507 of a server limit,
 * and a 4xx leaves the very same store with nothing to commit. At the end, whatever the sequence
 * made, moved or renamed, exhaustive probing finds no object of a calendar a user holds no grant
 * for: GET, HEAD, PROPFIND, calendar-query and calendar-multiget all answer 404 for it, by every
 * path that could name it.
 */
class RandomRequestsProperties {

    private static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final List<String> METHODS = List.of("GET", "HEAD", "PUT", "PUT", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "REPORT",
            "MKCALENDAR", "MKCOL", "COPY", "MOVE", "MOVE", "OPTIONS");
    private static final List<String> CALENDARS = List.of("work", "family", "secret", "personal", "new", "work@alice", "family@alice",
            "secret@alice", "personal@bob", "new@bob", "new@carol", "work@alice@bob", "@alice", "work@");
    private static final List<String> OBJECTS = List.of("meeting.ics", "dinner.ics", "plan.ics", "dentist.ics", "a.ics", "b.ics");

    record Step(String user, String method, String path, Headers headers, Bytes body) {
        DavRequest request() {
            return new DavRequest(method, path, headers, body, user, Attack.NOW);
        }
    }

    @Property(tries = 200, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void noSequenceBreaksTheServerOrTheGrants(@ForAll @Size(min = 5, max = 30) List<@net.jqwik.api.From("steps") Step> steps) {
        Store store = Attack.store();
        for (Step step : steps) {
            DavOutcome outcome = Attack.CORE.handle(store, step.request());
            int status = outcome.response().status();
            net.jqwik.api.statistics.Statistics.label("status").collect(step.method(), status / 100 + "xx");
            assertTrue(status < 500 || status == 507, status + " for " + step);
            if (status >= 400) {
                assertSame(store, outcome.store(), "a refusal leaves the store: " + step);
                assertTrue(outcome.batch().isEmpty(), "a refusal commits nothing: " + step);
            }
            store = outcome.store();
        }
        probe(store);
    }

    /** Every object of every calendar, for every user without a grant on it: nothing reveals it. */
    private static void probe(Store store) {
        for (Home home : store.homes().values()) {
            for (Collection calendar : home.calendars().values()) {
                for (String user : USERS) {
                    if (store.shares().access(user, calendar.owner(), calendar.name()) != Access.NONE) {
                        continue;
                    }
                    List<String> calendarPaths = List.of("/calendars/" + calendar.owner() + "/" + calendar.name() + "/",
                            "/calendars/" + user + "/" + calendar.name() + "@" + calendar.owner() + "/",
                            "/calendars/" + user + "/x/../" + calendar.name() + "@" + calendar.owner() + "/");
                    for (String at : calendarPaths) {
                        hidden(store, Attack.request(user, "PROPFIND", at, "Depth", "1"));
                        hidden(store, Attack.xml(user, "REPORT", at, QUERY, "Depth", "1"));
                        hidden(store, Attack.xml(user, "REPORT", at, SYNC, "Depth", "0"));
                        hidden(store, Attack.request(user, "GET", at));
                        for (Resource object : calendar.members().values()) {
                            String path = at + object.name();
                            hidden(store, Attack.request(user, "GET", path));
                            hidden(store, Attack.request(user, "HEAD", path));
                            hidden(store, Attack.request(user, "PROPFIND", path, "Depth", "0"));
                            DavOutcome multiget = Attack.CORE.handle(store, Attack.xml(user, "REPORT", "/calendars/" + user + "/",
                                    "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/>"
                                            + "<C:calendar-data/></D:prop><D:href>" + path + "</D:href></C:calendar-multiget>", "Depth", "1"));
                            String answer = Attack.body(multiget);
                            assertTrue(answer.contains("404 Not Found") && !answer.contains("BEGIN:VCALENDAR"),
                                    user + " multiget " + path + ": " + answer);
                        }
                    }
                }
            }
        }
    }

    private static void hidden(Store store, DavRequest request) {
        DavOutcome outcome = Attack.CORE.handle(store, request);
        assertEquals(404, outcome.response().status(), () -> request.user() + " " + request.method() + " " + request.path()
                + " -> " + Attack.body(outcome));
        assertFalse(Attack.body(outcome).contains("BEGIN:VCALENDAR"));
    }

    private static final String QUERY = "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>"
            + "<C:calendar-data/></D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"/></C:filter></C:calendar-query>";
    private static final String SYNC = "<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token/><D:sync-level>1</D:sync-level>"
            + "<D:prop><D:getetag/></D:prop></D:sync-collection>";

    @Provide
    Arbitrary<Step> steps() {
        return Arbitraries.of(USERS).flatMap(user -> Combinators.combine(Arbitraries.of(METHODS), path(user), path(user),
                Arbitraries.integers().between(0, 7)).as((method, path, other, variant) -> step(user, method, path, other, variant)));
    }

    /**
     * Mostly in the user's own home and among the calendars they reach (where requests succeed and
     * change things), else anywhere, tricks included.
     */
    private static Arbitrary<String> path(String user) {
        Arbitrary<String> home = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(user)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("alice", "bob", "carol", "Alice")));
        List<String> own = switch (user) {
            case "alice" -> List.of("work", "family", "secret", "new");
            case "bob" -> List.of("personal", "work@alice", "new");
            default -> List.of("family@alice", "new");
        };
        Arbitrary<String> calendar = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.of(own)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(CALENDARS)));
        Arbitrary<String> object = Arbitraries.of(OBJECTS);
        Arbitrary<String> shape = Arbitraries.of("home", "calendar", "calendar", "object", "object", "object", "dots", "special");
        return Combinators.combine(shape, home, calendar, object).as((s, h, c, o) -> switch (s) {
            case "home" -> "/calendars/" + h + "/";
            case "calendar" -> "/calendars/" + h + "/" + c + "/";
            case "dots" -> "/calendars/" + h + "/" + c + "/../../" + h + "/" + c + "/" + o;
            case "special" -> List.of("/", "/principals/", "/principals/" + h + "/", "/calendars/", "/.well-known/caldav").get(o.length() % 5);
            default -> "/calendars/" + h + "/" + c + "/" + o;
        });
    }

    private static Step step(String user, String method, String path, String other, int variant) {
        return switch (method) {
            // a PUT names an object: a collection path gets a new member's name
            case "PUT" -> new Step(user, method, path.endsWith("/") ? path + OBJECTS.get(variant % OBJECTS.size()) : path,
                    Headers.of("Content-Type", "text/calendar"), switch (variant % 4) {
                case 0 -> Attack.event("uid-" + variant, "random");
                case 1 -> Attack.event("uid-shared", "same uid");
                case 2 -> Bytes.utf8("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
                default -> Bytes.utf8("not a calendar");
            });
            case "PROPPATCH" -> new Step(user, method, path, Headers.of(), Bytes.utf8(switch (variant % 3) {
                case 0 -> "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:displayname>n</D:displayname></D:prop></D:set></D:propertyupdate>";
                case 1 -> "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:getetag>x</D:getetag></D:prop></D:set></D:propertyupdate>";
                default -> "<D:propertyupdate xmlns:D=\"DAV:\"><D:remove><D:prop><D:displayname/></D:prop></D:remove></D:propertyupdate>";
            }));
            case "MKCALENDAR", "MKCOL" -> new Step(user, method, path, Headers.of(), variant % 2 == 0 ? Bytes.EMPTY
                    : Bytes.utf8("<D:mkcol xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:set><D:prop><D:resourcetype>"
                            + "<D:collection/><C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>"));
            case "COPY", "MOVE" -> new Step(user, method, path,
                    Headers.of("Destination", other, "Overwrite", variant % 2 == 0 ? "T" : "F"), Bytes.EMPTY);
            case "REPORT" -> new Step(user, method, path, Headers.of("Depth", variant % 2 == 0 ? "1" : "0"), Bytes.utf8(switch (variant % 3) {
                case 0 -> QUERY;
                case 1 -> SYNC;
                default -> "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><C:calendar-data/>"
                        + "</D:prop><D:href>" + other + "</D:href></C:calendar-multiget>";
            }));
            case "PROPFIND" -> new Step(user, method, path, Headers.of("Depth", variant % 2 == 0 ? "1" : "0"), Bytes.EMPTY);
            default -> new Step(user, method, path, Headers.of(), Bytes.EMPTY);
        };
    }
}
