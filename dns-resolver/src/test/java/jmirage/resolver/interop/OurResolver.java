package jmirage.resolver.interop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.resolver.DnsResolver;
import jmirage.resolver.interop.PeerResolvers.UnderTest;
import jmirage.testkit.OnLoop;

/**
 * Our resolver on the host target, booted in-process through {@link DnsResolver}'s own
 * {@code start} (the real core: recursion, validation), on its own loop, its Stack the host's
 * sockets bound to one loopback address, so that it too asks the authorities from 127/8 only. Its
 * store (a MemKv) holds the hierarchy's hints and trust anchor, given as {@code --root-hints} and
 * {@code --trust-anchor}; the rate limit is off, as the peers have none.
 */
public final class OurResolver {

    private OurResolver() {}

    /** Port 53 for DNS, and DoT and DoH on the given ports (0: off). */
    public static UnderTest start(Hierarchy hierarchy, InetAddress listen, int dotPort, int dohPort) throws Exception {
        HostScheduler scheduler = HostScheduler.start("resolver-interop");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
        RecordingLog log = new RecordingLog("dns-resolver", LogLevel.INFO, clock, records::add);
        try {
            HostStack stack = new HostStack(scheduler, listen);
            MemKv kv = new MemKv(clock);
            Bytes hints = Bytes.utf8(Files.readString(hierarchy.hints()));
            Bytes anchor = Bytes.utf8(Files.readString(hierarchy.trustAnchor()));
            OnLoop.await(scheduler, () -> kv.set(Key.of("root.hints"), hints)).orElseThrow();
            OnLoop.await(scheduler, () -> kv.set(Key.of("root.ds"), anchor)).orElseThrow();
            DnsResolver.Parameters p = new DnsResolver.Parameters();
            p.port = 53;
            p.rootHints = "root.hints";
            p.trustAnchor = "root.ds";
            p.rateLimit = 0;
            p.dotPort = dotPort;
            p.dohPort = dohPort;
            DnsResolver.Devices devices = new DnsResolver.Devices(stack, scheduler, clock, log, kv, random, new Metrics());
            Unikernel.Running running = OnLoop.await(scheduler, () -> new DnsResolver().start(devices, p))
                    .orElseThrow(why -> new IllegalStateException("our resolver did not start: " + why));
            AutoCloseable stop = () -> {
                OnLoop.await(scheduler, running::stop);
                OnLoop.await(scheduler, stack::close);
                scheduler.shutdown(Duration.ofSeconds(10));
            };
            return new UnderTest("ours", new InetSocketAddress(listen, 53), java.util.OptionalLong.empty(),
                    () -> records.stream().map(LogRecord::format).collect(Collectors.joining("\n")), stop);
        } catch (Exception | Error e) {
            scheduler.shutdown(Duration.ofSeconds(5));
            throw e;
        }
    }
}
