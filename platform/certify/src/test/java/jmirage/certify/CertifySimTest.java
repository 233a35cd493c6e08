package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.net.Endpoint;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import org.junit.jupiter.api.Test;

/**
 * The certify client on the simulation target (the direct stack the tap target runs, a lossy
 * virtual switch, virtual time) against a primary in test code: the CSR published once, backoff
 * while no certificate is there, the certificate taken, hourly looks for a 90-day certificate, a
 * renewal swapped in within the hour, an update with the wrong key refused and retried, nothing else
 * published.
 */
class CertifySimTest {

    static final Instant START = Instant.parse("2027-01-01T00:00:00Z");
    static final TsigKey KEY = new TsigKey(Name.of("host._update.example.org."), TsigAlgorithm.HMAC_SHA256,
            Bytes.utf8("a test secret of thirty-two bytes"));

    final Simulation sim = new Simulation(11, START);
    final VirtualSwitch lan = VirtualSwitch.of(sim, new VirtualSwitch.Conditions(0.03, 0.01, 0.01, Duration.ofMillis(5),
            Duration.ofMillis(2), 1500));
    final FakePrimary primary = new FakePrimary(KEY, () -> sim.clock().now());

    DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(),
                Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config, sim.clock(),
                sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).orElseThrow();
    }

    CertifyConfig config(TsigKey key, String hostname) {
        return new CertifyConfig(new Endpoint(InetAddress.ofLiteral("10.0.0.1"), 53), key, Name.of("example.org."),
                Name.of(hostname), List.of());
    }

    Certify start(DirectStack stack, CertifyConfig config) {
        Certify.Devices devices = new Certify.Devices(stack, sim.scheduler(), sim.clock(), sim.random(), new MemKv(sim.clock()),
                sim.log("certify-" + config.hostname(), LogLevel.DEBUG));
        Credentials fallback = SelfSigned.make(sim.random(), START, List.of(CertifyConfig.text(config.hostname())));
        return sim.await(Certify.start(devices, config, fallback)).orElseThrow();
    }

    List<Record> csrs() {
        return primary.records.stream().filter(r -> r.rdata() instanceof Rdata.Tlsa t && t.usage() == 3 && t.selector() == 255)
                .toList();
    }

    @Test
    void theCertificateComesAndItsRenewalIsSwappedInOnTheDirectStack() {
        sim.await(primary.listen(stack(1)));
        CertifyConfig config = config(KEY, "www.example.org.");
        Certify certify = start(stack(2), config);

        sim.scheduler().runFor(Duration.ofSeconds(62));
        assertEquals(1, csrs().size(), "one CSR published");
        assertEquals(1, primary.updates);
        long looks = certify.looks();
        assertTrue(looks >= 4 && looks <= 6, "2, 4, 8, 16, 32 s apart without a certificate: " + looks + " looks");

        TestCa ca = TestCa.create(sim.random(), START);
        Csr csr = new Csr(((Rdata.Tlsa) csrs().getFirst().rdata()).data());
        Certificate first = ca.sign(csr, START, START.plus(Duration.ofDays(90)));
        primary.records.add(Record.in(config.recordName(), 300, new Rdata.Tlsa(3, 0, 0, first.der())));
        primary.records.add(Record.in(config.recordName(), 300, new Rdata.Tlsa(0, 0, 0, ca.intermediate().der())));
        sim.scheduler().runFor(Duration.ofMinutes(2));
        assertEquals(Optional.of(List.of(first, ca.intermediate())), certify.certified().map(Credentials::chain));
        assertEquals(first, certify.slot().current().leaf());

        long before = certify.looks();
        sim.scheduler().runFor(Duration.ofHours(5));
        assertEquals(5, certify.looks() - before, "hourly looks for a 90-day certificate");

        Certificate renewed = ca.sign(csr, sim.clock().now(), sim.clock().now().plus(Duration.ofDays(90)));
        primary.records.add(Record.in(config.recordName(), 300, new Rdata.Tlsa(3, 0, 0, renewed.der())));
        sim.scheduler().runFor(Duration.ofMinutes(61));
        assertEquals(renewed, certify.slot().current().leaf(), "the renewal swapped in within the hour");
        assertEquals(2, certify.slot().swaps(), "two swaps: the first certificate, the renewal");
        assertEquals(1, primary.updates, "the CSR was never published again");
        certify.stop();
    }

    @Test
    void anUpdateWithAKeyThePrimaryDoesNotTakeIsRefusedLoggedAndRetried() {
        sim.await(primary.listen(stack(1)));
        TsigKey wrong = new TsigKey(KEY.name(), KEY.algorithm(), Bytes.utf8("not the secret the primary has"));
        Certify certify = start(stack(3), config(wrong, "cal.example.org."));
        sim.scheduler().runFor(Duration.ofMinutes(3));
        assertEquals(List.of(), csrs());
        assertEquals(0, primary.updates);
        assertTrue(primary.refused >= 4 && primary.refused <= 7, "retried with backoff: " + primary.refused);
        assertTrue(sim.records().stream().map(LogRecord::message).anyMatch(m -> m.contains("refused the update: NOTAUTH")),
                "the refusal logged");
        assertEquals(0, certify.slot().swaps());
        certify.stop();
    }
}
