package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * python3-caldav (Debian {@code python3-caldav}, the library most CalDAV scripts and several
 * desktop tools are built on) against the server on the host target: the session of
 * {@code interop/python_caldav_flow.py}, asserted in the script and again here.
 */
@Tag("peer")
class Python3CaldavTest {

    @TempDir
    static Path folder;

    static ServerUnderTest server;

    @BeforeAll
    static void start() throws Exception {
        PythonCaldav.require();
        server = ServerUnderTest.start(folder);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSessionDiscoversFromTheRootMakesACalendarChangesEventsSearchesAMonthAsksFreeBusyKeepsTodosAndSyncs() {
        PythonCaldav.Session session = PythonCaldav.run(List.of(), server.root(), "python-session", false);
        assertEquals(List.of(), session.failures(), () -> session + serverLog());

        Map<String, Object> discovery = session.step("discovery");
        assertEquals(server.url(server.principalPath()).toString(), discovery.get("principal"));
        assertEquals(server.url(server.homePath()).toString(), discovery.get("home"));
        assertEquals(server.url(server.calendarPath("python-session")).toString(), session.step("make_calendar").get("url"));

        Map<String, Object> march = session.step("search_march_expanded");
        assertEquals(Boolean.TRUE, march.get("server_expanded"), "the server expanded the weekly series itself");
        List<String> starts = Json.asList(march.get("instances")).stream()
                .map(i -> Json.asMap(i).get("uid") + " " + Json.asMap(i).get("start")).toList();
        assertEquals(List.of(
                "weekly@interop 2026-03-02 10:00:00+00:00",
                "weekly@interop 2026-03-09 10:00:00+00:00",
                "weekly@interop 2026-03-16 14:00:00+00:00",
                "allday@interop 2026-03-20",
                "weekly@interop 2026-03-30 10:00:00+00:00"),
                starts.stream().filter(s -> !s.startsWith("dentist")).toList());
        assertTrue(starts.contains("dentist@interop 2026-03-06 08:00:00+00:00"), () -> "the changed event at its new time: " + starts);

        List<Object> periods = Json.asList(session.step("freebusy").get("periods"));
        assertTrue(periods.stream().map(String::valueOf).anyMatch(p -> p.startsWith("20260309T100000Z/")), () -> periods.toString());
        assertEquals(List.of("Call mum", "File taxes"), session.step("todos").get("pending"));
        assertEquals(List.of("synced@interop"), session.step("sync_collection").get("updated"));
        assertEquals(1.0, session.step("sync_collection").get("deleted"));
    }

    private static String serverLog() {
        return server instanceof OurServer ours ? "\nserver log:\n" + ours.log() : "";
    }
}
