package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Result;
import jmirage.sim.SeededRandom;
import jmirage.testkit.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class X509Test {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant FROM = NOW.minus(Duration.ofDays(1));
    static final Instant TO = NOW.plus(Duration.ofDays(90));

    @ParameterizedTest
    @EnumSource(KeyType.class)
    @Tag("peer")
    void caServerCsrPemAndValidationRoundTrip(KeyType type, @TempDir Path dir) throws Exception {
        SeededRandom random = new SeededRandom(5);
        KeyPair caKey = KeyPair.generate(type, random);
        Certificate ca = X509.selfSignedCa("Test CA", caKey, FROM, TO, random);

        // Keys and certificates survive PEM and DER.
        assertEquals(List.of(ca), Pem.readCertificates(Pem.certificates(List.of(ca))).orElseThrow());
        assertEquals(ca, Certificate.fromDer(ca.der()).orElseThrow());
        KeyPair back = Pem.readPrivateKey(Pem.privateKey(caKey)).orElseThrow();
        assertEquals(type, back.type());
        assertEquals(Pem.privateKeyDer(caKey), Pem.privateKeyDer(back));

        // A CSR goes through PEM and is signed into a server certificate that validates.
        KeyPair serverKey = KeyPair.generate(type, random);
        Csr csr = X509.csr("www.example.test", List.of("www.example.test", "*.api.example.test"), serverKey, random);
        Csr parsed = Pem.readCsr(Pem.csr(csr)).orElseThrow();
        Certificate server = X509.signCsr(parsed, new X509.Profile.Server(), FROM, TO, ca, caKey, random).orElseThrow();
        ValidPath path = PathValidator.validate(server, List.of(), List.of(ca), NOW, Purpose.SERVER_AUTH,
                Optional.of(new PeerName.Dns("v1.api.example.test"))).orElseThrow();
        assertEquals(List.of(server, ca), path.chain());

        // OpenSSL agrees: it verifies the CSR's signature and the chain.
        Files.writeString(dir.resolve("csr.pem"), Pem.csr(csr));
        Files.writeString(dir.resolve("ca.pem"), Pem.certificates(List.of(ca)));
        Files.writeString(dir.resolve("server.pem"), Pem.certificates(List.of(server)));
        Command.of("openssl", "req", "-in", dir.resolve("csr.pem").toString(), "-verify", "-noout").run().ok();
        Command.of("openssl", "verify", "-attime", String.valueOf(NOW.getEpochSecond()), "-purpose", "sslserver",
                "-CAfile", dir.resolve("ca.pem").toString(), dir.resolve("server.pem").toString()).run().ok();
    }

    @Test
    void aCsrWithABrokenSignatureIsRefused() {
        SeededRandom random = new SeededRandom(6);
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("CA", caKey, FROM, TO, random);
        byte[] der = X509.csr("x.test", List.of("x.test"), KeyPair.generate(KeyType.EC_P256, random), random).der().toArray();
        der[der.length - 5] ^= 1;   // inside the signature
        Result<Certificate, CsrError> r = X509.signCsr(new Csr(jmirage.core.Bytes.of(der)), new X509.Profile.Server(),
                FROM, TO, ca, caKey, random);
        assertTrue(!r.isOk(), r.toString());
    }

    @Test
    void aCsrIsReadWithItsNamesAndKey() throws Exception {
        SeededRandom random = new SeededRandom(8);
        KeyPair key = KeyPair.generate(KeyType.EC_P256, random);
        Csr csr = X509.csr("www.x.test", List.of("www.x.test", "*.x.test"), key, random);
        CsrContents read = X509.readCsr(csr).orElseThrow();
        assertEquals(Optional.of("www.x.test"), read.commonName());
        assertEquals(List.of("www.x.test", "*.x.test"), read.dnsNames());
        assertEquals(X509.spki(key.publicKey()), read.publicKey());
        assertInstanceOf(CsrError.Malformed.class, ((Result.Err<CsrContents, CsrError>) X509.readCsr(
                new Csr(jmirage.core.Bytes.utf8("not DER")))).error());
    }

    @Test
    void pathRulesOnGeneratedChains() {
        SeededRandom random = new SeededRandom(7);
        KeyPair rootKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate root = X509.selfSignedCa("Root", rootKey, FROM, TO, random);
        KeyPair i1Key = KeyPair.generate(KeyType.EC_P256, random);
        Certificate i1 = X509.issue("I1", List.of(), List.of(), i1Key.publicKey(), new X509.Profile.Ca(OptionalInt.of(0)),
                FROM, TO, root, rootKey, random);
        KeyPair i2Key = KeyPair.generate(KeyType.EC_P256, random);
        Certificate i2 = X509.issue("I2", List.of(), List.of(), i2Key.publicKey(), new X509.Profile.Ca(OptionalInt.empty()),
                FROM, TO, i1, i1Key, random);
        KeyPair leafKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate leafUnderI2 = X509.issue("a.test", List.of("a.test"), List.of(), leafKey.publicKey(),
                new X509.Profile.Server(), FROM, TO, i2, i2Key, random);
        // I1 has pathLen 0, so I2 below it may not issue.
        var r = PathValidator.validate(leafUnderI2, List.of(i2, i1), List.of(root), NOW, Purpose.SERVER_AUTH,
                Optional.of(new PeerName.Dns("a.test")));
        assertInstanceOf(PathFailure.PathLengthExceeded.class, ((Result.Err<ValidPath, PathFailure>) r).error());
        // Directly under I1 it is fine, and extra unrelated intermediates are ignored.
        Certificate leaf = X509.issue("b.test", List.of("b.test"), List.of(), leafKey.publicKey(),
                new X509.Profile.Server(), FROM, TO, i1, i1Key, random);
        assertTrue(PathValidator.validate(leaf, List.of(i2, i1), List.of(root), NOW, Purpose.SERVER_AUTH,
                Optional.of(new PeerName.Dns("B.TEST"))).isOk());
        // Not yet valid, expired, wrong purpose, wrong name, untrusted.
        assertInstanceOf(PathFailure.NotYetValid.class, err(PathValidator.validate(leaf, List.of(i1), List.of(root),
                FROM.minusSeconds(60), Purpose.SERVER_AUTH, Optional.empty())));
        assertInstanceOf(PathFailure.Expired.class, err(PathValidator.validate(leaf, List.of(i1), List.of(root),
                TO.plusSeconds(60), Purpose.SERVER_AUTH, Optional.empty())));
        assertInstanceOf(PathFailure.ExtendedKeyUsageForbids.class, err(PathValidator.validate(leaf, List.of(i1),
                List.of(root), NOW, Purpose.CLIENT_AUTH, Optional.empty())));
        assertInstanceOf(PathFailure.NameMismatch.class, err(PathValidator.validate(leaf, List.of(i1), List.of(root),
                NOW, Purpose.SERVER_AUTH, Optional.of(new PeerName.Dns("c.test")))));
        assertInstanceOf(PathFailure.NoTrustedPath.class, err(PathValidator.validate(leaf, List.of(), List.of(root),
                NOW, Purpose.SERVER_AUTH, Optional.empty())));
        assertInstanceOf(PathFailure.CaCertificateAsLeaf.class, err(PathValidator.validate(i1, List.of(), List.of(root),
                NOW, Purpose.SERVER_AUTH, Optional.empty())));
    }

    @Test
    void wildcardRulesFollowRfc6125() {
        assertTrue(ServiceIdentity.dnsMatches("*.example.com", "www.example.com"));
        assertTrue(!ServiceIdentity.dnsMatches("*.example.com", "a.b.example.com"));
        assertTrue(!ServiceIdentity.dnsMatches("*.example.com", "example.com"));
        assertTrue(!ServiceIdentity.dnsMatches("*.com", "example.com"));
        assertTrue(ServiceIdentity.dnsMatches("example.com", "example.com."));
    }

    private static PathFailure err(Result<ValidPath, PathFailure> r) {
        return ((Result.Err<ValidPath, PathFailure>) r).error();
    }
}
