package jmirage.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.dns.Name;
import jmirage.kv.MemKv;
import jmirage.resolver.iterate.Hints;
import jmirage.sim.Simulation;
import org.junit.jupiter.api.Test;

/** The boot parameters and the two files, as check and boot read them (decision 6). */
class ParametersTest {

    private final Simulation sim = new Simulation(5, Instant.parse("2027-01-01T00:00:00Z"));
    private final MemKv kv = new MemKv(sim.clock());
    private final DnsResolver resolver = new DnsResolver();

    private List<ConfigProblem> check(DnsResolver.Parameters p) {
        return sim.await(resolver.check(sim.devices("dns-resolver", s -> kv), p));
    }

    @Test
    void theDefaultsAreClean() {
        assertEquals(List.of(), check(resolver.parameters()));
        ResolverFiles.Loaded builtIn = sim.await(ResolverFiles.read(kv, java.util.Optional.empty(), java.util.Optional.empty())).orElseThrow();
        assertEquals(13, builtIn.rootServers().size());
        assertTrue(builtIn.rootServers().stream().allMatch(s -> s.addresses().size() == 2), "an IPv4 and an IPv6 address each");
        assertEquals(2, builtIn.anchors().size());
    }

    @Test
    void everyBadParameterIsNamed() {
        DnsResolver.Parameters p = resolver.parameters();
        p.port = 70000;
        p.dotPort = 853;
        p.dohPort = 853;
        p.allow = List.of("10.0.0.0/33", "192.0.2.0/24");
        p.forward = List.of("192.0.2.1:99999", "nope");
        p.rateLimit = -1;
        p.tlsNames = List.of("not a name");
        p.rootHints = "hints/missing.root";
        List<String> sources = check(p).stream().map(ConfigProblem::source).toList();
        assertEquals(List.of("--allow", "--dot-port", "--forward", "--forward", "--port", "--rate-limit", "--root-hints", "--tls-name"),
                sources.stream().sorted().toList());
    }

    @Test
    void theCheckReadsThePolicyFilesAndTheRolloverStateWithoutWriting() {
        sim.await(kv.set(Key.of("zones/retreat.lan"), Bytes.utf8("$TTL 300\nwiki A 10.0.0.300\n"))).orElseThrow();
        sim.await(kv.set(Key.of("lists/ads"), Bytes.utf8("0.0.0.0 ads.example\nnot-an-address host\n"))).orElseThrow();
        sim.await(kv.set(Key.of("auto-trust-anchor"), Bytes.utf8(". 0 IN DNSKEY 257 3 8 AwEAAQ== ;; state=NONSENSE\n"))).orElseThrow();
        DnsResolver.Parameters p = resolver.parameters();
        p.policy.localZones.add("zones/retreat.lan");
        p.policy.blocklists.add("lists/ads");
        List<ConfigProblem> problems = check(p);
        assertEquals(List.of("auto-trust-anchor", "zones/retreat.lan"), problems.stream().map(ConfigProblem::source).sorted().toList(),
                problems.toString());
        assertTrue(problems.stream().anyMatch(c -> c.source().equals("zones/retreat.lan") && c.line() == 2), problems.toString());
        assertTrue(problems.stream().anyMatch(c -> c.source().equals("auto-trust-anchor") && c.line() == 1), problems.toString());
        p.rollover.stateKey = "";
        p.policy.rpz.add("missing.rpz");
        assertEquals(List.of("missing.rpz"), check(p).stream().map(ConfigProblem::source).toList(),
                "--auto-trust-anchor '' reads no state; a file missing from the store is a problem");
        assertEquals(". 0 IN DNSKEY 257 3 8 AwEAAQ== ;; state=NONSENSE\n",
                sim.await(kv.get(Key.of("auto-trust-anchor"))).orElseThrow().toUtf8(), "the check wrote nothing");
    }

