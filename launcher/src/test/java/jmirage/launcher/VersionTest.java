package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --version} and {@code -V}, at the top level and per unikernel. */
class VersionTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    @Test
    void theVersionIsTheMavenProjectVersionFilledInAtBuildTime() {
        assertTrue(Version.current().matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), Version.current());
    }

    @Test
    void topLevelVersion() {
        assertEquals("jmirage " + Version.current() + System.lineSeparator(), run("--version"));
        assertEquals("jmirage " + Version.current() + System.lineSeparator(), run("-V"));
    }

    @Test
    void perUnikernelVersion() {
        assertEquals("jmirage echo " + Version.current() + System.lineSeparator(), run("run", "echo", "--version"));
        assertEquals("jmirage dhcp-server " + Version.current() + System.lineSeparator(), run("run", "dhcp-server", "-V"));
    }
}
