package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.caldav.store.Layout;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Key;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.git.GitKv;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git history of a calendar store reads as what people did (issue 15): after sessions of
 * client changes with restarts between them, the log holds the requests' commits "USER via caldav:
 * METHOD PATH", the operator's own, and the server's files (sync histories, object indexes) only
 * in the one commit of a clean stop that followed changes; a boot commits nothing, even when the
 * object index it read is out of date.
 */
class GitHistoryTest {

    private static final String CALENDAR = "/calendars/" + ServerUnderTest.USER + "/work/";
    private static final String STOP = "caldav: sync histories and object indexes, at stop";
    /** What {@link OurServer#boot} writes before each boot, as an operator does with htpasswd -B. */
    private static final String OPERATOR = "set " + Layout.HTPASSWD;

    @TempDir
    Path folder;

    private static String event(String uid) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:" + uid
                + "\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260301T100000Z\r\nDTEND:20260301T110000Z\r\nSUMMARY:" + uid
                + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** Boots on the git store, sends the requests ({@code METHOD NAME}, NAME in the calendar), stops. */
    private void session(Path store, String... requests) throws Exception {
        InetAddress address = ServerUnderTest.uniqueLoopback();
        OurServer server = OurServer.boot(address, loop -> new HostStack(loop, address), (loop, clock) -> OnLoop.await(loop,
                () -> GitKv.open(GitKv.Options.local(store), loop, clock, new RecordingLog("kv", LogLevel.INFO, clock, r -> {}))).orElseThrow());
        try {
            Dav dav = Dav.of(server);
            for (String request : requests) {
                String[] r = request.split(" ");
                Reply reply = switch (r[0]) {
                    case "MKCALENDAR" -> dav.send("MKCALENDAR", CALENDAR, "");
                    case "PUT" -> dav.send("PUT", CALENDAR + r[1], event(r[1]), "Content-Type", "text/calendar");
                    default -> dav.send(r[0], CALENDAR + r[1], "");
                };
                assertEquals(2, reply.status() / 100, () -> request + ": " + reply + server.log());
            }
        } finally {
            server.close();
        }
    }

    /** The store's commits, oldest first: "AUTHOR: MESSAGE" each. */
    private List<String> log(Path store, Key key) throws Exception {
        HostScheduler loop = HostScheduler.start("history");
        try {
            HostClock clock = new HostClock();
            GitKv kv = OnLoop.await(loop, () -> GitKv.open(GitKv.Options.local(store), loop, clock,
                    new RecordingLog("kv", LogLevel.INFO, clock, r -> {}))).orElseThrow();
            List<String> lines = new ArrayList<>();
            for (GitKv.Revision r : OnLoop.await(loop, () -> kv.history(key, 1000)).orElseThrow()) {
                lines.addFirst(r.author() + ": " + r.message().strip());
            }
            OnLoop.await(loop, kv::close);
            return lines;
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aBootCommitsNothingAndTheServersFilesGoInOneCommitAtAStopAfterChanges() throws Exception {
        Path store = folder.resolve("calendars.git");
        session(store, "MKCALENDAR", "PUT a.ics", "PUT b.ics");
        session(store, "PUT c.ics", "DELETE a.ics");
        session(store);
        session(store, "PUT d.ics");

        String alice = "alice: alice via caldav: ";
        String attributes = "caldav: caldav: " + Layout.GIT_ATTRIBUTES + ": keep both versions of an event on a merge conflict";
        assertEquals(List.of("unikernel: " + OPERATOR, attributes,
                alice + "MKCALENDAR " + CALENDAR, alice + "PUT " + CALENDAR + "a.ics", alice + "PUT " + CALENDAR + "b.ics", "caldav: " + STOP,
                "unikernel: " + OPERATOR, alice + "PUT " + CALENDAR + "c.ics", alice + "DELETE " + CALENDAR + "a.ics", "caldav: " + STOP,
                "unikernel: " + OPERATOR,
                "unikernel: " + OPERATOR, alice + "PUT " + CALENDAR + "d.ics", "caldav: " + STOP),
                log(store, Key.ROOT));
        assertEquals(List.of("caldav: " + STOP, "caldav: " + STOP, "caldav: " + STOP), log(store, Layout.objectIndex(ServerUnderTest.USER, "work")),
                "the object index is written at stops only, never at a boot");
    }
}