    @Test
    void aForwarderIsAnAddressWithAnOptionalPort() {
        assertEquals(plain("192.0.2.1", 53), Forwarders.parse("192.0.2.1"));
        assertEquals(plain("2001:db8::1", 53), Forwarders.parse("2001:db8::1"));
        assertEquals(plain("2001:db8::1", 5353), Forwarders.parse("[2001:db8::1]:5353"));
        assertEquals(plain("127.0.0.1", 5300), Forwarders.parse("127.0.0.1:5300"));
        assertTrue(!Forwarders.parse("resolver.example").isOk());
        assertEquals(Result.ok(new Forwarders.Forwarder(new Endpoint(InetAddress.ofLiteral("9.9.9.9"), 853), java.util.Optional.of("dns.quad9.net"))),
                Forwarders.parse("tls://9.9.9.9#dns.quad9.net"));
        assertEquals(Result.ok(new Forwarders.Forwarder(new Endpoint(InetAddress.ofLiteral("2001:db8::1"), 8853), java.util.Optional.of("r.example"))),
                Forwarders.parse("tls://[2001:db8::1]:8853#r.example"));
        assertTrue(!Forwarders.parse("tls://9.9.9.9").isOk(), "no name to check: refused, never unauthenticated");
        assertTrue(!Forwarders.parse("tls://9.9.9.9#").isOk());
    }

    @Test
    void hintsAndAnchorsFromTheStoreAreReadWithTheirProblemsByLine() {
        sim.await(kv.set(Key.of("sim.root"), Bytes.utf8("""
                . 3600 NS ns1.sim.
                . 3600 NS ns2.sim.
                ns1.sim. 3600 A 127.0.0.53
                ns1.sim. 3600 AAAA ::1
                """))).orElseThrow();
        sim.await(kv.set(Key.of("anchors"), Bytes.utf8(". 3600 DS 12345 13 2 " + "AB".repeat(32) + "\n"))).orElseThrow();
        ResolverFiles.Loaded loaded = sim.await(ResolverFiles.read(kv, java.util.Optional.of("sim.root"), java.util.Optional.of("anchors")))
                .orElseThrow();
        assertEquals(List.of(new Hints.Server(Name.of("ns1.sim."), List.of(InetAddress.ofLiteral("127.0.0.53"), InetAddress.ofLiteral("::1"))),
                new Hints.Server(Name.of("ns2.sim."), List.of())), loaded.rootServers());
        assertEquals(1, loaded.anchors().size());
        // as in Unbound's trust-anchor-file, a record may come without a TTL
        sim.await(kv.set(Key.of("anchors-without-ttl"), Bytes.utf8(". IN DS 12345 13 2 " + "AB".repeat(32) + "\n"))).orElseThrow();
        assertEquals(1, sim.await(ResolverFiles.read(kv, java.util.Optional.of("sim.root"), java.util.Optional.of("anchors-without-ttl")))
                .orElseThrow().anchors().size());

        sim.await(kv.set(Key.of("bad.root"), Bytes.utf8(". 3600 NS ns1.sim.\n"))).orElseThrow();
        sim.await(kv.set(Key.of("bad-anchors"), Bytes.utf8(". 3600 DS 12345 13 2 AB\nexample. 3600 A 192.0.2.1\n("))).orElseThrow();
        DnsResolver.Parameters p = resolver.parameters();
        p.rootHints = "bad.root";
        p.trustAnchor = "bad-anchors";
        List<ConfigProblem> problems = check(p);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("bad.root", problems.get(0).source());
        assertTrue(problems.get(0).reason().contains("no root server with an address"), problems.get(0).reason());
        assertEquals(new ConfigProblem("bad-anchors", 3, problems.get(1).reason()), problems.get(1));
    }

    @Test
    void aHalfTlsPairIsAProblemOnlyWhenDotOrDohIsOn() {
        sim.await(kv.set(Key.of("tls/server.pem"), Bytes.utf8("-----BEGIN CERTIFICATE-----\n"))).orElseThrow();
        assertEquals(List.of(), check(resolver.parameters()));
        DnsResolver.Parameters p = resolver.parameters();
        p.dotPort = 853;
        List<ConfigProblem> problems = check(p);
        assertEquals(List.of("tls/server.key"), problems.stream().map(ConfigProblem::source).toList());
    }

    @Test
    void theCacheSizeIsAPositiveNumberOfMebibytes() {
        DnsResolver.Parameters p = new DnsResolver().parameters();
        assertEquals(64, p.cacheMb);
        p.cacheMb = 0;
        assertEquals(List.of("--cache-size"), DnsResolver.parameterProblems(p).stream().map(ConfigProblem::source).toList());
        p.cacheMb = 8;
        assertEquals(List.of(), DnsResolver.parameterProblems(p));
    }

    private static Result<Forwarders.Forwarder, String> plain(String address, int port) {
        return Result.ok(new Forwarders.Forwarder(new Endpoint(InetAddress.ofLiteral(address), port), java.util.Optional.empty()));
    }
}
