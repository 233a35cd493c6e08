package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.store.SampleZone;
import jmirage.authoritative.store.ZoneOptions;
import jmirage.authoritative.store.ZoneServer;
import jmirage.authoritative.zone.Zone;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
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
import jmirage.dns.Rcode;
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
import org.junit.jupiter.api.Test;

/**
 * The certify role of primary mode on the simulation target, with a deterministic {@link FakeIssuer}:
 * a CSR published by a signed update gets its certificate within a second (challenge published and
 * removed, one change each), failures back off and lose nothing, short-lived certificates renew,
 * and refused CSRs are neither ordered nor committed.
 */
class CertifierSimTest {

    static final Name ZONE = Name.of("example.test.");
    static final String OWNER = "_letsencrypt._tcp.host.example.test.";
    static final TsigKey UPDATE = new TsigKey(Name.of("test._update.example.test."), TsigAlgorithm.HMAC_SHA256,
            SampleZone.TEST_SECRET_BYTES);
    static final String OTHER_ZONE = """
            $ORIGIN other.test.
            @ 3600 SOA ns hostmaster 1 3600 900 604800 300
            @ 3600 NS ns
            ns 3600 A 192.0.2.2
            """;

    final Simulation sim = new Simulation(17);
    final Pki pki = new Pki(3);
    final MemKv kv = new MemKv(sim.clock());
    ZoneServer server;
    Certifier certifier;
    FakeIssuer issuer;

