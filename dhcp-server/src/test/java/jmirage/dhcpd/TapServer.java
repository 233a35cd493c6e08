package jmirage.dhcpd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Log;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.kv.dir.DirKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.OnLoop;

/**
 * The unikernel on the tap target, as the launcher's TapTarget assembles it (host loop, clock and
 * randomness, a dir Kv, a TAP device with the direct stack), for tests: in-process, or as the main
 * of a child JVM that a test kills with SIGKILL.
 */
final class TapServer implements AutoCloseable {

    final HostScheduler scheduler;
    final TapDevice tap;
    final DirectStack stack;
    final Kv kv;
    final Unikernel.Running running;
    final Metrics metrics;

    private TapServer(HostScheduler scheduler, TapDevice tap, DirectStack stack, Kv kv, Unikernel.Running running, Metrics metrics) {
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.tap = tap;
        this.stack = stack;
        this.kv = kv;
        this.running = running;
    }

    /** Boots on TAP {@code tapName} (created), address {@code cidr}, store in {@code kvDir} with {@code conf} as dhcpd.conf. */
    static TapServer boot(String tapName, String cidr, Path kvDir, String conf, int httpPort) throws Exception {
        HostScheduler scheduler = HostScheduler.start("dhcpd-tap");
        Clock clock = new HostClock();
        HostRandom random = new HostRandom();
        Log log = ConsoleLog.create("dhcp-server", LogLevel.INFO, clock);
        Files.createDirectories(kvDir);
        Kv kv = await(scheduler, () -> DirKv.open(kvDir, scheduler)).orElseThrow(e -> new IllegalStateException(e.describe()));
        await(scheduler, () -> kv.set(Key.of("dhcpd.conf"), Bytes.utf8(conf))).orElseThrow();
        TapDevice tap = TapDevice.open(tapName, Optional.of(new MacAddress(0x02_00_5e_00_00_01L)), scheduler, random, log.named("tap"))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        DirectStack stack = await(scheduler, () -> DirectStack.start(tap,
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength(cidr).orElseThrow(), Optional.empty()), clock, scheduler, random, log.named("net")))
                .orElseThrow(e -> new IllegalStateException(e.describe()));
        DhcpServer.Parameters p = new DhcpServer.Parameters();
        p.httpPort = httpPort;
        p.offerHold = 30;
        DhcpServer unikernel = new DhcpServer();
        Metrics metrics = new Metrics();
        DhcpServer.Devices devices = new DhcpServer.Devices(stack, Optional.of(stack), kv, clock, random, scheduler, log, metrics);
        Unikernel.Running running = await(scheduler, () -> unikernel.start(devices, p)).orElseThrow(IllegalStateException::new);
        return new TapServer(scheduler, tap, stack, kv, running, metrics);
    }

    @Override
    public void close() throws Exception {
        await(scheduler, running::stop);
        await(scheduler, stack::close);
        await(scheduler, tap::close);
        await(scheduler, kv::close);
        scheduler.shutdown(Duration.ofSeconds(5));
    }

    static <T> T await(HostScheduler loop, Supplier<Promise<T>> action) throws Exception {
        return OnLoop.await(loop, action);
    }

    /** Child JVM entry: TAP CIDR KV-DIR CONF-FILE; prints READY once serving, then serves until killed. */
    public static void main(String[] args) throws Exception {
        TapServer server = boot(args[0], args[1], Path.of(args[2]), Files.readString(Path.of(args[3])), 0);
        System.out.println("READY " + server.stack.mac());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
