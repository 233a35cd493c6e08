package jmirage.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The TAP device against the Linux kernel, in a network namespace of its own: the device creates
 * the interface in the test's namespace, the test moves it into a fresh namespace and gives the
 * Linux side 10.77.N.1/24; the device plays 10.77.N.2 with raw frames.
 */
@Tag("peer")
@Tag("root")
class TapDeviceTest {

    private final TapLink link = TapLink.random("jmt", "jmtns", "10.77");
    private final String tapName = link.tap();
    private final byte[] linuxIp = InetAddress.ofLiteral(link.linuxIp()).getAddress();
    private final byte[] ourIp = InetAddress.ofLiteral(link.ourIp()).getAddress();
    private final HostClock clock = new HostClock();
    private final RecordingLog log = ConsoleLog.create("tap-test", LogLevel.DEBUG, clock);
    private HostScheduler scheduler;
    private TapDevice tap;

    @BeforeEach
    void setUp() throws Exception {
        Sh.requireRootNetworking();
        scheduler = HostScheduler.start("tap-test", transport());
        link.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (tap != null) {
            OnLoop.await(scheduler, () -> tap.close());
        }
        link.delete();
        scheduler.shutdown(Duration.ofSeconds(5));
    }

    /** The loop's transport: on epoll the loop reads the TAP itself; {@link TapDeviceNioTest} runs the reader thread. */
    Transport transport() {
        return Transport.epoll();
    }

    private BlockingQueue<Bytes> openAndMove(Optional<MacAddress> mac) throws Exception {
        Result<TapDevice, OpenError> opened = TapDevice.open(tapName, mac, scheduler, new HostRandom(), log);
        tap = opened.orElseThrow(e -> new IllegalStateException(e.describe()));
        assertEquals(transport().socket() == io.netty.channel.epoll.EpollSocketChannel.class, tap.readsOnLoop(),
                "the loop reads the TAP on epoll, a reader thread on NIO");
        assertEquals(!"false".equals(System.getProperty(TapDevice.OFFLOAD_PROPERTY)), tap.offloads(),
                "the virtio_net_hdr and its offloads unless switched off");
        BlockingQueue<Bytes> frames = new LinkedBlockingQueue<>();
        scheduler.execute(() -> tap.receive(frame -> {
            assertTrue(scheduler.inLoop());
            frames.add(frame);
        }));
        link.adoptTap();
        return frames;
    }

    private String inNs(String... command) throws Exception {
        return Command.of(link.exec(command)).run().ok().out();
    }

