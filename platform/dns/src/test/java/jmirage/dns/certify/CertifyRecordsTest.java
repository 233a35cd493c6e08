package jmirage.dns.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Name;
import jmirage.dns.NameError;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import org.junit.jupiter.api.Test;

/** The record conventions of decision 11: where they live and which TLSA is which. */
class CertifyRecordsTest {

    static final Bytes DER = Bytes.utf8("DER");
    static final Name OWNER = Name.of("_letsencrypt._tcp.www.example.org.");

    @Test
    void theRecordsLiveAtLetsencryptTcpHost() {
        assertEquals(Result.ok(OWNER), CertifyRecords.owner(Name.of("www.example.org.")));
        assertTrue(CertifyRecords.isCertifyName(OWNER));
        assertTrue(CertifyRecords.isCertifyName(Name.of("_LetsEncrypt._TCP.www.example.org.")), "RFC 4343: case does not matter");
        assertFalse(CertifyRecords.isCertifyName(Name.of("_letsencrypt._tcp.")), "a HOST is needed");
        assertFalse(CertifyRecords.isCertifyName(Name.of("_tcp._letsencrypt.www.example.org.")));
        Name long63 = Name.of("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(50) + ".");
        assertInstanceOf(NameError.NameTooLong.class, ((Result.Err<Name, NameError>) CertifyRecords.owner(long63)).error());
    }

    @Test
    void eachConstructorMakesWhatItsPredicateRecognisesAndNoOther() {
        Record csr = CertifyRecords.csr(OWNER, DER);
        Record leaf = CertifyRecords.endEntity(OWNER, DER);
        Record chain = CertifyRecords.chain(OWNER, DER);
        assertEquals(Record.in(OWNER, 3600, new Rdata.Tlsa(3, 255, 0, DER)), csr);
        assertEquals(Record.in(OWNER, 60, new Rdata.Tlsa(3, 0, 0, DER)), leaf);
        assertEquals(Record.in(OWNER, 60, new Rdata.Tlsa(0, 0, 0, DER)), chain);
        for (Record r : List.of(csr, leaf, chain)) {
            assertEquals(List.of(r == csr, r == leaf, r == chain), List.of(CertifyRecords.isCsr(r.rdata()),
                    CertifyRecords.isEndEntity(r.rdata()), CertifyRecords.isChain(r.rdata())), r.toString());
        }
    }

    @Test
    void otherTlsaAndOtherTypesAreNoneOfThem() {
        for (Rdata other : List.of(new Rdata.Tlsa(3, 255, 1, DER), new Rdata.Tlsa(3, 1, 0, DER), new Rdata.Tlsa(2, 0, 0, DER),
                new Rdata.Tlsa(0, 255, 0, DER), new Rdata.Txt(List.of(DER)))) {
            assertFalse(CertifyRecords.isCsr(other) || CertifyRecords.isEndEntity(other) || CertifyRecords.isChain(other),
                    other.toString());
        }
    }
}
