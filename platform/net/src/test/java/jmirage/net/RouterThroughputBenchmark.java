package jmirage.net;

import static jmirage.net.TestPackets.ip;
import static jmirage.net.TestPackets.tcp;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Inet4Address;
import java.util.Arrays;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.TokenBucket;
import jmirage.core.net.IpPrefix;
import jmirage.net.forward.ForwardDecision;
import jmirage.net.forward.Forwarder;
import jmirage.net.forward.Route;
import jmirage.net.forward.RouterInterface;
import jmirage.net.forward.RoutingTable;
import jmirage.net.nat.NatConfig;
import jmirage.net.nat.NatTable;
import jmirage.net.nat.NatVerdict;
import jmirage.net.tcp.TcpSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the CPU cost of routing and NAT per datagram, the router's whole core path (forward
 * decision, NAT, cut to the MTU) for 1500-byte TCP segments of one established connection, half
 * out and half back, after a JIT warm-up; the median of 11 runs in datagrams and Gbit/s per CPU
 * second. Run by hand: {@code ./mvnw -o -q -Dfuzz.skip -pl platform/net -am test
 * -Dtest=RouterThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Djmirage.bench=true}.
 */
@EnabledIfSystemProperty(named = "jmirage.bench", matches = "true")
class RouterThroughputBenchmark {

    static final Inet4Address PUBLIC = ip("192.0.2.10");
    static final Inet4Address HOST = ip("10.0.0.2");
    static final Inet4Address REMOTE = ip("198.51.100.7");
    static final int DATAGRAMS = 1_000_000;

    @Test
    void fifteenHundredByteSegmentsBothWays() {
        Forwarder router = new Forwarder(RoutingTable.of(List.of(
                new RouterInterface("uplink", IpPrefix.parseIpv4WithLength("192.0.2.10/24").orElseThrow(), 1500),
                new RouterInterface("private", IpPrefix.parseIpv4WithLength("10.0.0.1/24").orElseThrow(), 1500)),
                List.of(Route.defaultVia("uplink", ip("192.0.2.1")))).orElseThrow(), TokenBucket.perSecond(50, 100));
        NatTable nat = new NatTable(NatConfig.of(PUBLIC, 1));
        Bytes syn = ((NatVerdict.Translated) nat.outbound(0, tcp(HOST, 40000, REMOTE, 443, TcpSegment.SYN, 1, Bytes.EMPTY))).packet();
        int port = TestPackets.verified(syn).tcp().sourcePort();
        nat.inbound(0, tcp(REMOTE, 443, PUBLIC, port, TcpSegment.SYN | TcpSegment.ACK, 1, Bytes.EMPTY));
        Bytes out = tcp(HOST, 40000, REMOTE, 443, TcpSegment.ACK, 2, Bytes.of(new byte[1460]));
        Bytes in = tcp(REMOTE, 443, PUBLIC, port, TcpSegment.ACK, 2, Bytes.of(new byte[1460]));
        for (int i = 0; i < 3; i++) {
            run(router, nat, out, in);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] perCpuSecond = new double[11];
        for (int i = 0; i < perCpuSecond.length; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            run(router, nat, out, in);
            perCpuSecond[i] = DATAGRAMS / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        }
        Arrays.sort(perCpuSecond);
        double median = perCpuSecond[perCpuSecond.length / 2];
        System.out.printf("route + NAT, %d datagrams of 1500 bytes, %d runs: median %.0f datagrams per CPU second"
                + " (%.2f Gbit/s; min %.0f, max %.0f)%n", DATAGRAMS, perCpuSecond.length, median, median * 1500 * 8 / 1e9,
                perCpuSecond[0], perCpuSecond[perCpuSecond.length - 1]);
    }

    private static void run(Forwarder router, NatTable nat, Bytes out, Bytes in) {
        long now = 1;
        for (int i = 0; i < DATAGRAMS / 2; i++) {
            var f = assertInstanceOf(ForwardDecision.Forward.class, router.decide(now, out, false));
            Bytes translated = ((NatVerdict.Translated) nat.outbound(now, f.packet())).packet();
            new ForwardDecision.Forward(f.hop(), translated).packets();
            Bytes back = ((NatVerdict.Translated) nat.inbound(now, in)).packet();
            ((ForwardDecision.Forward) router.decide(now, back, false)).packets();
            now += 1000;
        }
    }
}
