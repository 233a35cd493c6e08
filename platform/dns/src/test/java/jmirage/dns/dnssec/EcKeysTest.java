package jmirage.dns.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import jmirage.core.Bytes;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;

class EcKeysTest {

    private static byte[] xy(X9ECParameters p, long scalar) {
        byte[] encoded = p.getG().multiply(BigInteger.valueOf(scalar)).normalize().getEncoded(false);
        return java.util.Arrays.copyOfRange(encoded, 1, encoded.length);
    }

    @Test
    void aKeyIsDecodedOnceAndGivesThePointOfItsBytes() {
        X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
        byte[] key = xy(p, 123_456_789L);
        var first = EcKeys.of("secp256r1", key);
        assertEquals(p.getG().multiply(BigInteger.valueOf(123_456_789L)).normalize(), first.getQ().normalize());
        assertSame(first, EcKeys.of("secp256r1", key.clone()), "the same bytes give the kept point");
    }

    @Test
    void bytesOffTheCurveAreRejectedAndNotKept() {
        byte[] notAPoint = new byte[64];
        notAPoint[63] = 1;
        int before = EcKeys.size();
        Dnssec.Failure f = DnssecTest.err(Dnssec.verifySignature(Dnssec.ECDSAP256SHA256, Bytes.of(notAPoint),
                Bytes.utf8("data"), Bytes.of(new byte[64])));
        assertInstanceOf(Dnssec.Failure.BadKey.class, f);
        assertTrue(EcKeys.size() <= before, "a rejected key is not kept");
    }

    @Test
    void theMemoStaysWithinItsBound() {
        X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
        for (int i = 1; i <= EcKeys.MAX_KEYS + 10; i++) {
            EcKeys.of("secp256r1", xy(p, i));
            assertTrue(EcKeys.size() <= EcKeys.MAX_KEYS, "at most MAX_KEYS kept");
        }
    }
}
