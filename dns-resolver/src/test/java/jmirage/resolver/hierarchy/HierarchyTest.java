package jmirage.resolver.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import jmirage.core.Bytes;
import jmirage.core.Clock;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.dns.Edns;
import jmirage.dns.EdnsOption;
import jmirage.dns.Message;
import jmirage.dns.client.StubClient;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.resolver.DnsResolver;
import jmirage.core.Random;
import jmirage.core.Scheduler;
import jmirage.core.net.Stack;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.resolver.core.Resolution;
import jmirage.resolver.core.Resolver;
import jmirage.resolver.core.Security;
import jmirage.resolver.hierarchy.Hierarchy.Names;
import jmirage.resolver.iterate.Recursion;
import jmirage.resolver.upstream.StackUpstream;
import jmirage.resolver.validate.TrustAnchors;
import jmirage.resolver.validate.Validator;
import jmirage.resolver.validate.ValidatorConfig;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance of issue 16 on the simulation target: the resolver (Recursion over a StackUpstream,
 * the Validator from the hierarchy's root DS) on a virtual switch with 10% loss, against our
 * authoritative unikernels serving the {@link Hierarchy}: names resolve, NXDOMAIN and NODATA are
 * right, signed zones are secure, the bogus one gives SERVFAIL with EDE 6 or 7, the lame delegation
 * is survived. Several seeds, each a different pattern of loss.
 */
class HierarchyTest {

    /** A resolver as the unikernel assembles it, on any stack and devices. */
    static Resolver resolver(Hierarchy h, Stack stack, Scheduler scheduler, Clock clock, Random random) {
        StackUpstream upstream = new StackUpstream(stack, scheduler, clock, random, StackUpstream.Config.of(Duration.ofSeconds(1)));
        Recursion recursion = new Recursion(h.hints(), upstream, clock, random,
                Recursion.Config.defaults().withDnssecOk(true).withPort(h.port()));
        Validator validator = new Validator(TrustAnchors.of(h.trustAnchor()).orElseThrow(), Resolver.keyFetcher(recursion), clock,
                ValidatorConfig.defaults());
        return new Resolver(recursion, Optional.of(validator::validate));
    }

    static Question q(Name name, int type) {
        return new Question(name, type, DnsClass.IN);
    }

    static List<Rdata> data(Resolution r, int type) {
        return r.answer().stream().filter(x -> x.type() == type).map(Record::rdata).toList();
    }

    /** Every case of the acceptance, asked through {@code resolve}. */
    static void assertAcceptance(BiFunction<Question, Boolean, Resolution> resolve) {
        for (Name secure : List.of(Names.SECURE_WWW, Names.NSEC3_WWW, Names.RSA_WWW)) {
            Resolution r = resolve.apply(q(secure, Type.A), false);
            assertEquals(Header.NOERROR, r.rcode(), secure + ": " + r);
            assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(secure))), data(r, Type.A), secure.toString());
            assertEquals(Security.SECURE, r.security(), secure + ": " + r);
        }
        Resolution wildcard = resolve.apply(q(Names.SECURE_WILDCARD, Type.A), false);
        assertEquals(List.of(new Rdata.A(Hierarchy.ipv4(192, 0, 2, 11))), data(wildcard, Type.A));
        assertEquals(Security.SECURE, wildcard.security(), wildcard.toString());

        Resolution alias = resolve.apply(q(Names.SECURE_ALIAS, Type.A), false);
        assertEquals(List.of(new Rdata.Cname(Names.NSEC3_WWW)), data(alias, Type.CNAME));
        assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(Names.NSEC3_WWW))), data(alias, Type.A));
        assertEquals(Security.SECURE, alias.security(), alias.toString());

        for (Name nx : List.of(Names.SECURE_NX, Names.NSEC3_NX)) {
            Resolution r = resolve.apply(q(nx, Type.A), false);
            assertEquals(Header.NXDOMAIN, r.rcode(), nx.toString());
            assertEquals(Security.SECURE, r.security(), nx + ": " + r);
        }
        // RFC 5155 6: test. uses opt-out, whose span may hide unsigned delegations: its NXDOMAIN is insecure
        Resolution tldNx = resolve.apply(q(Names.TLD_NX, Type.A), false);
        assertEquals(Header.NXDOMAIN, tldNx.rcode());
        assertEquals(Security.INSECURE, tldNx.security(), tldNx.toString());
        for (Name name : List.of(Names.SECURE_NODATA, Names.NSEC3_WWW)) {
            Resolution nodata = resolve.apply(q(name, Type.AAAA), false);
            assertEquals(Header.NOERROR, nodata.rcode());
            assertEquals(List.of(), data(nodata, Type.AAAA));
            assertEquals(Security.SECURE, nodata.security(), nodata.toString());
        }

        Resolution insecure = resolve.apply(q(Names.INSECURE_WWW, Type.A), false);
        assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(Names.INSECURE_WWW))), data(insecure, Type.A));
        assertEquals(Security.INSECURE, insecure.security(), insecure.toString());
        Resolution insecureNx = resolve.apply(q(Names.INSECURE_NX, Type.A), false);
        assertEquals(Header.NXDOMAIN, insecureNx.rcode());
        assertEquals(Security.INSECURE, insecureNx.security(), insecureNx.toString());
        Resolution insecureAlias = resolve.apply(q(Names.INSECURE_ALIAS, Type.A), false);
        assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(Names.SECURE_WWW))), data(insecureAlias, Type.A));
        assertEquals(Security.INSECURE, insecureAlias.security(), "a chain through an insecure zone is insecure");

        Resolution bogus = resolve.apply(q(Names.BOGUS_WWW, Type.A), false);
        assertEquals(Header.SERVFAIL, bogus.rcode());
        assertEquals(6, bogus.error().orElseThrow().infoCode(), bogus.toString());
        Resolution expired = resolve.apply(q(Names.BOGUS_EXPIRED, Type.A), false);
        assertEquals(Header.SERVFAIL, expired.rcode());
        assertEquals(7, expired.error().orElseThrow().infoCode(), expired.toString());
        // RFC 4035 3.2.2: with CD the data comes back, marked bogus
        Resolution checking = resolve.apply(q(Names.BOGUS_WWW, Type.A), true);
        assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(Names.BOGUS_WWW))), data(checking, Type.A));
        assertInstanceOf(Security.Bogus.class, checking.security());

        Resolution lame = resolve.apply(q(Names.LAME_WWW, Type.A), false);
        assertEquals(Header.NOERROR, lame.rcode(), lame.toString());
        assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(Names.LAME_WWW))), data(lame, Type.A));
        assertEquals(Security.INSECURE, lame.security());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void theAcceptanceOverALossyNetwork(long seed) {
        Simulation sim = new Simulation(seed);
        VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10));
        Hierarchy h = Hierarchy.build(sim.clock().now(), Hierarchy.Addressing.SIM, 53);
        SimHierarchy servers = SimHierarchy.boot(sim, lan, h);
        Resolver resolver = resolver(h, servers.host(100), sim.scheduler(), sim.clock(), sim.random());
        assertAcceptance((question, cd) -> sim.await(resolver.resolve(question, cd)));
        servers.stop();
    }

    /**
     * The resolver unikernel itself (real core, hints and trust anchor from its Kv) on the same lossy
     * network, asked by a stub client with DO: AD on secure answers only (RFC 4035 3.2.3), SERVFAIL
     * with the EDE for bogus ones, the data with CD (RFC 4035 3.2.2).
     */
    @ParameterizedTest
    @ValueSource(longs = {21})
    void theUnikernelSetsAdAndGivesExtendedErrors(long seed) {
        Simulation sim = new Simulation(seed);
        VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10));
        Hierarchy h = Hierarchy.build(sim.clock().now(), Hierarchy.Addressing.SIM, 53);
        SimHierarchy servers = SimHierarchy.boot(sim, lan, h);
        DirectStack resolverStack = servers.host(100);
        MemKv kv = new MemKv(sim.clock());
        sim.await(kv.set(Key.of("root.hints"), Bytes.utf8(h.hintsFile()))).orElseThrow();
        sim.await(kv.set(Key.of("anchor"), Bytes.utf8(h.trustAnchorFile()))).orElseThrow();
        DnsResolver dns = new DnsResolver();
        DnsResolver.Parameters p = dns.parameters();
        p.rootHints = "root.hints";
        p.trustAnchor = "anchor";
        p.allow = List.of("10.53.0.0/24");
        Result<Unikernel.Running, String> booted = sim.boot(dns, p, x -> kv, x -> resolverStack);
        assertTrue(booted.isOk(), booted.toString());
        StubClient client = new StubClient(servers.host(101), sim.scheduler(), sim.random(),
                new StubClient.Config(new Endpoint(resolverStack.addresses().getFirst(), 53), Duration.ofSeconds(3), 8, 1232));
        BiFunction<Name, Boolean, Message> ask = (name, cd) -> {
            Message q = Message.query(0, name, Type.A, Optional.of(new Edns(1232, 0, true, 0, List.of())));
            q = q.withHeader(new Header(0, false, 0, false, false, true, false, false, false, cd, 0));
            return sim.await(client.send(q)).orElseThrow(e -> new IllegalStateException(name + ": " + e.describe()));
        };
        for (Name secure : List.of(Names.SECURE_WWW, Names.NSEC3_WWW, Names.RSA_WWW, Names.SECURE_ALIAS)) {
            Message m = ask.apply(secure, false);
            assertEquals(Header.NOERROR, m.header().rcode(), secure.toString());
            assertTrue(m.header().ad(), secure + " is secure: AD");
            assertTrue(m.answers().stream().anyMatch(r -> r.type() == Type.RRSIG), "DO: the RRSIGs come along");
        }
        Message nx = ask.apply(Names.SECURE_NX, false);
        assertEquals(Header.NXDOMAIN, nx.header().rcode());
        assertTrue(nx.header().ad());
        Message insecure = ask.apply(Names.INSECURE_WWW, false);
        assertEquals(Header.NOERROR, insecure.header().rcode());
        assertFalse(insecure.header().ad(), "insecure: no AD");
        Message lame = ask.apply(Names.LAME_WWW, false);
        assertEquals(1, lame.answers().stream().filter(r -> r.type() == Type.A).count());
        Message bogus = ask.apply(Names.BOGUS_WWW, false);
        assertEquals(Header.SERVFAIL, bogus.header().rcode());
        assertEquals(List.of(6), bogus.edns().orElseThrow().options().stream()
                .filter(o -> o instanceof EdnsOption.ExtendedError).map(o -> ((EdnsOption.ExtendedError) o).infoCode()).toList());
        Message checking = ask.apply(Names.BOGUS_WWW, true);
        assertEquals(Header.NOERROR, checking.header().rcode());
        assertFalse(checking.header().ad());
        assertEquals(List.of(new Rdata.A(Hierarchy.WWW.get(Names.BOGUS_WWW))), checking.answers().stream()
                .filter(r -> r.type() == Type.A).map(Record::rdata).toList());
        sim.await(booted.orElseThrow().stop());
        servers.stop();
    }
}
