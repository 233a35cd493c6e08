package jmirage.resolver.hierarchy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.net.Endpoint;
import jmirage.dns.Edns;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.client.StubClient;
import jmirage.dns.dnssec.Dnssec;
import jmirage.net.DirectStack;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hierarchy itself, before any resolver: its servers on the simulation target with 10% loss,
 * asked directly with DO, give referrals, signed DS and DNSKEY sets, and answers whose chain of
 * trust from the root's DS verifies (and fails as planned for bogus.test); the lame delegation has
 * one silent and one refusing server.
 */
class HierarchyServedTest {

    record Net(Simulation sim, Hierarchy hierarchy, DirectStack client) {
        Message ask(int server, Name name, int type) {
            StubClient c = new StubClient(client, sim.scheduler(), sim.random(), new StubClient.Config(
                    new Endpoint(hierarchy.address(server), hierarchy.port()), Duration.ofSeconds(1), 10, 1232));
            Message q = Message.query(0, name, type, Optional.of(new Edns(1232, 0, true, 0, List.of())));
            return sim.await(c.send(q)).orElseThrow(e -> new IllegalStateException(name + ": " + e.describe()));
        }

        Result<Message, StubClient.ClientError> tryAsk(int server, Name name, int type) {
            StubClient c = new StubClient(client, sim.scheduler(), sim.random(), new StubClient.Config(
                    new Endpoint(hierarchy.address(server), hierarchy.port()), Duration.ofSeconds(1), 3, 1232));
            return sim.await(c.query(name, type));
        }
    }