    private static Bytes next(BlockingQueue<Bytes> frames, Predicate<Bytes> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Bytes f = frames.poll(100, TimeUnit.MILLISECONDS);
            if (f != null && wanted.test(f)) {
                return f;
            }
        }
        throw new AssertionError("no " + what + " within 10 s");
    }

    @Test
    void theKernelResolvesOurAddressAndPingGetsOurReplies() throws Exception {
        MacAddress mac = MacAddress.parse("02:77:00:00:00:02").orElseThrow();
        BlockingQueue<Bytes> frames = openAndMove(Optional.of(mac));
        try (Started ping = Command.of(link.exec("ping", "-c", "3", "-i", "0.2", "-W", "5",
                link.ourIp())).start()) {
            Bytes request = next(frames, f -> Frames.isArpRequestFor(f, ourIp), "ARP request for our address");
            assertEquals(Frames.ETHERTYPE_ARP, Frames.etherType(request));
            scheduler.execute(() -> tap.send(Frames.arpReply(request, mac, ourIp)));
            for (int i = 0; i < 3; i++) {
                Bytes echo = next(frames, f -> Frames.isEchoRequestTo(f, ourIp), "ICMP echo request after our ARP reply");
                assertEquals(mac, Frames.mac(echo, 0), "the kernel addresses the echo request to our MAC");
                scheduler.execute(() -> tap.send(Frames.echoReply(echo)));
            }
            Ran ended = ping.waitFor(Duration.ofSeconds(15)).ok();
            assertTrue(ended.out().contains("3 received"), ended::describe);
        }
        String neighbours = inNs("ip", "neigh", "show", "dev", tapName);
        assertTrue(neighbours.contains(link.ourIp() + " lladdr 02:77:00:00:00:02"), neighbours);
        String counters = OnLoop.await(scheduler, () -> jmirage.core.Promise.resolved(tap.counters()));
        assertTrue(counters.startsWith("sent 4,"), counters);
    }

    @Test
    void aGratuitousArpFromUsReachesTheKernelsNeighbourTable() throws Exception {
        BlockingQueue<Bytes> frames = openAndMove(Optional.empty());
        MacAddress mac = tap.mac();
        assertEquals(0x02, (mac.value() >>> 40) & 0x03, "a random MAC is unicast and locally administered");
        // An ARP request from us to Linux: Linux answers and, per RFC 826, learns our address.
        Bytes ask = Frames.arp(1, mac, ourIp, new MacAddress(0), linuxIp, new MacAddress(0xffff_ffff_ffffL));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Bytes answer = null;
        while (answer == null && System.nanoTime() < deadline) {
            scheduler.execute(() -> tap.send(ask));
            Bytes f = frames.poll(300, TimeUnit.MILLISECONDS);
            if (f != null && Frames.etherType(f) == Frames.ETHERTYPE_ARP && f.getUnsigned(21) == 2) {
                answer = f;
            }
        }
        assertNotNull(answer, "Linux answers our ARP request");
        assertEquals(mac, Frames.mac(answer, 0));
        assertArrayEquals(linuxIp, answer.slice(28, 32).toArray(), "the sender address of the reply is the Linux end");
        String neighbours = inNs("ip", "neigh", "show", "dev", tapName);
        assertTrue(neighbours.contains(mac.toString()), neighbours);
    }

    @Test
    void framesLargerThanTheMtuAreDroppedNotSent() throws Exception {
        openAndMove(Optional.empty());
        String counters = OnLoop.await(scheduler, () -> {
            tap.send(Bytes.adopt(new byte[TapDevice.MTU + 15]));
            tap.send(Bytes.adopt(new byte[5]));
            return jmirage.core.Promise.resolved(tap.counters());
        });
        assertTrue(counters.startsWith("sent 0, received") && counters.contains("dropped out 2"), counters);
    }

    @Test
    void closingRemovesTheInterfaceItCreated() throws Exception {
        openAndMove(Optional.empty());
        assertTrue(inNs("ip", "link", "show").contains(tapName));
        long started = System.nanoTime();
        OnLoop.await(scheduler, () -> tap.close());
        tap = null;
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "close ends the reader promptly");
        assertFalse(inNs("ip", "link", "show").contains(tapName), "a non-persistent TAP vanishes on close");
    }

    @Test
    void attachesToAnInterfaceTheOperatorCreated() throws Exception {
        Sh.ok("ip", "tuntap", "add", "dev", tapName, "mode", "tap");
        tap = TapDevice.open(tapName, Optional.empty(), scheduler, new HostRandom(), log).orElseThrow(e -> new IllegalStateException(e.describe()));
        OnLoop.await(scheduler, () -> tap.close());
        tap = null;
        assertTrue(Sh.ok("ip", "link", "show", tapName).contains(tapName), "a persistent TAP stays after close");
    }

    @Test
    void refusesATunInterfaceAndBadNames() throws Exception {
        Sh.ok("ip", "tuntap", "add", "dev", tapName, "mode", "tun");
        Result<TapDevice, OpenError> tun = TapDevice.open(tapName, Optional.empty(), scheduler, new HostRandom(), log);
        assertTrue(tun instanceof Result.Err<TapDevice, OpenError>(OpenError.TapRefused(String name, int errno, String why))
                && name.equals(tapName) && errno == 22, tun.toString());
        assertTrue(((Result.Err<TapDevice, OpenError>) tun).error().describe().contains("TUN interface rather than a TAP"));
        for (String bad : List.of("", "a-name-that-is-too-long", "a/b", "a b")) {
            assertEquals(Result.err(new OpenError.BadInterfaceName(bad)),
                    TapDevice.open(bad, Optional.empty(), scheduler, new HostRandom(), log), bad);
        }
    }
}
