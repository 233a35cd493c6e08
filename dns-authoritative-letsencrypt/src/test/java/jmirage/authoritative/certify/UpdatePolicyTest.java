package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;
import jmirage.authoritative.keys.KeyEntry;
import jmirage.authoritative.keys.Operation;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.DnsClass;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.tsig.TsigAlgorithm;
import jmirage.dns.tsig.TsigKey;
import jmirage.tls.x509.Csr;
import org.junit.jupiter.api.Test;

/** Decision 11, "Who may ask", on the update's records: the key's zones, the CSR's names and signature. */
class UpdatePolicyTest {

    static final Pki PKI = new Pki(11);
    static final Zones PRIMARIES = Pki.zones(Pki.zone("example.test."), Pki.zone("other.test."), Pki.zone("sub.example.test."));
    static final String OWNER = "_letsencrypt._tcp.www.example.test.";

    static KeyEntry key(String name, Operation privilege, String scope) {
        return new KeyEntry(new TsigKey(Name.of(name), TsigAlgorithm.HMAC_SHA256, Bytes.utf8("0123456789abcdef")), privilege,
                Name.of(scope));
    }

    static final KeyEntry EXAMPLE = key("web._update.example.test.", Operation.UPDATE, "example.test.");
    static final KeyEntry EVERY_ZONE = key("admin._update.", Operation.UPDATE, ".");

    static Optional<UpdatePolicy.Refused> check(KeyEntry key, Record... updates) {
        return UpdatePolicy.check(List.of(updates), key, PRIMARIES);
    }

    static Csr csr(String... names) {
        return PKI.csr(PKI.key(), names[0], names);
    }

    @Test
    void aCsrForNamesOfTheKeysZoneIsAccepted() {
        assertEquals(Optional.empty(), check(EXAMPLE, Pki.csrRecord(OWNER, csr("www.example.test", "example.test").der())));
        assertEquals(Optional.empty(), check(EXAMPLE, Pki.csrRecord(OWNER, csr("*.example.test").der())));
        // sub.example.test. is below the key's scope: the key may change it too
        assertEquals(Optional.empty(), check(EXAMPLE, Pki.csrRecord(OWNER, csr("www.sub.example.test").der())));
        assertEquals(Optional.empty(), check(EVERY_ZONE, Pki.csrRecord(OWNER, csr("www.example.test", "www.other.test").der())));
    }

    @Test
    void aNameOfAZoneTheKeyMayNotChangeIsRefused() {
        UpdatePolicy.Refused r = check(EXAMPLE, Pki.csrRecord(OWNER, csr("www.example.test", "www.other.test").der())).orElseThrow();
        assertEquals(new Refusal.NotAllowed(EXAMPLE.name(), Name.of("www.other.test."), Name.of("other.test.")), r.refusal());
        assertEquals("CSR at " + OWNER + ": key web._update.example.test. may not update other.test., the zone of www.other.test.",
                r.describe());
        KeyEntry transferOnly = key("x._transfer.example.test.", Operation.TRANSFER, "example.test.");
        assertInstanceOf(Refusal.NotAllowed.class,
                check(transferOnly, Pki.csrRecord(OWNER, csr("www.example.test").der())).orElseThrow().refusal());
    }

    @Test
    void aNameInNoZoneOfOursIsRefused() {
        assertEquals(new Refusal.OutsideZones(Name.of("www.elsewhere.test.")),
                check(EVERY_ZONE, Pki.csrRecord(OWNER, csr("www.elsewhere.test").der())).orElseThrow().refusal());
    }

    @Test
    void aCsrThatDoesNotVerifyOrNamesNoHostIsRefused() {
        assertInstanceOf(Refusal.Unreadable.class,
                check(EXAMPLE, Pki.csrRecord(OWNER, Pki.badSignature(csr("www.example.test")))).orElseThrow().refusal());
        assertInstanceOf(Refusal.Unreadable.class,
                check(EXAMPLE, Pki.csrRecord(OWNER, Bytes.utf8("not a CSR"))).orElseThrow().refusal());
        assertEquals(new Refusal.NotAHostName("www_example.test"),
                check(EXAMPLE, Pki.csrRecord(OWNER, csr("www_example.test").der())).orElseThrow().refusal());
    }

    @Test
    void otherRecordsAndDeletionsAreNotItsBusiness() {
        Bytes junk = Bytes.utf8("not a CSR");
        assertEquals(Optional.empty(), check(EXAMPLE, Pki.csrRecord("www.example.test.", junk)), "not a _letsencrypt._tcp name");
        assertEquals(Optional.empty(), check(EXAMPLE, Record.in(Name.of(OWNER), 60, new Rdata.Tlsa(3, 1, 1, junk))),
                "not a CSR");
        assertEquals(Optional.empty(), check(EXAMPLE, new Record(Name.of(OWNER), DnsClass.NONE, 0, new Rdata.Tlsa(3, 255, 0, junk))),
                "a deletion");
    }
}
