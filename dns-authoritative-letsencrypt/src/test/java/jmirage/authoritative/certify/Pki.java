package jmirage.authoritative.certify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jmirage.authoritative.zone.Zone;
import jmirage.authoritative.zone.Zones;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.sim.SeededRandom;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;

/** A test CA, CSRs and the zones that publish them, for the certify role's tests. */
final class Pki {

    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    final SeededRandom random;
    final KeyPair caKey;
    final Certificate ca;

    Pki(long seed) {
        random = new SeededRandom(seed);
        caKey = KeyPair.generate(KeyType.EC_P256, random);
        ca = X509.selfSignedCa("Test certify CA", caKey, START.minusSeconds(86400), START.plusSeconds(10L * 365 * 86400), random);
    }

    KeyPair key() {
        return KeyPair.generate(KeyType.EC_P256, random);
    }

    Csr csr(KeyPair key, String commonName, String... dnsNames) {
        return X509.csr(commonName, List.of(dnsNames), key, random);
    }

    Certificate issue(Csr csr, Instant from, Instant to) {
        return X509.signCsr(csr, new X509.Profile.Server(), from, to, ca, caKey, random).orElseThrow();
    }

    /** The CSR with one bit of its signature flipped: it parses, and its signature does not verify. */
    static Bytes badSignature(Csr csr) {
        byte[] der = csr.der().toArray();
        der[der.length - 5] ^= 0x01;
        return Bytes.adopt(der);
    }

    static Record csrRecord(String owner, Bytes der) {
        return Record.in(Name.of(owner), 60, new Rdata.Tlsa(3, 255, 0, der));
    }

    static Record certificateRecord(String owner, int usage, Certificate c) {
        return Record.in(Name.of(owner), 60, new Rdata.Tlsa(usage, 0, 0, c.der()));
    }

    static Zone zone(String origin, Record... records) {
        String text = """
                $ORIGIN %s
                @ 3600 IN SOA ns.%s hostmaster.%s 1 3600 900 604800 300
                @ 3600 IN NS ns.%s
                ns 3600 IN A 192.0.2.1
                """.formatted(origin, origin, origin, origin);
        return Zone.parse(text, Name.of(origin)).orElseThrow().withChanges(List.of(), Arrays.asList(records)).orElseThrow();
    }

    static Zones zones(Zone... zones) {
        return Zones.of(new ArrayList<>(List.of(zones)));
    }
}
