package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.Record;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * CertifyCore over random zone contents and clocks: a refused CSR is never ordered, one CSR is never
 * ordered twice at once, and a certificate is renewed before it expires when the shell wakes when the
 * core says (or daily).
 */
class CertifyCorePropertiesTest {

    static final Pki PKI = new Pki(2026);
    static final int HOSTS = 5;
    static final List<KeyPair> KEYS = new ArrayList<>();
    static final List<Csr> CSRS = new ArrayList<>();

    static {
        for (int i = 0; i < HOSTS; i++) {
            KEYS.add(PKI.key());
            CSRS.add(PKI.csr(KEYS.get(i), "h" + i + ".example.test", "h" + i + ".example.test"));
        }
    }

    /** What is published at one host's name. */
    enum Kind { NOTHING, CSR_ONLY, CURRENT, EXPIRING, OTHER_KEY, BAD_SIGNATURE, OUTSIDE }

    static String owner(int host) {
        return "_letsencrypt._tcp.h" + host + ".example.test.";
    }

    /** The zones for {@code kinds} (one per host) at {@code now}; {@code refused} gets the CSRs that must be refused. */
    static Zones zones(List<Kind> kinds, Instant now, Set<Bytes> refused) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            String owner = owner(i);
            Csr csr = CSRS.get(i);
            switch (kinds.get(i)) {
                case NOTHING -> {}
                case CSR_ONLY -> records.add(Pki.csrRecord(owner, csr.der()));
                case CURRENT -> {
                    records.add(Pki.csrRecord(owner, csr.der()));
                    records.add(Pki.certificateRecord(owner, 3, PKI.issue(csr, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80)))));
                }
                case EXPIRING -> {
                    records.add(Pki.csrRecord(owner, csr.der()));
                    records.add(Pki.certificateRecord(owner, 3, PKI.issue(csr, now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(5)))));
                }
                case OTHER_KEY -> {
                    records.add(Pki.csrRecord(owner, csr.der()));
                    records.add(Pki.certificateRecord(owner, 3, PKI.issue(PKI.csr(PKI.key(), "h" + i + ".example.test"), now,
                            now.plus(Duration.ofDays(90)))));
                }
                case BAD_SIGNATURE -> {
                    Bytes bad = Pki.badSignature(csr);
                    refused.add(bad);
                    records.add(Pki.csrRecord(owner, bad));
                }
                case OUTSIDE -> {
                    Csr outside = PKI.csr(KEYS.get(i), "h" + i + ".example.test", "h" + i + ".example.test", "h" + i + ".other.test");
                    refused.add(outside.der());
                    records.add(Pki.csrRecord(owner, outside.der()));
                }
            }
        }
        return Pki.zones(Pki.zone("example.test.", records.toArray(Record[]::new)));
    }

    /** One step of the shell: time passes, then maybe one order in flight ends (well or not), then the core decides. */
    record Step(long secondsLater, int finishIndex, boolean finishWell) {}

    @Provide
    Arbitrary<List<Kind>> kinds() {
        return Arbitraries.of(Kind.class).list().ofSize(HOSTS);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.longs().between(0, 3 * 86400), Arbitraries.integers().between(-1, HOSTS - 1),
                Arbitraries.of(true, false)).as(Step::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 60)
    void neitherARefusedCsrNorOneCsrTwiceAtOnceIsOrdered(@ForAll("kinds") List<Kind> kinds, @ForAll("steps") List<Step> steps) {
        Set<Bytes> refused = new HashSet<>();
        Zones zones = zones(kinds, Pki.START, refused);
        CertifyCore.Memory memory = CertifyCore.Memory.EMPTY;
        Instant now = Pki.START;
        List<Bytes> inFlight = new ArrayList<>();
        Set<Bytes> refusalsLogged = new HashSet<>();
        for (Step step : steps) {
            now = now.plusSeconds(step.secondsLater());
            if (step.finishIndex() >= 0 && step.finishIndex() < inFlight.size()) {
                Bytes done = inFlight.remove(step.finishIndex());
                memory = CertifyCore.finished(memory, done, now, step.finishWell() ? Optional.empty() : Optional.of("failed"));
            }
            CertifyCore.Decision d = CertifyCore.decide(memory, zones, now);
            memory = d.memory();
            for (CertifyCore.Action a : d.actions()) {
                switch (a) {
                    case CertifyCore.Action.Order o -> {
                        Bytes csr = o.request().csr().der();
                        assertFalse(refused.contains(csr), "a refused CSR was ordered");
                        assertFalse(inFlight.contains(csr), "a CSR was ordered twice at once");
                        inFlight.add(csr);
                    }
                    case CertifyCore.Action.Refuse r -> {
                        assertTrue(refused.containsAll(r.at().csrs()), "only refusable CSRs are refused: " + r.refusal().describe());
                        assertTrue(refusalsLogged.add(r.at().csrs().getFirst()), "a refusal logged twice");
                    }
                }
            }
            assertEquals(Set.copyOf(inFlight), memory.inFlight().keySet());
            d.next().ifPresent(n -> assertTrue(n.isAfter(Pki.START), "the next look is in the future"));
        }
    }

    @Property(tries = 80)
    void aCertificateIsRenewedBeforeItExpires(@ForAll @LongRange(min = 60, max = 400L * 86400) long lifetimeSeconds,
            @ForAll @LongRange(min = 0, max = 86399) long bootOffset) {
        Instant notBefore = Pki.START;
        Instant notAfter = notBefore.plusSeconds(lifetimeSeconds);
        Certificate c = PKI.issue(CSRS.getFirst(), notBefore, notAfter);
        Zones zones = Pki.zones(Pki.zone("example.test.", Pki.csrRecord(owner(0), CSRS.getFirst().der()),
                Pki.certificateRecord(owner(0), 3, c)));
        Instant renewAt = CertifyCore.renewAt(notBefore, notAfter);
        assertTrue(renewAt.isBefore(notAfter) && !renewAt.isBefore(notBefore.plusSeconds(lifetimeSeconds * 2 / 3)),
                "renewal within the last third, before expiry");
        // the shell: wakes when the core says, or daily, from a boot at any time of the first day
        Instant now = notBefore.plusSeconds(Math.min(bootOffset, lifetimeSeconds / 2));
        for (int wakes = 0; wakes < 1000; wakes++) {
            CertifyCore.Decision d = CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, now);
            if (!d.actions().isEmpty()) {
                assertEquals(CertifyCore.Why.RENEWAL, ((CertifyCore.Action.Order) d.actions().getFirst()).why());
                assertFalse(now.isBefore(renewAt), "renewed early");
                assertTrue(now.isBefore(notAfter), "renewed after expiry");
                return;
            }
            Instant next = d.next().orElseThrow();
            now = next.isBefore(now.plus(Certifier.DAILY)) ? next : now.plus(Certifier.DAILY);
        }
        throw new AssertionError("never renewed");
    }
}
