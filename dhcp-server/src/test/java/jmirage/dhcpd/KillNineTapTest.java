package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unikernel on the tap target in a child JVM, killed with SIGKILL right after dhclient got its
 * lease; a second instance on the same store (a dir Kv) gives a new client another address and
 * ACKs the first client's INIT-REBOOT: the lease written before the ACK survived.
 */
@Tag("peer")
@Tag("root")
class KillNineTapTest {

    static final TapLink LINK = TapLink.random("dhk", "dhcpk", "10.83");
    static final String TAP = LINK.tap();
    static final NetNamespace NS = LINK.namespace();
    static final String NET = LINK.subnet() + ".";

    @TempDir
    Path dir;
    final List<Started> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        children.forEach(Started::kill);
        LINK.delete();
    }

    /** Starts the unikernel in a child JVM; returns once it serves, with the TAP moved into the namespace. */
    private Started serve(String clientMac) throws Exception {
        Started p = ChildJvm.startReady(List.of(), TapServer.class, TAP, NET + "1/24", dir.resolve("kv").toString(),
                dir.resolve("dhcpd.conf").toString());
        children.add(p);
        NS.adoptTap(TAP, Optional.empty());
        NS.ip("link", "set", TAP, "address", clientMac);
        return p;
    }

    @Test
    void aSecondInstanceAfterKillNineHonoursTheGrantedLease() throws Exception {
        Sh.requireCommand("dhclient", "isc-dhcp-client");
        Sh.requireCommand("udhcpc", "udhcpc");
        Sh.requireRootNetworking();
        Files.writeString(dir.resolve("dhcpd.conf"), "default-lease-time 3600;\nsubnet " + NET + "0 netmask 255.255.255.0 {\n"
                + "  option routers " + NET + "1;\n  range " + NET + "100 " + NET + "110;\n}\n");
        Path script = dir.resolve("record.sh");
        Files.writeString(script, "#!/bin/sh\necho \"${reason:-$1} ${new_ip_address:-$ip}\" >> \"" + dir + "/events\"\nexit 0\n");
        script.toFile().setExecutable(true);
        String[] dhclient = {"ip", "netns", "exec", NS.name(), "dhclient", "-4", "-1", "-sf", script.toString(),
            "-lf", dir.resolve("dhclient.leases").toString(), "-pf", dir.resolve("dhclient.pid").toString(), "-cf", "/dev/null", TAP};
        LINK.create();

        Started first = serve("02:aa:bb:cc:01:01");
        Sh.ok(dhclient);
        Sh.ok("kill", Files.readString(dir.resolve("dhclient.pid")).trim());
        String granted = lastEvent("BOUND");
        Ran killed = first.kill(); // SIGKILL: no stop, no flush
        assertEquals(137, killed.exit(), "killed by SIGKILL");

        serve("02:aa:bb:cc:01:02");
        Sh.ok("ip", "netns", "exec", NS.name(), "udhcpc", "-i", TAP, "-f", "-q", "-n", "-t", "5", "-T", "1", "-s", script.toString());
        String other = lastEvent("bound");
        assertNotEquals(granted, other, "the restarted server gave a live lease to a second client");

        NS.ip("addr", "flush", "dev", TAP);
        NS.ip("link", "set", TAP, "address", "02:aa:bb:cc:01:01");
        Sh.ok(dhclient);
        Sh.ok("kill", Files.readString(dir.resolve("dhclient.pid")).trim());
        assertEquals(granted, lastEvent("REBOOT"), "INIT-REBOOT after the restart is ACKed with the same address");
    }

    private String lastEvent(String reason) throws Exception {
        List<String> events = Files.readAllLines(dir.resolve("events"));
        return events.stream().filter(e -> e.startsWith(reason + " ")).reduce((a, b) -> b)
                .map(e -> e.substring(reason.length() + 1))
                .orElseThrow(() -> new AssertionError("no " + reason + " in " + events));
    }
}
