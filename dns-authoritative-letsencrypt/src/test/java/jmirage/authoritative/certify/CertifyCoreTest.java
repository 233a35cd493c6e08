package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.authoritative.zone.Zones;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import org.junit.jupiter.api.Test;

class CertifyCoreTest {

    static final Pki PKI = new Pki(17);
    static final String OWNER = "_letsencrypt._tcp.www.example.test.";
    static final Instant NOW = Pki.START;
    static final KeyPair KEY = PKI.key();
    static final Csr CSR = PKI.csr(KEY, "www.example.test", "www.example.test", "api.example.test");

    static Zones withCsr(Certificate... certificates) {
        List<jmirage.dns.Record> records = new java.util.ArrayList<>();
        records.add(Pki.csrRecord(OWNER, CSR.der()));
        for (Certificate c : certificates) {
            records.add(Pki.certificateRecord(OWNER, 3, c));
        }
        records.add(Pki.certificateRecord(OWNER, 0, PKI.ca));
        return Pki.zones(Pki.zone("example.test.", records.toArray(jmirage.dns.Record[]::new)));
    }

    static List<CertifyCore.Action.Order> orders(CertifyCore.Decision d) {
        return d.actions().stream().filter(CertifyCore.Action.Order.class::isInstance).map(CertifyCore.Action.Order.class::cast).toList();
    }

    @Test
    void aCsrWithoutCertificateIsOrderedOnceForItsNames() {
        CertifyCore.Decision first = CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(), NOW);
        assertEquals(1, orders(first).size());
        CertifyCore.Action.Order order = orders(first).getFirst();
        assertEquals(List.of("www.example.test", "api.example.test"), order.request().names());
        assertEquals(CertifyCore.Why.NO_CERTIFICATE, order.why());
        assertEquals(jmirage.dns.Name.of(OWNER), order.at().owner());
        assertEquals(java.util.Set.of(CSR.der()), first.memory().inFlight().keySet());