    void boot(Duration validity, int failures) {
        VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
        DirectStack stack = sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_01L)),
                new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0.1/24").orElseThrow(), Optional.empty()),
                TcpConfig.DEFAULT, sim.clock(), sim.scheduler(), sim.random(), sim.log("stack", LogLevel.WARN))).orElseThrow();
        sim.await(kv.set(Key.of("example.test"), Bytes.utf8(SampleZone.ZONE)));
        sim.await(kv.set(Key.of("other.test"), Bytes.utf8(OTHER_ZONE)));
        sim.await(kv.set(Key.of("_keys"), Bytes.utf8(SampleZone.KEYS)));
        server = sim.await(ZoneServer.start(kv, stack, sim.scheduler(), sim.clock(), sim.random(), sim.log("dns", LogLevel.INFO),
                new ZoneOptions(), 53)).orElseThrow();
        issuer = new FakeIssuer(pki, sim.clock(), server.zones::primaries, validity, failures);
        certifier = Certifier.primary(server.zones, issuer, sim.scheduler(), sim.clock(), sim.log("certify", LogLevel.INFO));
    }

    Rcode update(List<Record> updates) {
        Message m = new Message(new Header(7, false, Header.UPDATE, false, false, false, false, false, false, false, 0),
                List.of(new Question(ZONE, Type.SOA, DnsClass.IN)), List.of(), updates, List.of(), Optional.empty());
        Bytes wire = Tsig.signRequest(m, UPDATE, sim.clock().now(), Tsig.DEFAULT_FUDGE).wire();
        Request request = new Request(MessageCodec.decode(wire).orElseThrow(), wire,
                new Endpoint(IpAddresses.parse("10.0.0.3").orElseThrow(), 40000), new Endpoint(IpAddresses.parse("10.0.0.1").orElseThrow(), 53),
                Request.Transport.UDP, 512, sim.clock().now());
        List<Bytes> answer = sim.await(server.zones.handler(Optional.empty()).handle(request));
        return Rcode.of(MessageCodec.decode(answer.getFirst()).orElseThrow().header().rcode());
    }

    Zone zone() {
        return server.zones.primaries().get(ZONE).orElseThrow();
    }

    List<Rdata.Tlsa> tlsa(int usage, int selector) {
        return CertifyRecords.tlsa(zone(), Name.of(OWNER)).stream().filter(t -> t.usage() == usage && t.selector() == selector).toList();
    }

    List<String> logged(String fragment) {
        return sim.records().stream().map(LogRecord::message).filter(m -> m.contains(fragment)).toList();
    }

    Csr csr(String... names) {
        return pki.csr(pki.key(), names[0], names);
    }

    @Test
    void aCsrPublishedByUpdateGetsItsCertificateAndTheChallengeIsGone() {
        boot(Duration.ofDays(90), 0);
        sim.scheduler().runFor(Duration.ofSeconds(1));
        long serial = zone().serial();
        Csr csr = csr("host.example.test", "host.example.test", "mail.example.test");
        assertEquals(Rcode.NOERROR, update(List.of(Pki.csrRecord(OWNER, csr.der()))));
        sim.scheduler().runFor(Duration.ofSeconds(1));

        assertEquals(1, issuer.orders.size());
        assertEquals(List.of("_acme-challenge.host.example.test.=token-1-0", "_acme-challenge.mail.example.test.=token-1-1"),
                issuer.validated);
        Certificate leaf = Certificate.fromDer(tlsa(3, 0).getFirst().data()).orElseThrow();
        assertTrue(CertifyCore.isFor(leaf, CertificateRequest.read(csr.der()).orElseThrow()));
        assertEquals(List.of(pki.ca.der()), tlsa(0, 0).stream().map(Rdata.Tlsa::data).toList());
        assertEquals(List.of(csr.der()), tlsa(3, 255).stream().map(Rdata.Tlsa::data).toList(), "the CSR stays");
        assertTrue(zone().nodes().keySet().stream().noneMatch(n -> n.toString().startsWith("_acme-challenge")), "challenges removed");
        // the update, then per name a challenge added and removed, then the certificate: one serial each
        assertEquals(serial + 1 + 4 + 1, zone().serial());
        assertEquals(1, logged("certify: certificate for host.example.test, serial " + leaf.serial().toString(16)).size());
        assertEquals(2, logged("certify: challenge for ").stream().filter(l -> !l.contains("removed")).count());
        assertTrue(CertifyCore.decide(certifier.memory(), server.zones.primaries(), sim.clock().now()).actions().isEmpty(),
                "nothing more to do");
        certifier.stop();
        sim.await(server.stop());
    }

    @Test
    void failuresBackOffAndTheCsrGetsItsCertificateOnceTheCaIsBack() {
        boot(Duration.ofDays(90), 3);
        Csr csr = csr("host.example.test");
        assertEquals(Rcode.NOERROR, update(List.of(Pki.csrRecord(OWNER, csr.der()))));
        Instant published = sim.clock().now();
        sim.scheduler().runFor(Duration.ofMinutes(10));
        List<Duration> after = issuer.orders.stream().map(t -> Duration.between(published, t).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).toList();
        assertEquals(List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofMinutes(7)), after,
                "retried after 1, 2, then 4 minutes");
        assertEquals(1, tlsa(3, 0).size(), "nothing lost: the certificate came with the fourth try");
        assertEquals(3, logged("not obtained: no response from the ACME server: connection refused").size());
        assertTrue(certifier.memory().failures().isEmpty());
        certifier.stop();
        sim.await(server.stop());
    }

    @Test
    void aShortLivedCertificateIsRenewedAndReplaced() {
        boot(Duration.ofMinutes(30), 0);
        Csr csr = csr("host.example.test");
        assertEquals(Rcode.NOERROR, update(List.of(Pki.csrRecord(OWNER, csr.der()))));
        sim.scheduler().runFor(Duration.ofMinutes(19));
        assertEquals(1, issuer.orders.size());
        Certificate first = Certificate.fromDer(tlsa(3, 0).getFirst().data()).orElseThrow();
        sim.scheduler().runFor(Duration.ofMinutes(2));
        assertEquals(2, issuer.orders.size(), "renewed at two thirds of its 30 minutes");
        Certificate second = Certificate.fromDer(tlsa(3, 0).getFirst().data()).orElseThrow();
        assertEquals(1, tlsa(3, 0).size(), "replaced, not added");
        assertTrue(second.notAfter().isAfter(first.notAfter()));
        sim.scheduler().runFor(Duration.ofMinutes(60));
        assertEquals(5, issuer.orders.size(), "every 20 minutes, not in a loop");
        certifier.stop();
        sim.await(server.stop());
    }

    @Test
    void refusedCsrsAreNeitherCommittedNorOrdered() {
        boot(Duration.ofDays(90), 0);
        sim.scheduler().runFor(Duration.ofSeconds(1));
        long serial = zone().serial();
        assertEquals(Rcode.REFUSED, update(List.of(Pki.csrRecord(OWNER, csr("host.example.test", "www.other.test").der()))));
        assertEquals(Rcode.REFUSED, update(List.of(Pki.csrRecord(OWNER, Pki.badSignature(csr("host.example.test"))))));
        assertEquals(Rcode.REFUSED, update(List.of(Pki.csrRecord(OWNER, csr("host.elsewhere.test").der()))));
        assertEquals(serial, zone().serial(), "nothing committed");
        assertEquals(1, logged("refused: CSR at " + OWNER + ": key test._update.example.test. may not update other.test.").size());
        assertEquals(1, logged("refused: CSR at " + OWNER + ": CSR signature does not verify").size());

        // the operator pushes a zone with a CSR outside our zones: trusted as the zone is, but not ordered; logged once
        String pushed = SampleZone.ZONE.replace("2026010101", "2026010199") + "_letsencrypt._tcp.host TLSA 3 255 0 "
                + csr("host.elsewhere.test").der().hex() + "\n";
        sim.await(kv.set(Key.of("example.test"), Bytes.utf8(pushed)));
        sim.await(server.zones.reload());
        sim.scheduler().runFor(Duration.ofDays(3));
        assertEquals(List.of(), issuer.orders);
        assertEquals(1, logged("refused, no certificate ordered: host.elsewhere.test. is in no zone of this server").size());
        certifier.stop();
        sim.await(server.stop());
    }
}
