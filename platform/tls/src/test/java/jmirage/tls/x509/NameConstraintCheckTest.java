package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.sim.SeededRandom;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;

/** RFC 5280 4.2.1.10 matching, on plain names: no certificates, no paths. */
class NameConstraintCheckTest {

    static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    static GeneralName ip(String literal) {
        return new GeneralName(GeneralName.iPAddress, new DEROctetString(InetAddress.ofLiteral(literal).getAddress()));
    }

    /** An iPAddress base: the network's bytes, then the mask's (RFC 5280 4.2.1.10, 8 or 32 octets). */
    static GeneralName network(String literal, int prefix) {
        byte[] address = InetAddress.ofLiteral(literal).getAddress();
        byte[] base = new byte[address.length * 2];
        System.arraycopy(address, 0, base, 0, address.length);
        for (int bit = 0; bit < prefix; bit++) {
            base[address.length + bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return new GeneralName(GeneralName.iPAddress, new DEROctetString(base));
    }

    static GeneralName directory(String name) {
        return new GeneralName(new X500Name(name));
    }

    static NameConstraints constraints(List<GeneralName> permitted, List<GeneralName> excluded) {
        return new NameConstraints(
                permitted.isEmpty() ? null : permitted.stream().map(GeneralSubtree::new).toArray(GeneralSubtree[]::new),
                excluded.isEmpty() ? null : excluded.stream().map(GeneralSubtree::new).toArray(GeneralSubtree[]::new));
    }

    @Test
    void aDnsBaseHoldsItselfAndItsSubdomainsOnly() {
        assertTrue(NameConstraintCheck.within(dns("example.com"), dns("example.com")));
        assertTrue(NameConstraintCheck.within(dns("www.EXAMPLE.com"), dns("example.com")));
        assertFalse(NameConstraintCheck.within(dns("badexample.com"), dns("example.com")), "a label boundary, not a suffix");
        assertFalse(NameConstraintCheck.within(dns("example.org"), dns("example.com")));
        assertTrue(NameConstraintCheck.within(dns("*.example.com"), dns("example.com")), "a wildcard is within its base's subtree");
    }

    @Test
    void aLeadingDotMeansSubdomainsAndAnEmptyBaseEverything() {
        assertTrue(NameConstraintCheck.within(dns("www.example.com"), dns(".example.com")));
        assertFalse(NameConstraintCheck.within(dns("example.com"), dns(".example.com")));
        assertTrue(NameConstraintCheck.within(dns("anything.test"), dns("")));
    }

    @Test
    void anIpBaseIsANetworkOfItsOwnFamily() {
        assertTrue(NameConstraintCheck.within(ip("192.0.2.7"), network("192.0.2.0", 24)));
        assertFalse(NameConstraintCheck.within(ip("192.0.3.7"), network("192.0.2.0", 24)));
        assertTrue(NameConstraintCheck.within(ip("2001:db8::1"), network("2001:db8::", 32)));
        assertFalse(NameConstraintCheck.within(ip("2001:db8::1"), network("192.0.2.0", 24)), "IPv6 never within an IPv4 base");
        assertFalse(NameConstraintCheck.within(ip("192.0.2.7"), network("::", 0)), "nor IPv4 within an IPv6 one");
    }

    @Test
    void aDirectoryBaseIsAPrefixOfRelativeNames() {
        assertTrue(NameConstraintCheck.within(directory("C=US,O=Example,CN=host"), directory("C=US,O=Example")));
        assertFalse(NameConstraintCheck.within(directory("C=US,O=Other,CN=host"), directory("C=US,O=Example")));
        assertFalse(NameConstraintCheck.within(directory("C=US"), directory("C=US,O=Example")));
    }

    @Test
    void excludedWinsOverPermitted() {
        NameConstraints nc = constraints(List.of(dns("example.com")), List.of(dns("bad.example.com")));
        assertEquals(Optional.empty(), NameConstraintCheck.violation(nc, List.of(dns("good.example.com"))));
        assertEquals(Optional.of("x.bad.example.com is excluded"), NameConstraintCheck.violation(nc, List.of(dns("x.bad.example.com"))));
        assertEquals(Optional.of("example.org is not permitted"),
                NameConstraintCheck.violation(nc, List.of(dns("www.example.com"), dns("example.org"))));
    }

    @Test
    void aNameOfAnUnmentionedTypeIsNotConstrained() {
        NameConstraints nc = constraints(List.of(dns("example.com")), List.of());
        assertEquals(Optional.empty(), NameConstraintCheck.violation(nc, List.of(ip("192.0.2.1"), directory("CN=anyone"))));
        NameConstraints ips = constraints(List.of(network("192.0.2.0", 24)), List.of());
        assertEquals(Optional.of("198.51.100.1 is not permitted"), NameConstraintCheck.violation(ips, List.of(ip("198.51.100.1"))));
    }

    @Test
    void aCertificateIsCheckedBySubjectAndEverySubjectAltName() {
        SeededRandom random = new SeededRandom(31);
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        KeyPair key = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("CA", key, now, now.plus(Duration.ofDays(1)), random);
        Certificate leaf = X509.issue("www.example.com", List.of("www.example.com"), List.of(InetAddress.ofLiteral("192.0.2.5")),
                key.publicKey(), new X509.Profile.Server(), now, now.plus(Duration.ofDays(1)), ca, key, random);
        assertEquals(List.of(directory("CN=www.example.com"), dns("www.example.com"), ip("192.0.2.5")),
                NameConstraintCheck.namesOf(leaf));
        assertEquals(Optional.empty(), NameConstraintCheck.violation(
                constraints(List.of(dns("example.com"), network("192.0.2.0", 24)), List.of()), leaf));
        assertEquals(Optional.of("192.0.2.5 is excluded"), NameConstraintCheck.violation(
                constraints(List.of(), List.of(network("192.0.2.0", 28))), leaf));
    }
}
