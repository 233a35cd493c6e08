package jmirage.caldav.interop;

import java.nio.file.Path;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebDavTools}' cadaver and curl sessions on the tap target: the server on the direct stack
 * over a TAP at 10.86.N.2, the tools in the network namespace holding the Linux end. One server for
 * both sessions (each has calendars of its own). As root.
 */
@Tag("peer")
@Tag("root")
class WebDavToolsOnTapTest {

    private static final TapLink LINK = TapLink.random("wdt", "wdtns", "10.86");

    private static OurServer server;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() throws Exception {
        server = OurServer.onTap(LINK);
    }

    @AfterAll
    static void stop() throws Exception {
        OurServer.closeOnTap(server, LINK);
    }

    @Test
    void cadaverListsPutsReadsPropertiesGetsMovesCopiesAndDeletes() throws Exception {
        WebDavTools.cadaverListsPutsReadsPropertiesGetsMovesCopiesAndDeletes(new ClientSide.InNamespace(server, LINK), folder);
    }

    @Test
    void curlSeesTheDavClassesPropertiesAndPreconditions() throws Exception {
        WebDavTools.curlSeesTheDavClassesPropertiesAndPreconditions(new ClientSide.InNamespace(server, LINK), folder);
    }
}
