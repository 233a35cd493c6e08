package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.ReadResult;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.Ipv6Config;
import jmirage.net.ipv6.Ipv6Addresses;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IPv6 of the direct stack against Linux's, on a TAP whose Linux end is in a network namespace this
 * test makes (names with a random suffix; fd00:24:S::/64 with random S; IPv4 10.24.S.0/24): ping -6
 * of the static and link-local addresses, a TCP echo over IPv6 from python3, and SLAAC from a router
 * advertisement that python3 sends from the namespace (radvd is not installed). As root.
 */
@Tag("root")
class Ipv6OnTapTest {

    private static final String PYTHON = "/usr/bin/python3";

    /** One TAP, namespace and stack for a test; closed by {@link #close}. */
    private record Setup(TapLink link, String prefix, HostScheduler loop, TapDevice tap, DirectStack stack) implements AutoCloseable {

        static Setup start(Ipv6Config ipv6, String prefix) throws Exception {
            return start(ipv6, prefix, false);
        }

        /** With {@code bridged}, the TAP is a port of a Linux bridge (multicast snooping on, no querier: the defaults) holding Linux's address. */
        static Setup start(Ipv6Config ipv6, String prefix, boolean bridged) throws Exception {
            Sh.requireRootNetworking();
            TapLink link = TapLink.random("j6t", "jm6ns", "10.24");
            HostScheduler loop = HostScheduler.start("ipv6-tap");
            HostClock clock = new HostClock();
            HostRandom random = new HostRandom();
            var log = ConsoleLog.create("ipv6-tap", LogLevel.INFO, clock);
            link.create();
            // Linux's own addresses on the TAP are usable at once (no 1 s of duplicate detection).
            Command.of(link.exec("sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0", "net.ipv6.conf.all.accept_dad=0")).run().ok();
            TapDevice tap = TapDevice.open(link.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            link.adoptTap();
            String linuxEnd = link.tap();
            if (bridged) {
                linuxEnd = "br" + link.tap();
                link.namespace().ip("link", "add", linuxEnd, "type", "bridge");
                link.namespace().ip("link", "set", link.tap(), "master", linuxEnd);
                link.namespace().ip("link", "set", linuxEnd, "up");
            }
            link.namespace().ip("-6", "addr", "add", prefix + "1/64", "dev", linuxEnd, "nodad");
            DirectStack stack = OnLoop.await(loop, () -> DirectStack.start(tap,
                    new Ipv4Config.Static(link.ourPrefix(), Optional.empty()), ipv6, clock, loop, random, log)).orElseThrow();
            return new Setup(link, prefix, loop, tap, stack);
        }

        Ran inNamespace(String... command) {
            return Command.of(link.exec(command)).timeout(Duration.ofSeconds(30)).run();
        }

        /** Waits (polling on the loop) until the stack lists {@code address}. */
        void awaitAddress(Inet6Address address) throws Exception {
            for (int i = 0; i < 100; i++) {
                List<?> addresses = OnLoop.await(loop, () -> Promise.resolved(stack.addresses()));
                if (addresses.contains(address)) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new AssertionError(address.getHostAddress() + " never came; the stack has " + stack.ipv6Addresses());
        }

        @Override
        public void close() throws Exception {
            try {
                OnLoop.await(loop, stack::close);
                OnLoop.await(loop, tap::close);
                loop.shutdown(Duration.ofSeconds(5));
            } finally {
                link.delete();
            }
        }
    }

    private static String randomPrefix() {
        return "fd00:24:" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1, 65536)) + "::";
    }

    private static Inet6Address ip6(String text) throws Exception {
        return (Inet6Address) java.net.InetAddress.getByName(text);
    }

