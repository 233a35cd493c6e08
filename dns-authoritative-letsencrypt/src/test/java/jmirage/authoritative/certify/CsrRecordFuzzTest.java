package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;
import jmirage.authoritative.keys.KeyEntry;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;

/**
 * Arbitrary bytes as the CSR of a {@code TLSA 3 255 0} record (what a client's update carries, or a
 * zone pushed or transferred holds), through both paths that read it: the update policy and the
 * certify core. Only values come out (a refusal, an order), never an exception, and quickly.
 */
class CsrRecordFuzzTest {

    static final String OWNER = "_letsencrypt._tcp.www.example.test.";
    static final KeyEntry KEY = new KeyEntry(new TsigKey(Name.of("web._update.example.test."), TsigAlgorithm.HMAC_SHA256,
            Bytes.utf8("0123456789abcdef")), Operation.UPDATE, Name.of("example.test."));
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @FuzzTest(maxDuration = "20s")
    void csrBytesGiveRefusalsOrOrdersOnly(byte[] input) {
        Record csr = Pki.csrRecord(OWNER, Bytes.of(input));
        Zones zones = Pki.zones(Pki.zone("example.test.", csr));
        long start = System.nanoTime();
        UpdatePolicy.check(List.of(csr), KEY, zones);
        CertifyCore.Decision d = CertifyCore.decide(CertifyCore.Memory.EMPTY, zones, NOW);
        assertTrue(d.actions().size() == 1, "one CSR: one order or one refusal, got " + d.actions());
        if (d.actions().getFirst() instanceof CertifyCore.Action.Order o) {
            assertTrue(!o.request().names().isEmpty() && o.request().outside(zones).isEmpty());
        }
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "reading a CSR took too long");
    }
}
