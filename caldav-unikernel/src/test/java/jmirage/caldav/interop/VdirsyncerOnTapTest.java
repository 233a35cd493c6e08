package jmirage.caldav.interop;

import java.nio.file.Path;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Vdirsyncer}'s two-way sync with a conflict, on the tap target: the server on the direct
 * stack over a TAP at 10.85.N.2, vdirsyncer (and curl for the test's own requests) in the network
 * namespace holding the Linux end. As root.
 */
@Tag("peer")
@Tag("root")
class VdirsyncerOnTapTest {

    private final TapLink link = TapLink.random("vds", "vdsns", "10.85");

    @TempDir
    Path folder;

    OurServer server;

    @BeforeEach
    void start() throws Exception {
        Vdirsyncer.require();
        server = OurServer.onTap(link);
    }

    @AfterEach
    void stop() throws Exception {
        OurServer.closeOnTap(server, link);
    }

    @Test
    void itemsTravelBothWaysAndTheFolderWinsAConflict() throws Exception {
        Vdirsyncer.itemsTravelBothWaysAndTheFolderWinsAConflict(new ClientSide.InNamespace(server, link), folder);
    }
}
