package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.testkit.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 4 and 6, through the launcher in a child JVM: {@code ./unikernel check} on a good,
 * a broken and a missing configuration; SIGHUP reloads a running DHCP server (good change served,
 * bad change refused, never an exit); SIGTERM ends a tap-target boot that waits for a DHCP lease.
 */
@Tag("root")
class CheckAndSignalsProcessTest {

    static final String SAMPLE = "../dhcp-server/dhcpd.conf.sample";

    @TempDir
    Path dir;

    @Test
    void checkPassesOnTheSampleConfiguration() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        Files.copy(Path.of(SAMPLE), dir.resolve("store/dhcpd.conf"));
        try (ChildLauncher check = new ChildLauncher("check", "dhcp-server", "--kv", "dir:" + dir.resolve("store"))) {
            assertEquals(0, check.exitStatus(), check.output());
            check.awaitLine("dhcp-server: no problems (boot parameters, and what it reads from the store dir:" + dir.resolve("store") + ")");
        }
    }

    @Test
    void checkNamesTheFileTheLineAndTheReasonAndExitsOne() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        Files.writeString(dir.resolve("store/dhcpd.conf"),
                "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.10;\n  option rooters 10.60.0.1;\n}\n");
        try (ChildLauncher check = new ChildLauncher("check", "dhcp-server", "--kv", "dir:" + dir.resolve("store"))) {
            assertEquals(1, check.exitStatus(), check.output());
            check.awaitLine("dhcpd.conf:3: unknown option 'rooters'");
            check.awaitLine("dhcp-server: 1 problem");
        }
    }

    @Test
    void checkOfAMissingStoreSaysSoAndCreatesNothing() throws Exception {
        Path missing = dir.resolve("no-such-store");
        try (ChildLauncher check = new ChildLauncher("check", "dhcp-server", "--kv", "dir:" + missing)) {
            assertEquals(1, check.exitStatus(), check.output());
            check.awaitLine("the store dir:" + missing + " does not exist");
        }
        assertFalse(Files.exists(missing));
    }

    @Test
    void aCheckUsageErrorExitsTwo() throws Exception {
        try (ChildLauncher check = new ChildLauncher("check", "dhcp-server", "--port")) {
            assertEquals(Main.EXIT_USAGE, check.exitStatus(), check.output());
        }
    }

    /**
     * The server on the host target at high ports; a relay agent at 127.0.0.2 asks for offers
     * (RFC 2131 4.1: the reply goes to giaddr on the server port), which show the range in effect.
     */
    @Test
    void sighupReloadsAGoodConfigurationAndKeepsTheOldOneOverABadOne() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("dhcpd.conf"), range("127.0.5.10 127.0.5.20"));
        Inet4Address relay = (Inet4Address) InetAddress.getByName("127.0.0.2");
        try (DatagramSocket relaySocket = boundHighPort(relay)) {
            int port = relaySocket.getLocalPort();
            relaySocket.setSoTimeout(5000);
            try (ChildLauncher server = new ChildLauncher("run", "dhcp-server", "--kv", "dir:" + store, "--port",
                    Integer.toString(port), "--client-port", Integer.toString(port + 1), "--http-port", "0")) {
                server.awaitLine("dhcp on udp " + port);
                assertEquals("127.0.5.10", offer(relaySocket, relay, port, 1));

                Files.writeString(store.resolve("dhcpd.conf"), range("127.0.6.10 127.0.6.20"));
                server.signal("HUP");
                server.awaitLine("runner: reloaded configuration");
                String fromTheNewRange = offer(relaySocket, relay, port, 2);
                assertTrue(fromTheNewRange.startsWith("127.0.6."), fromTheNewRange);

                Files.writeString(store.resolve("dhcpd.conf"), range("127.0.7.10 127.0.7.300"));
                server.signal("HUP");
                server.awaitLine("dhcpd.conf:3: expected an IPv4 address, got 127.0.7.300");
                server.awaitLine("a problem in the new configuration: keeping the previous configuration");
                String stillFromIt = offer(relaySocket, relay, port, 3);
                assertTrue(stillFromIt.startsWith("127.0.6.") && !stillFromIt.equals(fromTheNewRange), stillFromIt);
                assertTrue(server.process.isAlive(), "still serving after two SIGHUPs");

                server.signal("TERM");
                assertEquals(0, server.exitStatus(), server.output());
            }
        }
    }

    static String range(String range) {
        return "authoritative;\nsubnet 127.0.0.0 netmask 255.0.0.0 {\n  range " + range + ";\n}\n";
    }

    static DatagramSocket boundHighPort(InetAddress address) throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(40_000, 50_000);
            try (DatagramSocket probe = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                return new DatagramSocket(new InetSocketAddress(address, port));
            } catch (IOException e) {
                if (attempt == 50) {
                    throw e;
                }
            }
        }
    }

    /** A DISCOVER relayed from {@code relay}; the address the OFFER makes. */
    static String offer(DatagramSocket relaySocket, Inet4Address relay, int serverPort, int client) throws IOException {
        Inet4Address zero = (Inet4Address) InetAddress.getByName("0.0.0.0");
        DhcpMessage discover = new DhcpMessage(DhcpMessage.BOOTREQUEST, 0x1400 + client, 0, zero, zero, zero,
                new MacAddress(0x02_00_00_00_14_00L + client), Map.of(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) DhcpMessage.DISCOVER)),
                1, 0, relay, Bytes.EMPTY, Bytes.EMPTY);
        byte[] bytes = discover.encode().toArray();
        for (int attempt = 0; attempt < 3; attempt++) {
            relaySocket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort)));
            DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
            try {
                relaySocket.receive(answer);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (DhcpMessage.parse(Bytes.of(answer.getData(), 0, answer.getLength())) instanceof Result.Ok<DhcpMessage, ?>(DhcpMessage m)
                    && m.messageType().orElse(0) == DhcpMessage.OFFER && m.xid() == 0x1400 + client) {
                return m.yiaddr().getHostAddress();
            }
        }
        throw new AssertionError("no OFFER for client " + client);
    }

    /**
     * A tap-target boot waiting for a DHCP lease on an interface where nothing answers: SIGTERM ends
     * the boot at once with exit 0 (it used to be ignored, and the boot gave up after 30 s with exit
     * 1). Needs root: it creates the TAP interface.
     */
    @Test
    void sigtermDuringATapBootThatWaitsForALeaseExitsZeroAtOnce() throws Exception {
        try (ChildLauncher echo = bootingOnTap("w1boot0")) {
            long began = System.nanoTime();
            echo.signal("TERM");
            assertFalse(echo.process.waitFor(Duration.ofSeconds(3)).timedOut(), "exited within 3 s of SIGTERM:\n" + echo.output());
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertEquals(0, echo.exitStatus(), echo.output());
            echo.awaitLine("runner: boot of echo aborted on SIGTERM");
            assertTrue(tookMillis < 3000, "took " + tookMillis + " ms");
        } finally {
            sh("ip", "link", "del", "w1boot0");
        }
    }

    /** SIGHUP during that boot is ignored with a line (it used to kill the process, exit 129). */
    @Test
    void aSighupIgnoredFromTheStartIsSaidAtBoot() throws Exception {
        // nohup starts the JVM with SIGHUP ignored; the JVM then keeps it so and no reload can come
        try (ChildLauncher clock = new ChildLauncher(List.of("nohup"), "run", "speaking-clock", "--kv", "mem")) {
            clock.awaitLine("SIGHUP is ignored by this process (started with nohup?)");
            assertEquals(0, clock.terminate(), clock.output());
        }
        try (ChildLauncher clock = new ChildLauncher("run", "speaking-clock", "--kv", "mem")) {
            clock.awaitLine("booting speaking-clock");
            clock.signal("TERM");
            assertEquals(0, clock.exitStatus(), clock.output());
            assertFalse(clock.output().contains("SIGHUP is ignored"), clock.output());
        }
    }

    @Test
    void sighupDuringBootIsIgnored() throws Exception {
        try (ChildLauncher echo = bootingOnTap("w1boot1")) {
            echo.signal("HUP");
            echo.awaitLine("runner: ignoring SIGHUP: still booting");
            Thread.sleep(200);
            assertTrue(echo.process.isAlive(), "SIGHUP during boot does not end it:\n" + echo.output());
            echo.signal("TERM");
            assertEquals(0, echo.exitStatus(), echo.output());
        } finally {
            sh("ip", "link", "del", "w1boot1");
        }
    }

    /** echo on the tap target, on a new TAP interface {@code tap} with nothing on it: booting until it has a lease. */
    static ChildLauncher bootingOnTap(String tap) throws Exception {
        sh("ip", "tuntap", "add", "dev", tap, "mode", "tap");
        sh("ip", "link", "set", tap, "up");
        ChildLauncher echo = new ChildLauncher("run", "echo", "--target", "tap", "--tap", tap, "--kv", "mem", "--port-base", "17000");
        try {
            echo.awaitLine("attached to TAP " + tap);
        } catch (AssertionError e) {
            echo.close();
            throw e;
        }
        return echo;
    }

    static void sh(String... command) {
        Command.of(command).timeout(Duration.ofSeconds(10)).run().ok();
    }
}
