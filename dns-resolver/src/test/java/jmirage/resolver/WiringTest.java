package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.metrics.PrometheusText;
import jmirage.core.net.Endpoint;
import jmirage.dns.Edns;
import jmirage.dns.EdnsOption;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.resolver.hierarchy.Hierarchy;
import jmirage.resolver.hierarchy.Hierarchy.Names;
import jmirage.resolver.hierarchy.SimHierarchy;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The unikernel as the launcher boots it, with its real core, on the simulated signed hierarchy
 * (our authoritative servers on the sim target): the local policy in front of the core (local data
 * with AA, a blocklist with a bad line that does not stop the boot), RFC 5011 rollover probing the
 * root's DNSKEYs through the core's recursion and the validator using the anchors it keeps, a
 * reload that takes new files only when all are clean, and the statistics a scrape reads.
 */
class WiringTest {

    static final String ZONE = """
            $TTL 300
            @    SOA ns.retreat.lan. hostmaster.retreat.lan. 1 3600 600 86400 300
                 NS  ns.retreat.lan.
            ns   A   10.77.0.1
            wiki A   10.77.0.80
            """;

    final Simulation sim = new Simulation(7);
    final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final Hierarchy h = Hierarchy.build(sim.clock().now(), Hierarchy.Addressing.SIM, 53);
    final SimHierarchy servers = SimHierarchy.boot(sim, lan, h);
    final MemKv kv = new MemKv(sim.clock());

    void put(String key, String text) {
        sim.await(kv.set(Key.of(key), Bytes.utf8(text))).orElseThrow();
    }

    Optional<String> file(String key) {
        return sim.await(kv.get(Key.of(key))) instanceof Result.Ok<Bytes, ?>(Bytes b) ? Optional.of(b.toUtf8()) : Optional.empty();
    }

    @Test
    void policyRolloverReloadAndStatisticsAreConnected() {
        put("root.hints", h.hintsFile());
        put("anchor", h.trustAnchorFile());
        put("zones/retreat.lan", ZONE);
        put("lists/ads", "0.0.0.0 ads.example\n300.1.1.1 odd line\n0.0.0.0 tracker.example\n");
        DnsResolver dns = new DnsResolver();
        DnsResolver.Parameters p = dns.parameters();
        p.rootHints = "root.hints";
        p.trustAnchor = "anchor";
        p.allow = List.of("10.53.0.0/24");
        p.policy.localZones.add("zones/retreat.lan");
        p.policy.blocklists.add("lists/ads");
        DirectStack stack = servers.host(100);
        DnsResolver.Devices devices = dns.claim(sim.devices(dns.name(), x -> kv, x -> stack));
        assertEquals(List.of(), sim.await(dns.check(sim.devices(dns.name(), x -> kv), p)), "a blocklist's odd line is no problem");
        Result<Unikernel.Running, String> booted = sim.await(dns.start(devices, p));
        assertTrue(booted.isOk(), booted.toString());
        Unikernel.Running running = booted.orElseThrow();
        StubClient client = new StubClient(servers.host(101), sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(stack.addresses().getFirst(), 53), Duration.ofSeconds(3), 8, 1232));

        // RFC 5011: the first probe (at boot) found the root's KSK behind the configured DS and keeps it
        sim.scheduler().runFor(Duration.ofSeconds(5));
        String state = file("auto-trust-anchor").orElseThrow(() -> new AssertionError("no rollover state written"));
        assertTrue(state.contains("state=VALID"), state);

        Message secure = ask(client, Names.SECURE_WWW, Type.A);
        assertEquals(Header.NOERROR, secure.header().rcode());
        assertTrue(secure.header().ad(), "validated from the rollover's anchors");
        assertFalse(secure.header().aa(), "recursion's answers are not authoritative");
        assertEquals(secure.answers(), ask(client, Names.SECURE_WWW, Type.A).answers(), "the second one from the cache");

