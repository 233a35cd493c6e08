package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.sim.SeededRandom;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.junit.jupiter.api.Test;

/** PEM through Bouncy Castle: what it reads, what it writes, and every refusal as its typed case. */
class PemTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final SeededRandom RANDOM = new SeededRandom(21);
    static final KeyPair KEY = KeyPair.generate(KeyType.EC_P256, RANDOM);
    static final Certificate CA = X509.selfSignedCa("PEM CA", KEY, NOW, NOW.plus(Duration.ofDays(1)), RANDOM);

    @Test
    void writesRfc7468BlocksOfSixtyFourCharacterLines() {
        byte[] der = new byte[100];
        for (int i = 0; i < der.length; i++) {
            der[i] = (byte) i;
        }
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        assertEquals("-----BEGIN THING-----\n" + body + "\n-----END THING-----\n", Pem.encode("THING", Bytes.of(der)));
    }

    @Test
    void readsEveryBlockOfItsLabelAndIgnoresTheRest() {
        String text = "Subject: PEM CA\n" + Pem.privateKey(KEY) + "between\n" + Pem.certificates(List.of(CA, CA))
                + "-----BEGIN OTHER-----\nnot base64 at all!\n-----END OTHER-----\ntrailer\n";
        assertEquals(Result.ok(List.of(CA, CA)), Pem.readCertificates(text));
        assertEquals(Pem.privateKeyDer(KEY), Pem.privateKeyDer(Pem.readPrivateKey(text).orElseThrow()));
    }

    @Test
    void readsIndentedAndCrlfBlocks() {
        String indented = "    " + Pem.certificates(List.of(CA)).replace("\n", "\r\n    ");
        assertEquals(Result.ok(List.of(CA)), Pem.readCertificates(indented));
    }

    @Test
    void aBlockWithoutItsEndLineIsRefused() {
        String text = Pem.certificates(List.of(CA));
        assertEquals(Result.err(new PemError.MissingEnd("CERTIFICATE")),
                Pem.readCertificates(text.substring(0, text.indexOf("-----END"))));
    }

    @Test
    void badOrUnpaddedBase64IsRefused() {
        assertEquals(Result.err(new PemError.BadBase64("CERTIFICATE")),
                Pem.decode("CERTIFICATE", "-----BEGIN CERTIFICATE-----\nAA!C\n-----END CERTIFICATE-----\n"));
        // RFC 7468 section 3: strict base64 is padded
        assertEquals(Result.err(new PemError.BadBase64("CERTIFICATE")),
                Pem.decode("CERTIFICATE", "-----BEGIN CERTIFICATE-----\nAAE\n-----END CERTIFICATE-----\n"));
        assertEquals(Result.ok(List.of(Bytes.of((byte) 0, (byte) 1))),
                Pem.decode("CERTIFICATE", "-----BEGIN CERTIFICATE-----\nAAE=\n-----END CERTIFICATE-----\n"));
    }

    @Test
    void headersAsInEncryptedPemAreRefused() {
        String encrypted = "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "AAEC\n-----END PRIVATE KEY-----\n";
        assertEquals(Result.err(new PemError.HeadersNotAllowed("PRIVATE KEY")), Pem.readPrivateKey(encrypted));
    }

    @Test
    void missingOrRepeatedBlocksAreRefused() {
        assertEquals(Result.err(new PemError.NoBlock("CERTIFICATE")), Pem.readCertificates(Pem.privateKey(KEY)));
        assertEquals(Result.err(new PemError.NotOneBlock("PRIVATE KEY", 2)),
                Pem.readPrivateKey(Pem.privateKey(KEY) + Pem.privateKey(KEY)));
        assertEquals(Result.err(new PemError.NotOneBlock("CERTIFICATE REQUEST", 0)), Pem.readCsr("nothing here"));
    }

    @Test
    void derThatIsNoCertificateOrKeyIsRefused() {
        var notACertificate = Pem.readCertificates(Pem.encode("CERTIFICATE", Bytes.of((byte) 0x30, (byte) 0x00)));
        assertEquals(PemError.BadCertificate.class, ((Result.Err<?, PemError>) notACertificate).error().getClass());
        var notAKey = Pem.readPrivateKey(Pem.encode("PRIVATE KEY", Bytes.of((byte) 0x30, (byte) 0x00)));
        assertEquals(PemError.MalformedPrivateKey.class, ((Result.Err<?, PemError>) notAKey).error().getClass());
    }

    @Test
    void anRsaKeyUnder2048BitsIsUnsupported() throws Exception {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), new DeviceSecureRandom(RANDOM), 1024, 80));
        Bytes der = Bytes.adopt(PrivateKeyInfoFactory.createPrivateKeyInfo(g.generateKeyPair().getPrivate()).getEncoded());
        assertEquals(Result.err(new PemError.UnsupportedPrivateKey()), Pem.readPrivateKey(Pem.encode("PRIVATE KEY", der)));
    }

    @Test
    void describeWritesTheOperatorsLine() {
        assertEquals("PEM block CERTIFICATE without END line", new PemError.MissingEnd("CERTIFICATE").describe());
        assertEquals("expected one PRIVATE KEY block, found 2", new PemError.NotOneBlock("PRIVATE KEY", 2).describe());
        assertEquals("malformed certificate: boom",
                new PemError.BadCertificate(new CertificateError.Malformed("boom")).describe());
    }
}
