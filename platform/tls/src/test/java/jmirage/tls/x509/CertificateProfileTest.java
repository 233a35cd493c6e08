package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.sim.SeededRandom;
import jmirage.tls.x509.CertificateProfile.Role;
import org.junit.jupiter.api.Test;

/** Each certificate on its own, by its place in the path (RFC 5280 section 4): no search, no signatures between them. */
class CertificateProfileTest {

    static final Instant FROM = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant TO = FROM.plus(Duration.ofDays(30));
    static final Instant NOW = FROM.plus(Duration.ofDays(1));
    static final SeededRandom RANDOM = new SeededRandom(41);
    static final KeyPair CA_KEY = KeyPair.generate(KeyType.EC_P256, RANDOM);
    static final Certificate CA = X509.selfSignedCa("Profile CA", CA_KEY, FROM, TO, RANDOM);
    static final Certificate SERVER = X509.issue("a.test", List.of("a.test"), List.of(), KeyPair.generate(KeyType.EC_P256, RANDOM).publicKey(),
            new X509.Profile.Server(), FROM, TO, CA, CA_KEY, RANDOM);

    @Test
    void whatWeIssueMeetsTheProfileOfItsPlace() {
        assertEquals(Optional.empty(), CertificateProfile.check(CA, Role.ANCHOR, NOW));
        assertEquals(Optional.empty(), CertificateProfile.check(CA, Role.INTERMEDIATE, NOW));
        assertEquals(Optional.empty(), CertificateProfile.check(SERVER, Role.LEAF, NOW));
        assertEquals(Optional.empty(), CertificateProfile.leafUsage(SERVER, Purpose.SERVER_AUTH));
    }

    @Test
    void aCaIsNoLeafAndALeafIsNoCa() {
        assertEquals(Optional.of(new PathFailure.CaCertificateAsLeaf(CA.subject())), CertificateProfile.check(CA, Role.LEAF, NOW));
        assertEquals(Optional.of(new PathFailure.NotACa(SERVER.subject(), "basicConstraints cA is FALSE")),
                CertificateProfile.check(SERVER, Role.INTERMEDIATE, NOW));
    }

    @Test
    void validityIsCheckedAtTheGivenTime() {
        assertEquals(Optional.of(new PathFailure.NotYetValid(SERVER.subject(), SERVER.notBefore())),
                CertificateProfile.check(SERVER, Role.LEAF, FROM.minusSeconds(1)));
        assertEquals(Optional.of(new PathFailure.Expired(CA.subject(), CA.notAfter())),
                CertificateProfile.check(CA, Role.ANCHOR, TO.plusSeconds(1)));
    }

    @Test
    void theLeafMustBeForThePurpose() {
        assertEquals(Optional.of(new PathFailure.ExtendedKeyUsageForbids(SERVER.subject(), Purpose.CLIENT_AUTH)),
                CertificateProfile.leafUsage(SERVER, Purpose.CLIENT_AUTH));
        Certificate intermediate = X509.issue("I", List.of(), List.of(), KeyPair.generate(KeyType.EC_P256, RANDOM).publicKey(),
                new X509.Profile.Ca(OptionalInt.of(0)), FROM, TO, CA, CA_KEY, RANDOM);
        assertEquals(Optional.empty(), CertificateProfile.leafUsage(intermediate, Purpose.CLIENT_AUTH),
                "no extKeyUsage means any purpose (RFC 5280 4.2.1.12)");
    }

    @Test
    void dnsNamesAreLdhWithAnOptionalLeadingWildcard() {
        assertEquals(true, CertificateProfile.validDnsName("*.example.com", true));
        assertEquals(false, CertificateProfile.validDnsName("*.example.com", false));
        assertEquals(false, CertificateProfile.validDnsName("a.*.example.com", true));
        assertEquals(false, CertificateProfile.validDnsName("-a.example.com", false));
        assertEquals(false, CertificateProfile.validDnsName("a..example.com", false));
        assertEquals(false, CertificateProfile.validDnsName("x".repeat(64) + ".com", false));
    }
}
