package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.acme.AcmeError;
import jmirage.acme.Dns01;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneServer;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Key;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpAddresses;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.DnsClass;
import jmirage.dns.Header;
import jmirage.dns.Message;
import jmirage.dns.MessageCodec;
import jmirage.dns.Name;
import jmirage.dns.Question;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.server.Request;
import jmirage.dns.tsig.Tsig;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.net.tcp.TcpConfig;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import org.junit.jupiter.api.Test;

/**
 * Secondary mode on the sim target: our server at 10.0.0.2 is the secondary of a primary at
 * 10.0.0.1 (the module's own server standing in for one that is not ours; NOTIFY to the secondary
 * after each change) over a lossy virtual switch. A CSR published at the primary reaches the
 * secondary by transfer; the certify role there orders a certificate (a fake issuer in place of
 * ACME) whose challenge it writes to the primary by update, served there before the issuer goes on;
 * the certificate and chain end up at the primary and in our copy, the challenge gone, and nothing
 * is ordered twice.
 */
class SecondaryModeSimTest {

    static final Name ZONE = Name.of("example.test.");
    static final String OWNER = "_letsencrypt._tcp.www.example.test.";
    static final TsigKey UPDATE = new TsigKey(Name.of("test._update.example.test."), TsigAlgorithm.HMAC_SHA256,
            SampleZone.TEST_SECRET_BYTES);

