package jmirage.qubes.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jmirage.testkit.Command;
import jmirage.testkit.NetNamespace;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unikernel on the tap target between Linux clients and an upstream in namespaces
 * ({@link TapFirewall}): the anchor's cases (qubes-mirage-firewall's test: UDP fetch allowed, ping
 * blocked, TCP to allowed ports only, DNS only through specialtarget=dns), client to client blocked,
 * a spoofed source dropped, and a rule changed while a TCP connection is open taking effect within a
 * second. As root.
 */
@Tag("root")
@Tag("peer")
class FirewallOnTapTargetTest {

    @TempDir
    static Path dir;
    static TapFirewall firewall;
    static Started servers;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("ping", "iputils-ping");
        firewall = TapFirewall.start(Packets.feed(), List.of("10.34.0.53"));
        servers = Command.of(TapFirewall.UP.exec("python3", TapFirewall.script(dir, "servers.py").toString(), "10.34.0.5,10.34.0.53", "udp:1235", "udp:1236",
                "udp:53", "tcp:6668", "tcp:80", "tcp:53", "tcp:9000")).timeout(Duration.ofMinutes(5)).start();
        servers.awaitOutput("ready", Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.kill();
        }
        if (firewall != null) {
            firewall.close();
        }
    }

    static boolean udpFetch(NetNamespace from, String host, int port, String source) {
        Ran ran = Command.of(from.exec("python3", "-c", """
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                if sys.argv[3]: s.bind((sys.argv[3], 0))
                s.settimeout(1)
                s.sendto(b'fetch', (sys.argv[1], int(sys.argv[2])))
                print(s.recvfrom(100)[0].decode())
                """, host, Integer.toString(port), source)).run();
        return ran.exit() == 0 && ran.out().strip().equals("fetch");
    }

    static boolean tcpConnects(NetNamespace from, String host, int port) {
        return Command.of(from.exec("python3", "-c", "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)",
                host, Integer.toString(port))).run().exit() == 0;
    }

    static boolean pings(NetNamespace from, String host) {
        return Command.of(from.exec("ping", "-c", "1", "-W", "1", host)).run().exit() == 0;
    }

    @Test
    void theAnchorsCases() throws Exception {
        assertTrue(udpFetch(TapFirewall.A, "10.34.0.5", 1235, ""), "UDP fetch allowed");
        assertFalse(udpFetch(TapFirewall.A, "10.34.0.5", 1236, ""), "UDP to another port dropped");
        assertTrue(pings(TapFirewall.A, "10.34.0.5"), "ping the server: icmptype=8 to it");
        assertFalse(pings(TapFirewall.A, "10.34.0.53"), "ping blocked elsewhere");
        assertTrue(tcpConnects(TapFirewall.A, "10.34.0.5", 6668), "TCP to an allowed port");
        assertFalse(tcpConnects(TapFirewall.A, "10.34.0.5", 80), "TCP only to the allowed ports");
        assertTrue(udpFetch(TapFirewall.A, "10.34.0.53", 53, ""), "DNS over UDP through specialtarget=dns");
        assertTrue(tcpConnects(TapFirewall.A, "10.34.0.53", 53), "DNS over TCP through specialtarget=dns");
        assertFalse(udpFetch(TapFirewall.A, "10.34.0.5", 53, ""), "DNS only to the DNS servers");
        assertTrue(firewall.count(Packets.CLIENT_A, "rule") >= 4);
    }

    @Test
    void clientToClientIsBlocked() throws Exception {
        assertTrue(pings(TapFirewall.B, "10.34.0.5"), "B's policy accepts what leaves");
        assertFalse(pings(TapFirewall.B, "10.33.0.2"), "but not to A");
        assertFalse(pings(TapFirewall.A, "10.33.0.3"));
        assertTrue(firewall.count(Packets.CLIENT_B, "client_to_client") >= 1);
    }

    @Test
    void aSpoofedSourceIsDropped() throws Exception {
        TapFirewall.A.ip("addr", "add", "10.33.0.3/32", "dev", "eth0"); // B's address, from A's MAC
        try {
            long before = firewall.count(Packets.CLIENT_A, "spoofed");
            assertFalse(udpFetch(TapFirewall.A, "10.34.0.5", 1235, "10.33.0.3"));
            assertTrue(firewall.count(Packets.CLIENT_A, "spoofed") > before);
            assertTrue(udpFetch(TapFirewall.A, "10.34.0.5", 1235, "10.33.0.2"), "its own address still works");
        } finally {
            TapFirewall.A.ip("addr", "del", "10.33.0.3/32", "dev", "eth0");
        }
    }

    @Test
    void aRuleChangedWhileAConnectionIsOpenTakesEffectWithinASecond() throws Exception {
        try (Started ticker = Command.of(TapFirewall.B.exec("python3", TapFirewall.script(dir, "ticker.py").toString(), "10.34.0.5",
                "9000", "4")).timeout(Duration.ofSeconds(30)).start()) {
            ticker.awaitOutput("connected", Duration.ofSeconds(5));
            Thread.sleep(1000);
            int received = received(servers.out());
            assertTrue(received >= 10, "lines before the change: " + received);
            double changedAt = System.currentTimeMillis() / 1000.0;
            firewall.set(Map.of("qubes-firewall/10.33.0.3/policy", "drop"));
            Ran done = ticker.waitFor(Duration.ofSeconds(10));
            assertTrue(done.out().contains("sent"), done.out() + done.err());
            List<Double> times = servers.out().lines().filter(l -> l.startsWith("got ")).map(l -> Double.parseDouble(l.split(" ")[2]))
                    .toList();
            double last = times.getLast();
            System.out.printf("rule change: last line of the open connection arrived %.3f s after the feed changed; lines at %s%n",
                    last - changedAt, times.stream().skip(Math.max(0, times.size() - 6)).map(t -> "%.3f".formatted(t - changedAt)).toList());
            assertTrue(times.stream().filter(t -> t > changedAt - 0.5).count() >= 3, "the connection was alive just before the change");
            assertTrue(last - changedAt < 1.0, "the last line arrived " + (last - changedAt) + " s after the change");
            assertEquals(0, firewall.natMappingsOf(Packets.CLIENT_B), "its mapping removed");
            assertTrue(firewall.count(Packets.CLIENT_B, "rule") >= 1);
        } finally {
            firewall.set(Map.of("qubes-firewall/10.33.0.3/policy", "accept"));
        }
    }

    /** The lines the TCP server got so far. */
    static int received(String out) {
        return (int) out.lines().filter(l -> l.startsWith("got ")).count();
    }
}
