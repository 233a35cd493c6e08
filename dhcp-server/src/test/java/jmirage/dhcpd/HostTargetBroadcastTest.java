package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host target: the unikernel on the host's sockets, bound to 0.0.0.0 port 67 (in a child JVM
 * inside a namespace of its own, so the test needs no port of the real host), receives udhcpc's
 * broadcast DISCOVER from 0.0.0.0 over a veth pair and answers by broadcast (SO_BROADCAST), and the
 * client is bound with the configured router and DNS.
 */
@Tag("peer")
@Tag("root")
class HostTargetBroadcastTest {

    private static final String SUFFIX = NetNamespace.uniqueSuffix();
    static final NetNamespace SERVER_NS = new NetNamespace("dhcphs" + SUFFIX);
    static final NetNamespace CLIENT_NS = new NetNamespace("dhcphc" + SUFFIX);
    static final String NET = "10.84." + NetNamespace.randomSubnet() + ".";

    @TempDir
    Path dir;
    Started server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.kill();
        }
        SERVER_NS.delete();
        CLIENT_NS.delete();
    }

    @Test
    void udhcpcGetsALeaseFromTheHostTargetByBroadcast() throws Exception {
        Sh.requireCommand("udhcpc", "udhcpc");
        Sh.requireRootNetworking();
        SERVER_NS.create();
        CLIENT_NS.create();
        SERVER_NS.ip("link", "add", "vs", "type", "veth", "peer", "name", "vc", "netns", CLIENT_NS.name());
        SERVER_NS.ip("addr", "add", NET + "1/24", "dev", "vs");
        SERVER_NS.ip("link", "set", "vs", "up");
        SERVER_NS.ip("link", "set", "lo", "up");
        // The host routes limited broadcasts out of the served interface (the operator's setup, see README).
        SERVER_NS.ip("route", "add", "255.255.255.255/32", "dev", "vs");
        CLIENT_NS.ip("link", "set", "vc", "up");
        Files.writeString(dir.resolve("dhcpd.conf"), "option domain-name \"host.test\";\nsubnet " + NET + "0 netmask 255.255.255.0 {\n"
                + "  option routers " + NET + "1;\n  option domain-name-servers " + NET + "1;\n  range " + NET + "50 " + NET + "60;\n}\n");
        Path script = dir.resolve("record.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"$ip $router $dns $domain\" > \"" + dir + "/bound.tmp\" && mv \""
                + dir + "/bound.tmp\" \"" + dir + "/bound\"\nexit 0\n");
        script.toFile().setExecutable(true);

        server = ChildJvm.startReady(SERVER_NS.exec(), HostServer.class, "0.0.0.0", dir.resolve("kv").toString(),
                dir.resolve("dhcpd.conf").toString());

        Ran run = Command.of("ip", "netns", "exec", CLIENT_NS.name(), "udhcpc", "-i", "vc", "-f", "-q", "-n", "-t", "5", "-T", "1",
                "-s", script.toString()).timeout(Duration.ofSeconds(30)).run();
        assertEquals(0, run.exit(), run.out() + run.err() + server.err());
        String[] bound = Files.readString(dir.resolve("bound")).trim().split(" ");
        assertTrue(bound[0].startsWith(NET) && Integer.parseInt(bound[0].substring(NET.length())) >= 50, bound[0]);
        assertEquals(NET + "1", bound[1]);
        assertEquals(NET + "1", bound[2]);
        assertEquals("host.test", bound[3]);
        assertTrue(run.err().contains("broadcasting discover"), run.err());
    }
}