        Message local = ask(client, Name.of("wiki.retreat.lan."), Type.A);
        assertEquals(Header.NOERROR, local.header().rcode());
        assertTrue(local.header().aa(), "local data: AA (RFC 1035 4.1.1)");
        assertFalse(local.header().ad());
        assertEquals(1, local.answers().size());

        Message blocked = ask(client, Name.of("tracker.example."), Type.A);
        assertEquals(Header.NXDOMAIN, blocked.header().rcode());
        assertEquals(List.of(15), extendedErrors(blocked));

        // a reload with a bad local zone keeps everything as it was
        put("lists/ads", "0.0.0.0 ads.example\n0.0.0.0 tracker.example\n0.0.0.0 www.insecure.test\n");
        put("zones/retreat.lan", "$TTL 300\nwiki A 10.77.0.81\n");
        Result<?, List<ConfigProblem>> refused = sim.await(running.reload());
        assertFalse(refused.isOk());
        assertEquals(Header.NOERROR, ask(client, Names.INSECURE_WWW, Type.A).header().rcode(), "the previous policy stays");
        // and a clean one is taken at once
        put("zones/retreat.lan", ZONE.replace("10.77.0.80", "10.77.0.81"));
        assertTrue(sim.await(running.reload()).isOk());
        assertEquals(Header.NXDOMAIN, ask(client, Names.INSECURE_WWW, Type.A).header().rcode());
        assertEquals("wiki.retreat.lan. 300 IN A 10.77.0.81", ask(client, Name.of("wiki.retreat.lan."), Type.A).answers().getFirst().toString());
        assertEquals(Header.NOERROR, ask(client, Names.SECURE_WWW, Type.A).header().rcode(), "recursion goes on after a reload");

        String scrape = PrometheusText.render(devices.metrics().collect());
        assertTrue(value(scrape, "jmirage_resolver_queries_total{transport=\"udp\",rcode=\"NOERROR\"}") >= 5, scrape);
        assertEquals(2, value(scrape, "jmirage_resolver_queries_total{transport=\"udp\",rcode=\"NXDOMAIN\"}"), scrape);
        assertTrue(value(scrape, "jmirage_resolver_cache_total{result=\"hit\"}") >= 1, scrape);
        assertTrue(value(scrape, "jmirage_resolver_cache_total{result=\"miss\"}") >= 2, scrape);
        assertTrue(value(scrape, "jmirage_resolver_cache_entries") >= 1, scrape);
        assertTrue(value(scrape, "jmirage_resolver_cache_bytes") > 0, scrape);
        assertTrue(value(scrape, "jmirage_resolver_resolutions_total{security=\"secure\"}") >= 3, scrape);
        assertEquals(2, value(scrape, "jmirage_resolver_policy_answers_total{kind=\"blocked\"}"), scrape);
        assertEquals(2, value(scrape, "jmirage_resolver_policy_answers_total{kind=\"local\"}"), scrape);
        assertTrue(value(scrape, "jmirage_resolver_upstream_queries_total{transport=\"udp\"}") >= 4, scrape);
        assertEquals(0, value(scrape, "jmirage_resolver_upstream_dropped_total{reason=\"wrong_id\"}"), scrape);
        sim.await(running.stop());
        servers.stop();
    }

    Message ask(StubClient client, Name name, int type) {
        Message q = Message.query(0, name, type, Optional.of(new Edns(1232, 0, true, 0, List.of())));
        return sim.await(client.send(q)).orElseThrow(e -> new IllegalStateException(name + ": " + e.describe()));
    }

    static List<Integer> extendedErrors(Message m) {
        return m.edns().orElseThrow().options().stream().filter(o -> o instanceof EdnsOption.ExtendedError)
                .map(o -> ((EdnsOption.ExtendedError) o).infoCode()).toList();
    }

    /** The value of one series in a Prometheus text scrape; fails when it is absent. */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), series + " in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

}
