package jmirage.resolver.hierarchy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.dns.Name;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;

/**
 * A {@link Hierarchy} on the host target, in-process: each server is our authoritative unikernel on
 * a host stack bound to its own loopback address (127.53.0.N, built with
 * {@link Hierarchy.Addressing#LOOPBACK}), all on one event loop, zones in mem Kvs. Port 53 needs
 * root; any port works when the resolver is told it.
 */
public final class HostHierarchy implements AutoCloseable {

    public final HostScheduler scheduler;
    private final List<HostStack> stacks = new ArrayList<>();
    private final List<Unikernel.Running> running = new ArrayList<>();

    private HostHierarchy(HostScheduler scheduler) {
        this.scheduler = scheduler;
    }

    public static HostHierarchy start(Hierarchy hierarchy) throws Exception {
        HostHierarchy h = new HostHierarchy(HostScheduler.start("hierarchy"));
        try {
            HostClock clock = new HostClock();
            HostRandom random = new HostRandom();
            for (Hierarchy.Server server : hierarchy.servers()) {
                HostStack stack = new HostStack(h.scheduler, hierarchy.address(server.number()));
                h.stacks.add(stack);
                RecordingLog log = new RecordingLog("dns-authoritative-" + server.label(), LogLevel.WARN, clock,
                        r -> System.err.println(r.format()));
                MemKv kv = new MemKv(clock);
                for (Name zone : server.zones()) {
                    OnLoop.await(h.scheduler, () -> kv.set(Key.of(Hierarchy.kvKey(zone)), Bytes.utf8(hierarchy.zoneFile(zone))))
                            .orElseThrow();
                }
                AuthoritativeDns dns = new AuthoritativeDns();
                AuthoritativeDns.Parameters p = dns.parameters();
                p.port = hierarchy.port();
                p.rrlPerSecond = 0;
                AuthoritativeDns.Devices devices = new AuthoritativeDns.Devices(stack, h.scheduler, clock, log, kv,
                        Optional.empty(), random, new jmirage.core.metrics.Metrics());
                h.running.add(OnLoop.await(h.scheduler, () -> dns.start(devices, p))
                        .orElseThrow(e -> new IllegalStateException(server.label() + ": " + e)));
            }
            return h;
        } catch (Exception | Error e) {
            h.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        for (Unikernel.Running r : running) {
            OnLoop.await(scheduler, r::stop);
        }
        for (HostStack s : stacks) {
            OnLoop.await(scheduler, s::close);
        }
        scheduler.shutdown(Duration.ofSeconds(10));
    }
}
