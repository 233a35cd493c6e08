package jmirage.resolver.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.IpAddresses;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.RdataText;
import jmirage.dns.Type;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.StackUpstream;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same hierarchy on the host target: three authoritative unikernels on host sockets at
 * 127.61.0.2, .3 and .4, port 5301 (no root needed), the resolver's StackUpstream on
 * 127.61.0.10. Loopback only.
 */
class HostHierarchyTest {

    private static final int PORT = 5301;
    private static final String SOA = " 300 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300\n";

    private final HostScheduler loop = HostScheduler.start("resolver-host-test");
    private final HostClock clock = new HostClock();
    private final HostRandom random = new HostRandom();
    private final List<Unikernel.Running> running = new ArrayList<>();
    private final List<HostStack> stacks = new ArrayList<>();

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text).orElseThrow();
    }

    private HostStack stack(String address) {
        HostStack s = new HostStack(loop, ip(address));
        stacks.add(s);
        return s;
    }

    private void authority(String address, String file, String zone) throws Exception {
        HostStack s = stack(address);
        MemKv kv = new MemKv(clock);
        OnLoop.await(loop, () -> kv.set(Key.of(file), Bytes.utf8(zone))).orElseThrow();
        RecordingLog log = new RecordingLog("dns-authoritative", LogLevel.WARN, clock, r -> System.err.println(r.format()));
        AuthoritativeDns dns = new AuthoritativeDns();
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = PORT;
        p.rrlPerSecond = 0;
        running.add(OnLoop.await(loop, () -> dns.start(new AuthoritativeDns.Devices(s, loop, clock, log, kv, Optional.empty(), random,
                new Metrics()), p)).orElseThrow(IllegalStateException::new));
    }

    @AfterEach
    void stop() throws Exception {
        for (Unikernel.Running r : running) {
            OnLoop.await(loop, r::stop);
        }
        for (HostStack s : stacks) {
            OnLoop.await(loop, s::close);
        }
        loop.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aThreeLevelHierarchyResolvesOnLoopback() throws Exception {
        authority("127.61.0.2", "test", "$TTL 300\ntest." + SOA + """
                test. NS ns.test.
                ns.test. A 127.61.0.2
                example.test. NS ns.example.test.
                ns.example.test. A 127.61.0.3
                """);
        authority("127.61.0.3", "example.test", "$TTL 300\nexample.test." + SOA + """
                example.test. NS ns.example.test.
                ns.example.test. A 127.61.0.3
                alias.example.test. CNAME www.sub.example.test.
                sub.example.test. NS ns.sub.example.test.
                ns.sub.example.test. A 127.61.0.4
                """);
        authority("127.61.0.4", "sub.example.test", "$TTL 300\nsub.example.test." + SOA + """
                sub.example.test. NS ns.sub.example.test.
                ns.sub.example.test. A 127.61.0.4
                www.sub.example.test. A 192.0.2.2
                """);
        HostStack ours = stack("127.61.0.10");
        Hints hints = new Hints(Map.of(Name.of("test."), List.of(new Hints.Server(Name.of("ns.test."), List.of(ip("127.61.0.2"))))), Map.of());
        Resolver resolver = OnLoop.await(loop, () -> {
            StackUpstream upstream = new StackUpstream(ours, loop, clock, random, StackUpstream.Config.of(Duration.ofSeconds(2)));
            return jmirage.core.Promise.resolved(new Resolver(new Recursion(hints, upstream, clock, random,
                    Recursion.Config.defaults().withPrimeRoot(false).withPort(PORT)), Optional.empty()));
        });
        Resolution alias = OnLoop.await(loop, () -> resolver.resolve(new Question(Name.of("alias.example.test."), Type.A), false));
        assertEquals(List.of("alias.example.test. CNAME www.sub.example.test.", "www.sub.example.test. A 192.0.2.2"),
                alias.answer().stream().map(r -> r.name() + " " + Type.name(r.type()) + " " + RdataText.print(r.rdata())).toList(), alias.toString());
        Resolution nx = OnLoop.await(loop, () -> resolver.resolve(new Question(Name.of("nope.sub.example.test."), Type.A), false));
        assertEquals(Header.NXDOMAIN, nx.rcode());
        assertTrue(nx.authority().stream().anyMatch(r -> r.type() == Type.SOA));
    }
}