    static Net boot(long seed) {
        Simulation sim = new Simulation(seed);
        VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.10));
        Hierarchy h = Hierarchy.build(sim.clock().now(), Hierarchy.Addressing.SIM, 53);
        SimHierarchy servers = SimHierarchy.boot(sim, lan, h);
        return new Net(sim, h, servers.host(100));
    }

    static List<Record> section(List<Record> records, Name owner, int type) {
        return records.stream().filter(r -> r.name().equals(owner) && r.type() == type).toList();
    }

    static List<Rdata.Rrsig> sigs(List<Record> records, Name owner, int type) {
        return records.stream().filter(r -> r.name().equals(owner) && r.rdata() instanceof Rdata.Rrsig s && s.typeCovered() == type)
                .map(r -> (Rdata.Rrsig) r.rdata()).toList();
    }

    /** RFC 4035 5: the DNSKEY RRset of {@code zone} verified by one of the {@code ds}; its keys. */
    static List<Rdata.Dnskey> keysOf(Net net, int server, Name zone, List<Record> ds, Instant now) {
        Message m = net.ask(server, zone, Type.DNSKEY);
        List<Record> keys = section(m.answers(), zone, Type.DNSKEY);
        assertFalse(keys.isEmpty(), "DNSKEY of " + zone);
        for (Record d : ds) {
            for (Record k : keys) {
                Rdata.Dnskey key = (Rdata.Dnskey) k.rdata();
                Rdata.Ds want = (Rdata.Ds) d.rdata();
                if (Dnssec.ds(zone, key, want.digestType()).orElseThrow().equals(want)) {
                    for (Rdata.Rrsig sig : sigs(m.answers(), zone, Type.DNSKEY)) {
                        if (sig.keyTag() == want.keyTag()
                                && Dnssec.verify(sig, key, zone, keys, now) instanceof Result.Ok) {
                            return keys.stream().map(r -> (Rdata.Dnskey) r.rdata()).toList();
                        }
                    }
                }
            }
        }
        throw new AssertionError("no DS of " + zone + " matches a key that signs its DNSKEY RRset");
    }

    static Result<Unit, Dnssec.Failure> verified(List<Record> rrset, List<Rdata.Rrsig> sigs, List<Rdata.Dnskey> keys, Name zone,
            Instant now) {
        Result<Unit, Dnssec.Failure> last = Result.err(new Dnssec.Failure.KeyMismatch());
        for (Rdata.Rrsig sig : sigs) {
            for (Rdata.Dnskey k : keys) {
                if (Dnssec.keyTag(k) == sig.keyTag()) {
                    last = Dnssec.verify(sig, k, zone, rrset, now);
                    if (last.isOk()) {
                        return last;
                    }
                }
            }
        }
        return last;
    }

    /** Walks root, test, then the zone of {@code name} on {@code server}, verifying each DS; the answer's verdict. */
    static Result<Unit, Dnssec.Failure> chain(Net net, Name zone, int server, Name name) {
        Instant now = net.sim().clock().now();
        Name tld = Name.of("test.");
        List<Rdata.Dnskey> rootKeys = keysOf(net, Hierarchy.ROOT_SERVER, Name.ROOT, net.hierarchy().trustAnchor(), now);
        Message toTld = net.ask(Hierarchy.ROOT_SERVER, name, Type.A);
        assertFalse(toTld.header().aa(), "a referral");
        List<Record> tldDs = section(toTld.authority(), tld, Type.DS);
        assertEquals(Result.ok(), verified(tldDs, sigs(toTld.authority(), tld, Type.DS), rootKeys, Name.ROOT, now));
        List<Rdata.Dnskey> tldKeys = keysOf(net, Hierarchy.TLD_SERVER, tld, tldDs, now);
        Message toZone = net.ask(Hierarchy.TLD_SERVER, name, Type.A);
        List<Record> zoneDs = section(toZone.authority(), zone, Type.DS);
        assertEquals(Result.ok(), verified(zoneDs, sigs(toZone.authority(), zone, Type.DS), tldKeys, tld, now));
        List<Rdata.Dnskey> zoneKeys = keysOf(net, server, zone, zoneDs, now);
        Message answer = net.ask(server, name, Type.A);
        assertTrue(answer.header().aa());
        return verified(section(answer.answers(), name, Type.A), sigs(answer.answers(), name, Type.A), zoneKeys, zone, now);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void signedZonesVerifyFromTheRootsDsAndBogusOnesFailAsPlanned(long seed) {
        Net net = boot(seed);
        assertEquals(Result.ok(), chain(net, Name.of("secure.test."), Hierarchy.ZONES_SERVER, Hierarchy.Names.SECURE_WWW));
        assertEquals(Result.ok(), chain(net, Name.of("nsec3.test."), Hierarchy.NSEC3_SERVER, Hierarchy.Names.NSEC3_WWW));
        assertEquals(Result.ok(), chain(net, Name.of("rsa.test."), Hierarchy.ZONES_SERVER, Hierarchy.Names.RSA_WWW));
        assertInstanceOf(Dnssec.Failure.BadSignature.class,
                err(chain(net, Name.of("bogus.test."), Hierarchy.ZONES_SERVER, Hierarchy.Names.BOGUS_WWW)));
        assertInstanceOf(Dnssec.Failure.Expired.class,
                err(chain(net, Name.of("bogus.test."), Hierarchy.ZONES_SERVER, Hierarchy.Names.BOGUS_EXPIRED)));
    }

    @ParameterizedTest
    @ValueSource(longs = {3})
    void insecureLameAndMissingNamesAreAsDescribed(long seed) {
        Net net = boot(seed);
        // insecure.test: a referral without DS, an opt-out NSEC3 in its place
        Message insecure = net.ask(Hierarchy.TLD_SERVER, Hierarchy.Names.INSECURE_WWW, Type.A);
        assertEquals(List.of(), section(insecure.authority(), Name.of("insecure.test."), Type.DS));
        assertTrue(insecure.authority().stream().anyMatch(r -> r.rdata() instanceof Rdata.Nsec3 n && (n.flags() & 1) == 1));
        Message www = net.ask(Hierarchy.ZONES_SERVER, Hierarchy.Names.INSECURE_WWW, Type.A);
        assertEquals(List.of(Record.in(Hierarchy.Names.INSECURE_WWW, 300, new Rdata.A(Hierarchy.WWW.get(Hierarchy.Names.INSECURE_WWW)))),
                www.answers());
        // lame.test: ns1 silent, ns2 refuses, ns3 (and ns4) answer
        assertInstanceOf(StubClient.ClientError.TimedOut.class,
                err(net.tryAsk(Hierarchy.LAME_SILENT, Hierarchy.Names.LAME_WWW, Type.A)));
        assertEquals(Header.REFUSED, net.ask(Hierarchy.ZONES_SERVER, Hierarchy.Names.LAME_WWW, Type.A).header().rcode());
        Message lame = net.ask(Hierarchy.LAME_GOOD, Hierarchy.Names.LAME_WWW, Type.A);
        assertTrue(lame.header().aa());
        assertEquals(1, lame.answers().size());
        Message referral = net.ask(Hierarchy.TLD_SERVER, Hierarchy.Names.LAME_WWW, Type.A);
        assertEquals(4, section(referral.authority(), Name.of("lame.test."), Type.NS).size());
        // NXDOMAIN at the TLD and in a zone, NODATA, the wildcard, the CNAMEs
        assertEquals(Header.NXDOMAIN, net.ask(Hierarchy.TLD_SERVER, Hierarchy.Names.TLD_NX, Type.A).header().rcode());
        assertEquals(Header.NXDOMAIN, net.ask(Hierarchy.ZONES_SERVER, Hierarchy.Names.SECURE_NX, Type.A).header().rcode());
        assertEquals(Header.NXDOMAIN, net.ask(Hierarchy.NSEC3_SERVER, Hierarchy.Names.NSEC3_NX, Type.A).header().rcode());
        Message nodata = net.ask(Hierarchy.ZONES_SERVER, Hierarchy.Names.SECURE_NODATA, Type.AAAA);
        assertEquals(Header.NOERROR, nodata.header().rcode());
        assertEquals(List.of(), nodata.answers());
        assertFalse(section(nodata.authority(), Hierarchy.Names.SECURE_NODATA, Type.NSEC).isEmpty());
        Message wild = net.ask(Hierarchy.ZONES_SERVER, Hierarchy.Names.SECURE_WILDCARD, Type.A);
        assertEquals(1, section(wild.answers(), Hierarchy.Names.SECURE_WILDCARD, Type.A).size());
        Message alias = net.ask(Hierarchy.ZONES_SERVER, Hierarchy.Names.SECURE_ALIAS, Type.A);
        assertEquals(List.of(new Rdata.Cname(Hierarchy.Names.NSEC3_WWW)), alias.answers().stream()
                .filter(r -> r.type() == Type.CNAME).map(Record::rdata).toList(), "the CNAME leaves the zone");
        // the server follows a CNAME only within its zone (RFC 1034 4.3.2), even to a zone it also serves
        assertEquals(List.of(new Rdata.Cname(Hierarchy.Names.SECURE_WWW)), net.ask(Hierarchy.ZONES_SERVER,
                Hierarchy.Names.INSECURE_ALIAS, Type.A).answers().stream().map(Record::rdata).toList());
    }

    static <T, E> E err(Result<T, E> r) {
        return switch (r) {
            case Result.Err<T, E>(E e) -> e;
            case Result.Ok<T, E> ok -> throw new AssertionError("expected an error, got " + ok);
        };
    }
}
