package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void listNamesEveryUnikernelWithItsDescription() {
        assertEquals(0, run("list"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(10, lines.size(), out.toString());
        // By name (Catalog): the order of the class path is not the launcher's to rely on.
        assertTrue(lines.get(0).matches("btc-pinata\\s+the Bitcoin Pi.*"), lines.get(0));
        assertTrue(lines.get(1).matches("caldav\\s+CalDAV server.*"), lines.get(1));
        assertTrue(lines.get(2).matches("canopy\\s+website from a git repository.*"), lines.get(2));
        assertTrue(lines.get(3).matches("dhcp-server\\s+DHCPv4 server.*"), lines.get(3));
        assertTrue(lines.get(4).matches("dns-authoritative\\s+authoritative DNS server.*"), lines.get(4));
        assertTrue(lines.get(5).matches("dns-resolver\\s+validating recursive DNS resolver.*"), lines.get(5));
        assertTrue(lines.get(6).matches("echo\\s+echo, discard and chargen.*"), lines.get(6));
        assertTrue(lines.get(7).matches("openvpn-client\\s+OpenVPN 2.6 client.*"), lines.get(7));
        assertTrue(lines.get(8).matches("qubes-firewall\\s+QubesOS firewall VM.*"), lines.get(8));
        assertTrue(lines.get(9).matches("speaking-clock\\s+says the wall time.*"), lines.get(9));
    }

    @Test
    void helpListsCommonAndOwnParametersWithDefaults() {
        assertEquals(0, run("run", "echo", "--help"));
        String help = out.toString();
        for (String expected : new String[] {"--port-base=N", "Default: 0", "--listen=ADDR", "Default: 127.0.0.1",
                "--log-level=LEVEL", "--stop-timeout=SECONDS", "--target=TARGET"}) {
            assertTrue(help.contains(expected), "help mentions " + expected + ":\n" + help);
        }
    }

    @Test
    void everyUnikernelHasHelp() {
        for (var unikernel : Catalog.ALL) {
            assertEquals(0, run("run", unikernel.name(), "--help"), err.toString());
            assertTrue(out.toString().contains("Usage: unikernel run " + unikernel.name()), out.toString());
        }
    }

    @Test
    void badInputGetsAClearErrorAndUsageStatus() {
        assertEquals(Main.EXIT_USAGE, run("run", "nope"));
        assertTrue(err.toString().contains("no unikernel named 'nope'"), err.toString());

        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--port-base", "seven"));
        assertTrue(err.toString().contains("--port-base"), err.toString());

        assertEquals(Main.EXIT_USAGE, run("run", "echo", "--target", "xen"));
        assertTrue(err.toString().contains("host"), err.toString());

        assertEquals(Main.EXIT_USAGE, run("frobnicate"));
        assertEquals(Main.EXIT_USAGE, run());
    }
}
