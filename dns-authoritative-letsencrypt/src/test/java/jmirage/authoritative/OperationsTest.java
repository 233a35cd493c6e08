package jmirage.authoritative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import jmirage.authoritative.store.SampleZone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Label;
import jmirage.core.metrics.MetricFamily;
import jmirage.core.metrics.Sample;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, items 6 and 7, through the unikernel: its check names every bad file and parameter and
 * seeds nothing; the counters on the Metrics device and the query log after real dig, nsupdate and a
 * flood over the rate limit.
 */
class OperationsTest {

    static final int PORT = 22653;

    @Test
    void checkNamesBadFilesAndParametersAndWritesNothing() {
        Simulation sim = new Simulation(3);
        MemKv kv = new MemKv(sim.clock());
        sim.scheduler().runUntil(kv.set(Key.of("example.test"), Bytes.utf8(TestZones.text())));
        sim.scheduler().runUntil(kv.set(Key.of("broken.test"), Bytes.utf8("$TTL 60\n@ SOA ns h 1 2 3 4 5\n@ NS ns\nns A 1.2.3\n")));
        AuthoritativeDns dns = new AuthoritativeDns();
        AuthoritativeDns.Parameters p = dns.parameters();
        sim.scheduler().runUntil(kv.set(Key.of("_keys"), Bytes.utf8("xfr._transfer.example.test. DNSKEY 0 3 163 c2VjcmV0\n")));
        p.zone.notify.add("not-an-address");
        p.zone.notify.add("192.0.2.2#xfr._transfer.example.test");
        p.zone.secondaries.add("example.net@192.0.2.1#nokey._transfer.example.net");
        p.tcpIdleSeconds = 0;
        List<ConfigProblem> problems = sim.scheduler().runUntil(dns.check(sim.devices("dns", s -> kv), p)).value();
        assertEquals(List.of("--tcp-idle:0", "--notify:0", "--secondary:0", "broken.test:4"),
                problems.stream().map(c -> c.source() + ":" + c.line()).toList(), problems.toString());
        assertEquals("--secondary: key nokey._transfer.example.net. (in example.net@192.0.2.1#nokey._transfer.example.net)"
                + " is in no keys file of the store", problems.get(2).describe());

        MemKv empty = new MemKv(sim.clock());
        assertEquals(List.of(), sim.scheduler().runUntil(dns.check(sim.devices("dns", s -> empty), dns.parameters())).value());
        assertTrue(sim.scheduler().runUntil(empty.list(Key.ROOT)).value().map(List::isEmpty).orElse(true));
    }

    static Map<String, Double> samples(Harness h, String metric) throws Exception {
        List<MetricFamily> families = OnLoop.await(h.scheduler, () -> jmirage.core.Promise.resolved(h.metrics.collect()));
        return families.stream().filter(f -> f.name().equals(metric)).flatMap(f -> f.samples().stream())
                .collect(Collectors.toMap(s -> s.labels().stream().map(Label::value).collect(Collectors.joining(",")),
                        Sample::value));
    }

    static Ran dig(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(PORT), "+norec", "+time=5",
                "+tries=1"));
        cmd.addAll(List.of(args));
        return Command.of(cmd).run();
    }

    @Tag("peer")
    @Test
    void countersAndTheQueryLogAfterRealPeers() throws Exception {
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = PORT;
        p.rrlPerSecond = 5;
        try (Harness h = Harness.start(Harness::loopback, Map.of("example.test", TestZones.text()), p)) {
            dig("www.example.test", "A");
            dig("+tcp", "nothing.example.test", "A");
            dig("www.example.org", "A");
            dig("+tcp", "example.test", "AXFR");
            dig("-y", "hmac-sha256:nobody._update.example.test:" + SampleZone.TEST_SECRET, "www.example.test", "A");
            Ran update = Command.of("nsupdate", "-t", "5").stdin("server 127.0.0.1 " + PORT
                    + "\nzone example.test\nupdate add x.example.test. 60 A 192.0.2.1\nsend\n").run();
            assertTrue(update.output().contains("REFUSED"), update.output());

            Map<String, Double> queries = samples(h, "jmirage_dns_queries_total");
            assertEquals(1.0, queries.get("udp,NOERROR"), queries.toString());
            assertEquals(1.0, queries.get("tcp,NXDOMAIN"), queries.toString());
            assertEquals(1.0, queries.get("udp,REFUSED"), queries.toString());
            assertEquals(1.0, queries.get("udp,NOTAUTH"), queries.toString());
            assertEquals(Map.of("AXFR,REFUSED", 1.0), samples(h, "jmirage_dns_transfers_total"));
            assertEquals(Map.of("REFUSED", 1.0), samples(h, "jmirage_dns_updates_total"));
            assertEquals(Map.of("BADKEY", 1.0), samples(h, "jmirage_dns_tsig_failures_total"));
            List<String> log = h.records.stream().filter(r -> r.level() == LogLevel.INFO).map(LogRecord::message).toList();
            assertTrue(log.stream().anyMatch(l -> l.matches("query 127\\.0\\.0\\.1#\\d+ udp www\\.example\\.test\\. A NOERROR")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.matches("transfer 127\\.0\\.0\\.1#\\d+ tcp example\\.test\\. AXFR REFUSED")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.matches("update 127\\.0\\.0\\.1#\\d+ udp example\\.test\\. SOA REFUSED")), log.toString());

            // a flood of 40 from one source at --rrl 5: over the limit are dropped or slipped, and counted
            byte[] query = MessageCodec.encode(Message.query(7, Name.of("www.example.test."), Type.A, Optional.empty())).toArray();
            try (DatagramSocket socket = new DatagramSocket()) {
                for (int i = 0; i < 40; i++) {
                    socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), PORT));
                }
            }
            Map<String, Double> rrl = Map.of();
            for (int wait = 0; wait < 50 && rrl.values().stream().mapToDouble(Double::doubleValue).sum() < 30; wait++) {
                Thread.sleep(100);
                rrl = samples(h, "jmirage_dns_rrl_total");
            }
            assertTrue(rrl.getOrDefault("drop", 0.0) >= 10 && rrl.getOrDefault("slip", 0.0) >= 10, rrl.toString());
        }
    }
}
