package jmirage.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * The JDK-backed record AEAD against Bouncy Castle's own AES-GCM and ChaCha20-Poly1305 as the
 * reference: the same sealed bytes for every key, nonce, additional data and length; opening gives
 * the plaintext back, also in place (as Bouncy Castle opens records); one flipped bit anywhere is
 * {@code bad_record_mac}.
 */
class JdkAeadCipherTest {

    @Property(tries = 300)
    void sealsAsBouncyCastleDoesAndOpensWhatItSealed(@ForAll("algorithms") JdkAeadCipher.Algorithm algorithm,
                                                     @ForAll("keys") byte[] key32, @ForAll("nonces") byte[] nonce,
                                                     @ForAll("data") byte[] aad, @ForAll("data") byte[] plaintext,
                                                     @ForAll boolean aes256) throws Exception {
        byte[] key = algorithm == JdkAeadCipher.Algorithm.AES_GCM && !aes256 ? Arrays.copyOf(key32, 16) : key32;
        byte[] expected = reference(algorithm, key, nonce, aad, plaintext);

        JdkAeadCipher seal = new JdkAeadCipher(algorithm, true, 16);
        seal.setKey(key, 0, key.length);
        seal.init(nonce, 16);
        byte[] sealed = new byte[seal.getOutputSize(plaintext.length) + 3];
        int written = seal.doFinal(aad, plaintext, 0, plaintext.length, sealed, 3);
        assertEquals(expected.length, written);
        assertArrayEquals(expected, Arrays.copyOfRange(sealed, 3, 3 + written));

        JdkAeadCipher open = new JdkAeadCipher(algorithm, false, 16);
        open.setKey(key, 0, key.length);
        open.init(nonce, 16);
        assertEquals(plaintext.length, open.getOutputSize(written));
        int opened = open.doFinal(aad, sealed, 3, written, sealed, 0); // in place, output before input
        assertArrayEquals(plaintext, Arrays.copyOf(sealed, opened));
    }

    @Property(tries = 200)
    void aFlippedBitIsABadRecordMac(@ForAll("algorithms") JdkAeadCipher.Algorithm algorithm, @ForAll("keys") byte[] key,
                                    @ForAll("nonces") byte[] nonce, @ForAll("data") byte[] aad, @ForAll("data") byte[] plaintext,
                                    @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll boolean inAad) throws Exception {
        byte[] sealed = reference(algorithm, key, nonce, aad, plaintext);
        byte[] additional = aad.clone();
        if (inAad && additional.length > 0) {
            additional[where % additional.length] ^= (byte) (1 << (where % 8));
        } else {
            sealed[where % sealed.length] ^= (byte) (1 << (where % 8));
        }
        JdkAeadCipher open = new JdkAeadCipher(algorithm, false, 16);
        open.setKey(key, 0, key.length);
        open.init(nonce, 16);
        TlsFatalAlert alert = assertThrows(TlsFatalAlert.class,
                () -> open.doFinal(additional, sealed, 0, sealed.length, new byte[sealed.length], 0));
        assertEquals(AlertDescription.bad_record_mac, alert.getAlertDescription());
    }

    @Property(tries = 50)
    void oneCipherSealsRecordAfterRecordUnderFreshNonces(@ForAll("algorithms") JdkAeadCipher.Algorithm algorithm,
                                                         @ForAll("keys") byte[] key, @ForAll("nonces") byte[] nonce) throws Exception {
        JdkAeadCipher seal = new JdkAeadCipher(algorithm, true, 16);
        seal.setKey(key, 0, key.length);
        for (int sequence = 0; sequence < 5; sequence++) {
            byte[] recordNonce = nonce.clone();
            recordNonce[11] ^= (byte) sequence; // RFC 8446 5.3: the sequence number XORed into the IV
            byte[] plaintext = ("record " + sequence).getBytes();
            seal.init(recordNonce, 16);
            byte[] out = new byte[seal.getOutputSize(plaintext.length)];
            seal.doFinal(new byte[] {23}, plaintext, 0, plaintext.length, out, 0);
            assertArrayEquals(reference(algorithm, key, recordNonce, new byte[] {23}, plaintext), out);
        }
    }

    private static byte[] reference(JdkAeadCipher.Algorithm algorithm, byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
            throws Exception {
        AEADCipher cipher = algorithm == JdkAeadCipher.Algorithm.AES_GCM
                ? GCMBlockCipher.newInstance(AESEngine.newInstance()) : new ChaCha20Poly1305();
        cipher.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[cipher.getOutputSize(plaintext.length)];
        int n = cipher.processBytes(plaintext, 0, plaintext.length, out, 0);
        cipher.doFinal(out, n);
        return out;
    }

    @Provide
    Arbitrary<JdkAeadCipher.Algorithm> algorithms() {
        return Arbitraries.of(JdkAeadCipher.Algorithm.class);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<byte[]> nonces() {
        return Arbitraries.bytes().array(byte[].class).ofSize(12);
    }

    @Provide
    Arbitrary<byte[]> data() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2_000);
    }
}
