package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.metrics.Label;
import jmirage.core.metrics.MetricFamily;
import jmirage.core.metrics.Metrics;
import jmirage.core.metrics.Sample;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.core.net.UdpSocket;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.dhcp.DhcpMessage;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.testkit.ForwardingKv;
import org.junit.jupiter.api.Test;

/**
 * The counters move by exactly the traffic (read with {@link Metrics#collect()}, as the launcher's
 * endpoint reads them), the per-subnet gauges follow the leases at each scrape, and each lease
 * event is one info line as ISC dhcpd writes it, within a budget with one summary line.
 */
class CountersAndLeaseLogSimTest {

    static final Inet4Address SERVER = Msg.ip("10.60.0.1");

    final Simulation sim = new Simulation(11);
    final VirtualSwitch network = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final FailingKv kv = new FailingKv(new MemKv(sim.clock()));
    final DirectStack serverStack = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_01L)),
            new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.60.0.1/24").orElseThrow(), Optional.empty()), sim.clock(), sim.scheduler(),
            sim.random(), sim.log("server-stack", LogLevel.WARN))).value().orElseThrow();
    Metrics metrics;
    UdpSocket peer;
    final Endpoint server67 = new Endpoint(SERVER, 67);

    Unikernel.Running boot() {
        sim.scheduler().runUntil(kv.set(Key.of("dhcpd.conf"), Bytes.utf8(
                "subnet 10.60.0.0 netmask 255.255.255.0 {\n  range 10.60.0.10 10.60.0.20;\n}\n")));
        var provider = sim.devices("dhcp-server", s -> kv, s -> serverStack);
        DhcpServer server = new DhcpServer();
        DhcpServer.Devices devices = server.claim(provider);
        metrics = provider.metrics();
        Unikernel.Running running = sim.scheduler().runUntil(server.start(devices, new DhcpServer.Parameters())).value().orElseThrow();
        DirectStack client = sim.scheduler().runUntil(DirectStack.start(network.port(new MacAddress(0x02_00_00_00_00_77L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.60.0.77/24").orElseThrow(), Optional.empty()), sim.clock(),
                sim.scheduler(), sim.random(), sim.log("peer", LogLevel.WARN))).value().orElseThrow();
        peer = sim.scheduler().runUntil(client.bindUdp(68, d -> { })).value().orElseThrow();
        return running;
    }

    void send(DhcpMessage m) {
        send(m.encode());
    }

    void send(Bytes datagram) {
        peer.send(server67, datagram);
        sim.scheduler().runFor(Duration.ofMillis(500));
    }

    /** The value of the series {@code name} with exactly these labels ({@code "k", "v", ...}), or -1 when absent. */
    double value(String name, String... labels) {
        List<Label> wanted = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.add(new Label(labels[i], labels[i + 1]));
        }
        for (MetricFamily f : metrics.collect()) {
            if (f.name().equals(name)) {
                for (Sample s : f.samples()) {
                    if (s.labels().equals(wanted)) {
                        return s.value();
                    }
                }
            }
        }
        return -1;
    }

    Map<String, Double> counters() {
        Map<String, Double> v = new LinkedHashMap<>();
        for (String type : List.of("discover", "request", "decline", "release", "inform", "other")) {
            v.put("received " + type, value("jmirage_dhcp_messages_received_total", "type", type));
        }
        for (String type : List.of("offer", "ack", "nak")) {
            v.put("sent " + type, value("jmirage_dhcp_replies_sent_total", "type", type));
        }
        for (String event : List.of("granted", "renewed", "released", "declined", "expired")) {
            v.put("lease " + event, value("jmirage_dhcp_lease_events_total", "event", event));
        }
        v.put("malformed", value("jmirage_dhcp_malformed_total"));
        v.put("store failures", value("jmirage_dhcp_lease_store_write_failures_total"));
        v.put("withheld", value("jmirage_dhcp_replies_withheld_total"));
        return v;
    }

    Map<String, Double> subnet() {
        Map<String, Double> v = new LinkedHashMap<>();
        for (String state : List.of("bound", "offered", "declined")) {
            v.put(state, value("jmirage_dhcp_leases", "subnet", "10.60.0.0/24", "state", state));
        }
        v.put("free", value("jmirage_dhcp_free_addresses", "subnet", "10.60.0.0/24"));
        return v;
    }

    List<String> lines() {
        return sim.records().stream().filter(r -> r.source().equals("dhcp-server") && r.level() == LogLevel.INFO)
                .map(r -> r.message()).toList();
    }

    @Test
    void everyCounterMovesByTheTrafficAndTheGaugesFollowTheLeases() {
        Unikernel.Running server = boot();
        Map<String, Double> expected = counters();
        expected.values().forEach(v -> assertEquals(0.0, v)); // every series from boot
        assertEquals(Map.of("bound", 0.0, "offered", 0.0, "declined", 0.0, "free", 11.0), subnet());

        send(Bytes.utf8("not dhcp"));
        expected.put("malformed", 1.0);
        MacAddress one = Msg.mac(1);
        send(Msg.discover(one, 1));
        assertEquals(Map.of("bound", 0.0, "offered", 1.0, "declined", 0.0, "free", 10.0), subnet());
        send(Msg.select(one, 1, SERVER, Msg.ip("10.60.0.10")));
        expected.putAll(Map.of("received discover", 1.0, "received request", 1.0, "sent offer", 1.0, "sent ack", 1.0,
                "lease granted", 1.0));
        assertEquals(expected, counters());
        assertEquals(Map.of("bound", 1.0, "offered", 0.0, "declined", 0.0, "free", 10.0), subnet());

        sim.scheduler().runFor(Duration.ofMinutes(5)); // at T1 of the 10-minute first lease
        send(Msg.renew(one, 2, Msg.ip("10.60.0.10")));
        MacAddress two = Msg.mac(2);
        send(Msg.discover(two, 3));
        send(Msg.select(two, 3, SERVER, Msg.ip("10.60.0.11")));
        send(Msg.decline(two, 4, SERVER, Msg.ip("10.60.0.11")));
        send(Msg.release(one, 5, SERVER, Msg.ip("10.60.0.10")));
        send(Msg.initReboot(Msg.mac(3), 6, Msg.ip("192.168.9.9")));
        send(Msg.inform(Msg.mac(6), 7, Msg.ip("10.60.0.77")));
        MacAddress four = Msg.mac(4);
        send(Msg.discover(four, 8));
        send(Msg.select(four, 8, SERVER, Msg.ip("10.60.0.12")));
        expected.putAll(Map.of("received discover", 3.0, "received request", 5.0, "received decline", 1.0,
                "received release", 1.0, "received inform", 1.0, "sent offer", 3.0, "sent ack", 5.0, "sent nak", 1.0));
        expected.putAll(Map.of("lease granted", 3.0, "lease renewed", 1.0, "lease declined", 1.0, "lease released", 1.0));
        assertEquals(expected, counters());
        assertEquals(Map.of("bound", 1.0, "offered", 0.0, "declined", 1.0, "free", 9.0), subnet());

        // Four's first lease (10 min) ends unrenewed: the sweep counts and logs it within 10 s.
        sim.scheduler().runFor(Duration.ofMinutes(10).plusSeconds(11));
        expected.put("lease expired", 1.0);
        assertEquals(expected, counters());
        assertEquals(Map.of("bound", 0.0, "offered", 0.0, "declined", 1.0, "free", 10.0), subnet());

        // A store that cannot write: the ACK is withheld, nothing is granted.
        kv.failCommits = true;
        MacAddress five = Msg.mac(5);
        send(Msg.discover(five, 9));
        send(Msg.select(five, 9, SERVER, Msg.ip("10.60.0.13")));
        expected.putAll(Map.of("received discover", 4.0, "received request", 6.0, "sent offer", 4.0, "store failures", 1.0,
                "withheld", 1.0));
        assertEquals(expected, counters());

        List<String> leaseLines = lines().stream().filter(l -> l.startsWith("DHCP") || l.startsWith("lease of")).toList();
        assertEquals(List.of(
                "DHCPACK on 10.60.0.10 to " + one + " via 10.60.0.1 (new lease, 600 s)",
                "DHCPACK on 10.60.0.10 to " + one + " via 10.60.0.1 (renewed, 43200 s)",
                "DHCPACK on 10.60.0.11 to " + two + " via 10.60.0.1 (new lease, 600 s)",
                "DHCPDECLINE of 10.60.0.11 from " + two + " via 10.60.0.1: in use on the network, out of the pool for 3600 s",
                "DHCPRELEASE of 10.60.0.10 from " + one + " via 10.60.0.1",
                "DHCPNAK on 192.168.9.9 to " + Msg.mac(3) + " via 10.60.0.1: 192.168.9.9 is not on network 10.60.0.0/24",
                "DHCPACK on 10.60.0.12 to " + four + " via 10.60.0.1 (new lease, 600 s)"),
                leaseLines.subList(0, 7));
        assertTrue(leaseLines.get(7).startsWith("lease of 10.60.0.12 to " + four + " expired at "), leaseLines.get(7));
        assertEquals(8, leaseLines.size(), leaseLines.toString());
        sim.scheduler().runUntil(server.stop());
        assertTrue(lines().getLast().equals("stopping: 4 offers, 5 acks, 1 naks, 1 malformed"), lines().getLast());
    }

    @Test
    void aFloodOfNaksLogsTheBurstThenOneSummaryLine() {
        Unikernel.Running server = boot();
        send(Msg.initReboot(Msg.mac(1000), 1, Msg.ip("192.168.9.9")));
        for (int i = 1; i < 300; i++) {
            peer.send(server67, Msg.initReboot(Msg.mac(1000 + i), i, Msg.ip("192.168.9.9")).encode());
        }
        sim.scheduler().runFor(Duration.ofMillis(200));
        assertEquals(300.0, value("jmirage_dhcp_replies_sent_total", "type", "nak"));
        long logged = lines().stream().filter(l -> l.startsWith("DHCPNAK")).count();
        assertTrue(logged >= LeaseLog.BURST && logged <= LeaseLog.BURST + 10, logged + " lines");
        sim.scheduler().runFor(LeaseLog.SUMMARY_EVERY);
        List<String> summaries = lines().stream().filter(l -> l.contains("lines not logged")).toList();
        assertEquals(List.of((300 - logged) + " lease and refusal lines not logged in the last 10 s (too many; the metrics"
                + " count every event)"), summaries);
        sim.scheduler().runFor(Duration.ofMinutes(1));
        assertEquals(1, lines().stream().filter(l -> l.contains("lines not logged")).count()); // nothing more to say
        sim.scheduler().runUntil(server.stop());
    }

    /** A Kv over another whose commits fail while {@link #failCommits} is set (a full disk). */
    static final class FailingKv extends ForwardingKv {
        boolean failCommits;

        FailingKv(Kv kv) {
            super(kv);
        }

        @Override
        public Promise<Result<Unit, KvError>> commit(Batch batch) {
            return failCommits ? Promise.resolved(Result.err(new KvError.Storage("test: the disk is full"))) : inner.commit(batch);
        }
    }
}
