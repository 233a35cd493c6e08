package jmirage.acme.jose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.URI;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonParser;
import jmirage.core.Bytes;
import jmirage.sim.SeededRandom;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.junit.jupiter.api.Test;

class JwsTest {

    private static final URI URL = URI.create("https://ca.test/acme/new-order");

    @Test
    void thumbprintIsRfc7638sExample() {
        // RFC 7638 3.1
        String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn6"
                + "4tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9"
                + "1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        RSAKeyParameters key = new RSAKeyParameters(false, new BigInteger(1, Base64Url.decode(n).orElseThrow().toArray()),
                BigInteger.valueOf(65537));
        Json.Obj jwk = Jwk.of(key);
        assertEquals(Optional.of(n), jwk.string("n"));
        assertEquals(Optional.of("AQAB"), jwk.string("e"));
        assertEquals("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", Jwk.thumbprint(jwk));
    }

    @Test
    void es256SignatureVerifiesWithTheJdkInP1363Form() throws Exception {
        KeyPair key = KeyPair.generate(KeyType.EC_P256, new SeededRandom(1));
        Json.Obj jws = Jws.sign(key, new Jws.Signer.Key(), "bm9uY2U", URL, Optional.of(Json.object("a", Json.number(1))));
        Json.Obj header = header(jws);
        assertEquals(Optional.of("ES256"), header.string("alg"));
        assertEquals(Optional.of("bm9uY2U"), header.string("nonce"));
        assertEquals(Optional.of(URL.toString()), header.string("url"));
        assertEquals(Jwk.of(key), header.object("jwk").orElseThrow());
        assertFalse(header.get("kid").isPresent());
        Bytes signature = Base64Url.decode(jws.string("signature").orElseThrow()).orElseThrow();
        assertEquals(64, signature.size()); // RFC 7518 3.4: r and s, 32 bytes each
        assertTrue(verify("SHA256withECDSAinP1363Format", "EC", key, jws));
        assertEquals(Optional.of(Base64Url.encode(Bytes.utf8("{\"a\":1}"))), jws.string("payload"));
    }

    @Test
    void rs256WithKidVerifiesAndPostAsGetHasAnEmptyPayload() throws Exception {
        KeyPair key = KeyPair.generate(KeyType.RSA_2048, new SeededRandom(2));
        URI account = URI.create("https://ca.test/acme/acct/7");
        Json.Obj jws = Jws.sign(key, new Jws.Signer.Kid(account), "n2", URL, Optional.empty());
        Json.Obj header = header(jws);
        assertEquals(Optional.of("RS256"), header.string("alg"));
        assertEquals(Optional.of(account.toString()), header.string("kid"));
        assertFalse(header.get("jwk").isPresent()); // RFC 8555 6.2: jwk and kid are mutually exclusive
        assertEquals(Optional.of(""), jws.string("payload"));
        assertTrue(verify("SHA256withRSA", "RSA", key, jws));
    }

    @Test
    void aTamperedSignatureDoesNotVerify() throws Exception {
        KeyPair key = KeyPair.generate(KeyType.EC_P256, new SeededRandom(3));
        Json.Obj jws = Jws.sign(key, new Jws.Signer.Key(), "n", URL, Optional.of(Json.object()));
        Json.Obj other = Jws.sign(key, new Jws.Signer.Key(), "m", URL, Optional.of(Json.object()));
        Json.Obj mixed = Json.object("protected", jws.get("protected").orElseThrow(), "payload", jws.get("payload").orElseThrow(),
                "signature", other.get("signature").orElseThrow());
        assertFalse(verify("SHA256withECDSAinP1363Format", "EC", key, mixed));
    }

    @Test
    void ed25519AccountKeysAreRefused() {
        KeyPair key = KeyPair.generate(KeyType.ED25519, new SeededRandom(4));
        assertThrows(IllegalArgumentException.class, () -> Jws.algorithm(key));
    }

    private static Json.Obj header(Json.Obj jws) {
        Bytes raw = Base64Url.decode(jws.string("protected").orElseThrow()).orElseThrow();
        return (Json.Obj) JsonParser.parse(raw).orElseThrow();
    }

    private static boolean verify(String algorithm, String keyAlgorithm, KeyPair key, Json.Obj jws) throws Exception {
        PublicKey publicKey = KeyFactory.getInstance(keyAlgorithm).generatePublic(new X509EncodedKeySpec(
                SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.publicKey()).getEncoded()));
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(Bytes.utf8(jws.string("protected").orElseThrow() + "." + jws.string("payload").orElseThrow()).toArray());
        return verifier.verify(Base64Url.decode(jws.string("signature").orElseThrow()).orElseThrow().toArray());
    }
}
