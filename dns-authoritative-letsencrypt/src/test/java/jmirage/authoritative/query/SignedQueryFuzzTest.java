package jmirage.authoritative.query;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import jmirage.authoritative.TestZones;
import jmirage.authoritative.zone.Zones;
import jmirage.dns.Name;
import jmirage.dns.Rcode;
import jmirage.dns.Type;

/**
 * Any question with DO to the test zone signed with NSEC, NSEC3 or NSEC3 opt-out: the answer never
 * throws, every RRSIG in it verifies over its RRset, and every NXDOMAIN carries the proof of the
 * name and of the wildcard at its closest encloser ({@link SignedLookupTest}'s checks).
 */
class SignedQueryFuzzTest {

    private static final List<Zones> ZONES = SignedLookupTest.allDenials();

    @FuzzTest(maxDuration = "20s")
    void everyAnswerWithDoIsSignedAndProved(FuzzedDataProvider data) {
        int denial = data.consumeInt(0, ZONES.size() - 1);
        int qtype = data.consumeInt(0, 0xffff);
        List<byte[]> labels = new ArrayList<>();
        for (int i = 0, n = data.consumeInt(0, 4); i < n; i++) {
            labels.add(data.consumeBytes(data.consumeInt(1, 12)));
        }
        labels.removeIf(l -> l.length == 0);
        for (int i = 0; i < TestZones.ORIGIN.labelCount(); i++) {
            labels.add(TestZones.ORIGIN.label(i));
        }
        Name qname = Name.ofLabels(labels).orElse(TestZones.ORIGIN);
        Zones zones = ZONES.get(denial);
        Lookup.Answer a = Lookup.answer(zones, qname, qtype, Lookup.AnyPolicy.ALL, true);
        if (qtype == Type.RRSIG) {
            // the RRSIGs are the data asked for, without the RRsets they cover
            assertTrue(a.answer().stream().allMatch(r -> r.type() == Type.RRSIG || r.type() == Type.CNAME || r.type() == Type.DNAME));
        } else {
            SignedLookupTest.assertSignaturesVerify(a.answer());
        }
        SignedLookupTest.assertSignaturesVerify(a.authority());
        SignedLookupTest.assertSignaturesVerify(a.additional());
        if (a.rcode() == Rcode.NXDOMAIN && a.answer().isEmpty()) {
            Name ce = qname;
            while (!zones.lookup(qname).orElseThrow().exists(ce)) {
                ce = ce.parent(1);
            }
            SignedLookupTest.assertNameErrorProved(a, qname, ce, denial != 0);
        }
        assertTrue(a.rcode() != Rcode.REFUSED, "every name under the origin is the zone's");
    }
}
