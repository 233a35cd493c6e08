package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server on the tap target: platform/net's direct stack on a TAP device with its own MAC and
 * 10.84.N.2, and python3-caldav in a network namespace holding the Linux end (10.84.N.1), so every
 * segment between them went through our TCP/IP stack. As root.
 */
@Tag("peer")
@Tag("root")
class Python3CaldavOnTapTest {

    private static final TapLink LINK = TapLink.random("cdv", "cdvns", "10.84");

    private static OurServer server;

    @BeforeAll
    static void start() throws Exception {
        PythonCaldav.require();
        server = OurServer.onTap(LINK);
    }

    @AfterAll
    static void stop() throws Exception {
        OurServer.closeOnTap(server, LINK);
    }

    @Test
    void python3CaldavInTheNamespaceDiscoversMakesACalendarAndSearchesAMonth() {
        PythonCaldav.Session session = PythonCaldav.run(LINK.exec(), server.root(), "on-tap", true);
        assertEquals(List.of(), session.failures(), () -> session + "\nserver log:\n" + server.log());
        Map<String, Object> march = session.step("search_march_expanded");
        assertEquals(Boolean.TRUE, march.get("server_expanded"));
        assertEquals(6, Json.asList(march.get("instances")).size(), () -> march.toString());
    }
}
