package jmirage.caldav.interop;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WebDavTools}' cadaver and curl sessions on the host target: the tools on the host, the server on loopback. */
@Tag("peer")
class WebDavToolsTest {

    @TempDir
    Path folder;

    ServerUnderTest server;

    @BeforeEach
    void start() throws Exception {
        server = ServerUnderTest.start(folder);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void cadaverListsPutsReadsPropertiesGetsMovesCopiesAndDeletes() throws Exception {
        WebDavTools.cadaverListsPutsReadsPropertiesGetsMovesCopiesAndDeletes(new ClientSide.OnHost(server), folder);
    }

    @Test
    void curlSeesTheDavClassesPropertiesAndPreconditions() throws Exception {
        WebDavTools.curlSeesTheDavClassesPropertiesAndPreconditions(new ClientSide.OnHost(server), folder);
    }
}
