package jmirage.caldav.interop;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Vdirsyncer}'s two-way sync with a conflict, on the host target: vdirsyncer on the host, the server on loopback. */
@Tag("peer")
class VdirsyncerTest {

    @TempDir
    Path folder;

    ServerUnderTest server;

    @BeforeEach
    void start() throws Exception {
        Vdirsyncer.require();
        server = ServerUnderTest.start(folder);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void itemsTravelBothWaysAndTheFolderWinsAConflict() throws Exception {
        Vdirsyncer.itemsTravelBothWaysAndTheFolderWinsAConflict(new ClientSide.OnHost(server), folder);
    }
}