    @Test
    void linuxPingsBothAddressesAndEchoesOverTcp() throws Exception {
        String prefix = randomPrefix();
        IpPrefix ours = IpPrefix.parse(prefix + "2/64").orElseThrow();
        try (Setup s = Setup.start(new Ipv6Config.Static(ours, Optional.empty()), prefix)) {
            s.awaitAddress((Inet6Address) ours.address());
            Ran ping = s.inNamespace("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", prefix + "2");
            assertTrue(ping.succeeded() && ping.out().contains("3 received"), ping.describe());
            String linkLocal = Ipv6Addresses.linkLocal(s.tap().mac()).getHostAddress();
            Ran ping2 = s.inNamespace("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", linkLocal + "%" + s.link().tap());
            assertTrue(ping2.succeeded() && ping2.out().contains("2 received"), ping2.describe());

            OnLoop.await(s.loop(), () -> s.stack().listenTcp(7, Ipv6OnTapTest::echo)).orElseThrow();
            byte[] data = new byte[300_000];
            ThreadLocalRandom.current().nextBytes(data);
            // python3 connects over IPv6, sends everything, half-closes, reads the echo to the end.
            String client = """
                    import socket, sys
                    data = sys.stdin.buffer.read()
                    s = socket.create_connection((sys.argv[1], 7), timeout=20)
                    s.sendall(data)
                    s.shutdown(socket.SHUT_WR)
                    back = bytearray()
                    while True:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        back += chunk
                    sys.stdout.buffer.write(back)
                    """;
            Ran echoed = Command.of(s.link().exec(PYTHON, "-c", client, prefix + "2")).stdin(data).timeout(Duration.ofSeconds(30)).run();
            assertTrue(echoed.succeeded(), echoed.describe());
            assertArrayEquals(data, echoed.stdout(), "300 kB back intact over TCP/IPv6");
        }
    }

    /**
     * Without MLD reports (decision 21): a Linux bridge with multicast snooping on and no querier, its
     * defaults, still floods the solicited-node group, so Linux resolves the unikernel and pings it.
     */
    @Test
    void behindALinuxBridgeWithSnoopingNeighborDiscoveryWorksWithoutMld() throws Exception {
        String prefix = randomPrefix();
        IpPrefix ours = IpPrefix.parse(prefix + "2/64").orElseThrow();
        try (Setup s = Setup.start(new Ipv6Config.Static(ours, Optional.empty()), prefix, true)) {
            Ran snooping = s.inNamespace("cat", "/sys/class/net/br" + s.link().tap() + "/bridge/multicast_snooping");
            assertTrue(snooping.out().trim().equals("1"), "snooping is on: " + snooping.describe());
            s.awaitAddress((Inet6Address) ours.address());
            Ran ping = s.inNamespace("ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", prefix + "2");
            assertTrue(ping.succeeded() && ping.out().contains("3 received"), ping.describe());
        }
    }

    /** Echoes what it reads until EOF, then closes. */
    private static void echo(Flow flow) {
        flow.read().onSuccess(r -> {
            if (r.orElseThrow() instanceof ReadResult.Data(Bytes b)) {
                flow.write(b).onSuccess(w -> echo(flow));
            } else {
                flow.shutdownOutput().onSuccess(x -> flow.close());
            }
        });
    }

    @Test
    void slaacTakesThePrefixOfARouterAdvertisementFromLinux() throws Exception {
        String prefix = randomPrefix();
        try (Setup s = Setup.start(new Ipv6Config.Slaac(), prefix)) {
            // An advertisement of PREFIX/64 with the on-link and autonomous flags (RFC 4861 4.2, 4.6.2), hop limit 255.
            String router = """
                    import socket, struct, sys, time
                    prefix = socket.inet_pton(socket.AF_INET6, sys.argv[2])
                    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
                    ra = struct.pack('!BBHBBHII', 134, 0, 0, 64, 0, 1800, 0, 0)
                    info = struct.pack('!BBBBIII', 3, 4, 64, 0xC0, 86400, 14400, 0) + prefix
                    for _ in range(3):
                        s.sendto(ra + info, ('ff02::1', 0, 0, socket.if_nametoindex(sys.argv[1])))
                        time.sleep(0.5)
                    """;
            Ran sent = s.inNamespace(PYTHON, "-c", router, s.link().tap(), prefix);
            assertTrue(sent.succeeded(), sent.describe());
            Inet6Address slaac = Ipv6Addresses.withInterfaceId(ip6(prefix), s.tap().mac());
            s.awaitAddress(slaac);
            Ran ping = s.inNamespace("ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", slaac.getHostAddress());
            assertTrue(ping.succeeded() && ping.out().contains("2 received"), ping.describe());
            List<String> routers = new ArrayList<>();
            OnLoop.await(s.loop(), () -> {
                s.stack().neighborDiscovery().orElseThrow().autoconfig().routers().forEach(r -> routers.add(r.address().getHostAddress()));
                return Promise.done();
            });
            assertTrue(routers.size() == 1 && routers.get(0).startsWith("fe80:"), "the advertising Linux end is the default router: " + routers);
        }
    }
}