        CertifyCore.Decision again = CertifyCore.decide(first.memory(), withCsr(), NOW.plusSeconds(30));
        assertEquals(List.of(), again.actions(), "in flight: no second order");
    }

    @Test
    void aCurrentCertificateWaitsForItsRenewalTime() {
        Certificate c = PKI.issue(CSR, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(89)));
        CertifyCore.Decision d = CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(c), NOW);
        assertEquals(List.of(), d.actions());
        assertEquals(Optional.of(NOW.plus(Duration.ofDays(89 - 14))), d.next(), "90 days: 14 days before expiry");

        CertifyCore.Decision due = CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(c), NOW.plus(Duration.ofDays(76)));
        assertEquals(CertifyCore.Why.RENEWAL, orders(due).getFirst().why());
    }

    @Test
    void aShortLivedCertificateRenewsAtTwoThirdsOfItsLifeNotInALoop() {
        Certificate c = PKI.issue(CSR, NOW, NOW.plus(Duration.ofMinutes(30)));
        assertEquals(NOW.plus(Duration.ofMinutes(20)), CertifyCore.renewAt(c.notBefore(), c.notAfter()));
        CertifyCore.Decision fresh = CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(c), NOW.plus(Duration.ofMinutes(1)));
        assertEquals(List.of(), fresh.actions(), "a fresh short-lived certificate is not renewed at once");
        assertEquals(Optional.of(NOW.plus(Duration.ofMinutes(20))), fresh.next());
        CertifyCore.Decision due = CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(c), NOW.plus(Duration.ofMinutes(20)));
        assertEquals(1, orders(due).size());
    }

    @Test
    void aCertificateForAnotherKeyOrFewerNamesIsNotTheCsrs() {
        Certificate otherKey = PKI.issue(PKI.csr(PKI.key(), "www.example.test", "www.example.test", "api.example.test"),
                NOW, NOW.plus(Duration.ofDays(90)));
        assertEquals(CertifyCore.Why.NO_CERTIFICATE,
                orders(CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(otherKey), NOW)).getFirst().why());
        Certificate fewerNames = PKI.issue(PKI.csr(KEY, "www.example.test", "www.example.test"), NOW, NOW.plus(Duration.ofDays(90)));
        assertEquals(1, orders(CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(fewerNames), NOW)).size());
    }

    @Test
    void aCsrWhoseSignatureDoesNotVerifyIsRefusedAndLoggedOnce() {
        Zones zones = Pki.zones(Pki.zone("example.test.", Pki.csrRecord(OWNER, Pki.badSignature(CSR))));
        CertifyCore.Decision first = CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, NOW);
        assertEquals(1, first.actions().size());
        CertifyCore.Action.Refuse refuse = assertInstanceOf(CertifyCore.Action.Refuse.class, first.actions().getFirst());
        assertInstanceOf(Refusal.Unreadable.class, refuse.refusal());
        assertEquals("CSR signature does not verify", refuse.refusal().describe());
        assertEquals(List.of(), CertifyCore.decide(first.memory(), zones, NOW.plus(Duration.ofDays(2))).actions());
    }

    @Test
    void aNameOutsideTheZonesIsRefused() {
        Csr outside = PKI.csr(PKI.key(), "www.example.test", "www.example.test", "www.elsewhere.test");
        Zones zones = Pki.zones(Pki.zone("example.test.", Pki.csrRecord(OWNER, outside.der())));
        CertifyCore.Action.Refuse refuse = assertInstanceOf(CertifyCore.Action.Refuse.class,
                CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, NOW).actions().getFirst());
        assertEquals(new Refusal.OutsideZones(jmirage.dns.Name.of("www.elsewhere.test.")), refuse.refusal());
    }

    @Test
    void aNameBelowADelegationIsRefused() {
        Csr below = PKI.csr(PKI.key(), "www.sub.example.test", "www.sub.example.test");
        Zones zones = Pki.zones(Pki.zone("example.test.", Pki.csrRecord(OWNER, below.der()),
                jmirage.dns.Record.in(jmirage.dns.Name.of("sub.example.test."), 3600,
                        new jmirage.dns.Rdata.Ns(jmirage.dns.Name.of("ns.elsewhere.test.")))));
        CertifyCore.Action.Refuse refuse = assertInstanceOf(CertifyCore.Action.Refuse.class,
                CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, NOW).actions().getFirst());
        assertEquals(new Refusal.BelowDelegation(jmirage.dns.Name.of("www.sub.example.test."), jmirage.dns.Name.of("sub.example.test.")),
                refuse.refusal());
        assertEquals("www.sub.example.test. is delegated away at sub.example.test.", refuse.refusal().describe());
    }

    @Test
    void aWildcardIsValidatedAtItsBaseName() {
        Csr wildcard = PKI.csr(PKI.key(), "*.example.test", "*.example.test", "example.test");
        Zones zones = Pki.zones(Pki.zone("example.test.", Pki.csrRecord(OWNER, wildcard.der())));
        CertifyCore.Action.Order order = orders(CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, NOW)).getFirst();
        assertEquals(List.of(jmirage.dns.Name.of("example.test.")), order.request().identifiers());
    }

    @Test
    void twoCsrsAtOneNameAreRefused() {
        Csr second = PKI.csr(PKI.key(), "www.example.test");
        Zones zones = Pki.zones(Pki.zone("example.test.", Pki.csrRecord(OWNER, CSR.der()), Pki.csrRecord(OWNER, second.der())));
        CertifyCore.Action.Refuse refuse = assertInstanceOf(CertifyCore.Action.Refuse.class,
                CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, NOW).actions().getFirst());
        assertEquals(new Refusal.SeveralCsrs(2), refuse.refusal());
    }

    @Test
    void failuresBackOffFromAMinuteDoublingToADayAndSuccessForgetsThem() {
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(512),
                Duration.ofDays(1), Duration.ofDays(1)), List.of(CertifyCore.backoff(1), CertifyCore.backoff(2),
                CertifyCore.backoff(3), CertifyCore.backoff(10), CertifyCore.backoff(12), CertifyCore.backoff(1000)));
        CertifyCore.Memory m = CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(), NOW).memory();
        m = CertifyCore.finished(m, CSR.der(), NOW, Optional.of("pebble down"));
        assertEquals(new CertifyCore.Failure(1, NOW.plus(Duration.ofMinutes(1)), "pebble down"), m.failures().get(CSR.der()));
        CertifyCore.Decision waiting = CertifyCore.decide(m, withCsr(), NOW.plusSeconds(59));
        assertEquals(List.of(), waiting.actions());
        assertEquals(Optional.of(NOW.plus(Duration.ofMinutes(1))), waiting.next());
        CertifyCore.Decision retry = CertifyCore.decide(m, withCsr(), NOW.plusSeconds(60));
        assertEquals(1, orders(retry).size());
        m = CertifyCore.finished(retry.memory(), CSR.der(), NOW.plusSeconds(60), Optional.of("pebble down"));
        assertEquals(2, m.failures().get(CSR.der()).attempts());
        assertEquals(NOW.plusSeconds(60).plus(Duration.ofMinutes(2)), m.failures().get(CSR.der()).retryAt());
        m = CertifyCore.finished(CertifyCore.decide(m, withCsr(), NOW.plus(Duration.ofMinutes(3))).memory(), CSR.der(),
                NOW.plus(Duration.ofMinutes(3)), Optional.empty());
        assertTrue(m.failures().isEmpty() && m.inFlight().isEmpty(), m.toString());
    }

    @Test
    void aCsrTakenAwayIsForgotten() {
        CertifyCore.Memory m = CertifyCore.finished(CertifyCore.decide(CertifyCore.Memory.EMPTY, withCsr(), NOW).memory(),
                CSR.der(), NOW, Optional.of("refused"));
        CertifyCore.Decision gone = CertifyCore.decide(m, Pki.zones(Pki.zone("example.test.")), NOW);
        assertEquals(List.of(), gone.actions());
        assertTrue(gone.memory().failures().isEmpty());
        assertEquals(Optional.empty(), gone.next());
    }
}