    final Simulation sim = new Simulation(1705, Pki.START);
    final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.05));
    final DirectStack primaryStack = stack(1);
    final DirectStack secondaryStack = stack(2);
    final ZoneServer primary;
    final ZoneServer secondary;
    final Pki pki = new Pki(17);

    SecondaryModeSimTest() {
        ZoneOptions notifying = new ZoneOptions();
        notifying.notify.add("10.0.0.2");
        primary = server("primary", new MemKv(sim.clock()), primaryStack, notifying);
        MemKv secondaryKv = new MemKv(sim.clock());
        sim.await(secondaryKv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS)));
        ZoneOptions options = new ZoneOptions();
        // the sample's update key: it transfers the zone and signs the role's updates to the primary
        options.secondaries.add("example.test@10.0.0.1#test._update.example.test");
        secondary = server("secondary", secondaryKv, secondaryStack, options);
        sim.scheduler().runFor(Duration.ofSeconds(30));
    }

    DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config, TcpConfig.DEFAULT,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("stack" + host, LogLevel.WARN))).orElseThrow();
    }

    ZoneServer server(String name, MemKv kv, DirectStack stack, ZoneOptions options) {
        return sim.await(ZoneServer.start(kv, stack, sim.scheduler(), sim.clock(), sim.random(), sim.log(name, LogLevel.INFO),
                options, 53)).orElseThrow();
    }

    static Zone served(ZoneServer server) {
        return server.zones.zones().get(ZONE).orElseThrow();
    }

    static List<Rdata> at(ZoneServer server, String name, int type) {
        return served(server).rrset(Name.of(name), type).map(s -> s.rdata()).orElse(List.of());
    }

    /** An operator's (or a unikernel's) signed update to the primary. */
    void updatePrimary(List<Record> updates) {
        Message m = new Message(new Header(99, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(ZONE, Type.SOA, DnsClass.IN)), List.of(), updates, List.of(), Optional.empty());
        Bytes wire = Tsig.signRequest(m, UPDATE, sim.clock().now(), Tsig.DEFAULT_FUDGE).wire();
        Request request = new Request(MessageCodec.decode(wire).orElseThrow(), wire,
                new Endpoint(IpAddresses.parse("10.0.0.3").orElseThrow(), 40000), new Endpoint(IpAddresses.parse("10.0.0.1").orElseThrow(), 53),
                Request.Transport.UDP, 512, sim.clock().now());
        List<Bytes> answer = sim.await(primary.zones.handler(Optional.empty()).handle(request));
        assertEquals(Header.NOERROR, MessageCodec.decode(answer.getFirst()).orElseThrow().header().rcode());
    }

    @Test
    void aChangeCompletesOnceThePrimaryHasItAndOurCopyShowsIt() {
        SecondaryZoneWriter writer = new SecondaryZoneWriter(secondary.zones, secondaryStack, sim.scheduler(), sim.clock(), sim.random(),
                sim.log("certify", LogLevel.INFO));
        Record txt = Record.in(Name.of("_acme-challenge.www.example.test."), 60, new Rdata.Txt(List.of(Bytes.utf8("token"))));
        Promise<Result<Unit, String>> written = writer.change(List.of(), List.of(txt), "certify: test");
        assertEquals(Result.ok(), sim.await(written));
        assertEquals(List.of(txt.rdata()), at(primary, txt.name().toString(), Type.TXT));
        assertEquals(List.of(txt.rdata()), at(secondary, txt.name().toString(), Type.TXT), "our copy shows it when the promise completes");

        assertEquals(Result.ok(), sim.await(writer.change(List.of(txt), List.of(), "certify: test removed")));
        assertEquals(List.of(), at(primary, txt.name().toString(), Type.TXT));
        assertEquals(List.of(), at(secondary, txt.name().toString(), Type.TXT));

        Record outside = Record.in(Name.of("www.example.org."), 60, txt.rdata());
        assertEquals(Result.err("www.example.org. is in no zone we are secondary for"),
                sim.await(writer.change(List.of(), List.of(outside), "certify: test")));
    }

    @Test
    void aCsrPublishedAtThePrimaryGetsItsCertificateThereThroughTheSecondary() {
        KeyPair key = pki.key();
        Csr csr = pki.csr(key, "www.example.test", "www.example.test");
        List<String> challengesSeenAtThePrimary = new ArrayList<>();
        List<List<String>> orders = new ArrayList<>();
        Issuer fake = (Csr c, List<String> names, Dns01 dns01) -> {
            orders.add(names);
            String name = "_acme-challenge." + names.getFirst() + ".";
            return dns01.publish(names.getFirst(), "digest-of-the-key-authorization").flatMap(p -> {
                assertEquals(Result.ok(), p);
                // what an ACME server validating now would find at the primary
                at(primary, name, Type.TXT).forEach(t -> challengesSeenAtThePrimary.add(((Rdata.Txt) t).strings().getFirst().toUtf8()));
                return dns01.remove(names.getFirst(), "digest-of-the-key-authorization");
            }).map(r -> {
                assertEquals(Result.ok(), r);
                Certificate leaf = pki.issue(c, sim.clock().now().minusSeconds(60), sim.clock().now().plus(Duration.ofDays(90)));
                return Result.<List<Certificate>, AcmeError>ok(List.of(leaf, pki.ca));
            });
        };
        Certifier role = SecondaryMode.certifier(secondary.zones, secondaryStack, sim.random(), fake, sim.scheduler(), sim.clock(),
                sim.log("certify", LogLevel.INFO));

        updatePrimary(List.of(Pki.csrRecord(OWNER, csr.der())));
        sim.scheduler().runFor(Duration.ofMinutes(2));

        assertEquals(List.of(List.of("www.example.test")), orders, "one order, for the CSR's name");
        assertEquals(List.of("digest-of-the-key-authorization"), challengesSeenAtThePrimary, "the challenge was served by the primary");
        assertEquals(List.of(), at(primary, "_acme-challenge.www.example.test.", Type.TXT), "the challenge is gone");
        List<Rdata> tlsa = at(primary, OWNER, Type.TLSA);
        assertTrue(tlsa.contains(new Rdata.Tlsa(3, 255, 0, csr.der())), "the CSR stays");
        assertTrue(tlsa.stream().anyMatch(t -> t instanceof Rdata.Tlsa(int u, int s, int m, Bytes der) && u == 3 && s == 0
                && CertifyCore.isFor(Certificate.fromDer(der).orElseThrow(), CertificateRequest.read(csr.der()).orElseThrow())),
                "the certificate for the CSR at the primary: " + tlsa);
        assertTrue(tlsa.contains(new Rdata.Tlsa(0, 0, 0, pki.ca.der())), "and its chain");
        assertEquals(tlsa, at(secondary, OWNER, Type.TLSA), "our copy has it too");

        // the role read back what it wrote: no second order for a day
        sim.scheduler().runFor(Duration.ofHours(25));
        assertEquals(1, orders.size(), "ordered once");
        assertFalse(role.memory().failures().containsKey(csr.der()), "no failure remembered");
        role.stop();
    }
}
