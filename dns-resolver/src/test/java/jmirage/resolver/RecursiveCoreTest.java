package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jmirage.core.LogLevel;
import jmirage.core.metrics.MetricFamily;
import jmirage.core.metrics.Metrics;
import jmirage.dns.Header;
import jmirage.dns.Question;
import jmirage.dns.Type;
import jmirage.kv.MemKv;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Security;
import jmirage.resolver.hierarchy.Hierarchy;
import jmirage.resolver.hierarchy.Hierarchy.Names;
import jmirage.resolver.hierarchy.SimHierarchy;
import jmirage.resolver.validate.TrustAnchors;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * The real core on the simulated signed hierarchy: new anchors (a reload, an RFC 5011 rollover)
 * take effect at the next question, cached answers included, and the cache's counters keep going up
 * across the cache that replaced the old one.
 */
class RecursiveCoreTest {

    final Simulation sim = new Simulation(11);
    final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final Hierarchy h = Hierarchy.build(sim.clock().now(), Hierarchy.Addressing.SIM, 53);
    final SimHierarchy servers = SimHierarchy.boot(sim, lan, h);
    final Metrics metrics = new Metrics();
    final DnsResolver.Devices devices = new DnsResolver.Devices(servers.host(100), sim.scheduler(), sim.clock(),
            sim.log("dns-resolver", LogLevel.INFO), new MemKv(sim.clock()), sim.random(), metrics);

    Resolution resolve(Core core) {
        return sim.await(core.resolve(new Question(Names.SECURE_WWW, Type.A), false));
    }

    double cache(String result) {
        MetricFamily family = metrics.collect().stream().filter(f -> f.name().equals("jmirage_resolver_cache_total")).findFirst()
                .orElseThrow();
        return family.samples().stream().filter(s -> s.labels().getFirst().value().equals(result)).findFirst().orElseThrow().value();
    }

    @Test
    void newAnchorsTakeEffectAtOnceAndTheCountersOnlyGoUp() {
        TrustAnchors good = TrustAnchors.of(h.trustAnchor()).orElseThrow();
        RecursiveCore core = new RecursiveCore(new DnsResolver.CoreSetup(devices, h.hints(), good));
        assertInstanceOf(Security.Secure.class, resolve(core).security());
        assertInstanceOf(Security.Secure.class, resolve(core).security(), "from the cache");
        assertEquals(1, cache("hit"));

        // an anchor the root's keys do not match: what was cached under the good one is not served
        TrustAnchors wrong = TrustAnchors.parse(". 3600 IN DS 12345 13 2 " + "AB".repeat(32) + "\n").orElseThrow();
        core.reconfigure(h.hints(), wrong);
        Resolution bogus = resolve(core);
        assertEquals(Header.SERVFAIL, bogus.rcode(), bogus.toString());
        assertTrue(cache("hit") >= 1, "the hits of the replaced cache are still counted");

        core.reconfigure(h.hints(), good);
        assertInstanceOf(Security.Secure.class, resolve(core).security());
        double hits = cache("hit");
        core.reconfigure(h.hints(), good);
        assertInstanceOf(Security.Secure.class, resolve(core).security(), "the same anchors: the cache is kept");
        assertEquals(hits + 1, cache("hit"));
        assertTrue(core.keys().isPresent(), "the rollover probes through this core's recursion");
        servers.stop();
    }
}
