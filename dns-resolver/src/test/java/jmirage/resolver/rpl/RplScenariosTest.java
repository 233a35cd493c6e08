package jmirage.resolver.rpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import jmirage.core.Clock;
import jmirage.core.Random;
import jmirage.core.Scheduler;
import jmirage.core.net.Endpoint;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.resolver.core.Resolve;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.iterate.Hints;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.Upstream;
import jmirage.resolver.validate.TrustAnchors;
import jmirage.resolver.validate.Validator;
import jmirage.resolver.validate.ValidatorConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * unbound's 156 validator scenarios (src/test/resources/rpl) replayed against the resolver's core:
 * one dynamic test per file. Those that cannot run here are in {@link #NOT_RUN}, each with the
 * reason; every other one must pass.
 */
class RplScenariosTest {

    /** The scenarios not run, and why. Every entry names a file that exists (checked below). */
    static final Map<String, String> NOT_RUN = notRun();

    private static Map<String, String> notRun() {
        Map<String, String> m = new LinkedHashMap<>();
        return m;
    }

    @TestFactory
    Stream<DynamicTest> scenarios() {
        return RplFiles.names().stream().filter(name -> !NOT_RUN.containsKey(name)).map(name -> DynamicTest.dynamicTest(name, () -> {
            Rpl rpl = RplFiles.parse(name);
            RplRunner.Outcome outcome = RplRunner.run(rpl, RplScenariosTest::resolver);
            assertTrue(outcome.passed(), name + ": " + rpl.title() + "\n" + outcome.report());
        }));
    }

    @Test
    void everyScenarioNotRunExistsAndSaysWhy() {
        Set<String> files = new HashSet<>(RplFiles.names());
        List<String> unknown = new ArrayList<>();
        NOT_RUN.forEach((file, why) -> {
            if (!files.contains(file) || why.isBlank()) {
                unknown.add(file);
            }
        });
        assertEquals(List.of(), unknown);
    }

    /**
     * The resolver as the scenario configures it: the stub zones and forward zones as hints (a stub
     * server known only by address gets its reverse name), recursion with DO and without priming
     * (unbound's stub-prime: no), qname-minimisation as given (unbound's default: yes), the trust
     * anchors, and the validator's policy from fake-sha1/fake-dsa (testbound's switches that enable
     * SHA-1 and DSA), val-min-rsa-size and harden-algo-downgrade.
     */
    static Resolve resolver(RplConfig config, Upstream upstream, Clock clock, Random random, Scheduler loop) {
        Map<Name, List<Hints.Server>> stubs = new LinkedHashMap<>();
        config.stubZones().forEach((zone, addresses) -> {
            List<Hints.Server> servers = new ArrayList<>();
            for (InetAddress a : addresses) {
                servers.add(new Hints.Server(reverse(a), List.of(a)));
            }
            stubs.put(zone.toLowerCase(), servers);
        });
        Map<Name, List<Endpoint>> forwards = new LinkedHashMap<>();
        config.forwardZones().forEach((zone, addresses) ->
                forwards.put(zone.toLowerCase(), addresses.stream().map(a -> new Endpoint(a, 53)).toList()));
        Recursion.Config recursionConfig = Recursion.Config.defaults().withDnssecOk(true).withPrimeRoot(false)
                .withQnameMinimisation(config.flag("qname-minimisation", true));
        Recursion recursion = new Recursion(new Hints(stubs, forwards), authoritative(upstream), clock, random, recursionConfig);
        ValidatorConfig validatorConfig = ValidatorConfig.defaults()
                .withMinRsaBits((int) config.number("val-min-rsa-size", 1024))
                .withHardenAlgorithmDowngrade(config.flag("harden-algo-downgrade", false));
        if (config.flag("fake-dsa", false) || config.flag("fake-sha1", false)) {
            Set<Integer> algorithms = new HashSet<>(validatorConfig.algorithms());
            algorithms.addAll(Set.of(3, 6));
            validatorConfig = validatorConfig.withAlgorithms(algorithms);
        }
        TrustAnchors anchors = TrustAnchors.of(config.trustAnchors()).orElseThrow();
        Validator validator = new Validator(anchors, Resolver.keyFetcher(recursion), clock, validatorConfig);
        return new Resolver(recursion, Optional.of(validator::validate));
    }

    /**
     * testbound's scripted authorities mostly leave AA off their answers, and unbound's iterator
     * takes an answer, NXDOMAIN or NODATA from a server of the zone without AA (iter_resptype.c;
     * only RA without AA is a lame recursive server). Our recursion requires AA (RFC 1034 5.3.3), so
     * the replies of the scripted authorities are read as authoritative unless they say RA.
     */
    static Upstream authoritative(Upstream upstream) {
        return (server, query, transport) -> upstream.ask(server, query, transport).map(r -> r.map(m -> {
            Header h = m.header();
            return h.ra() || h.aa() ? m
                    : m.withHeader(new Header(h.id(), h.qr(), h.opcode(), true, h.tc(), h.rd(), h.ra(), h.z(), h.ad(), h.cd(), h.rcode()));
        }));
    }

    /** 192.0.2.1 as 1.2.0.192.in-addr.arpa., a name for a server given by address only. */
    static Name reverse(InetAddress address) {
        byte[] b = address.getAddress();
        StringBuilder sb = new StringBuilder();
        for (int i = b.length - 1; i >= 0; i--) {
            sb.append(b[i] & 0xff).append('.');
        }
        return Name.of(sb + (b.length == 4 ? "in-addr.arpa." : "ip6.arpa."));
    }
}
