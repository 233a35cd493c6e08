package jmirage.tls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Bouncy Castle's TLS crypto with the record layer's AEAD ciphers taken from the JDK: AES-GCM and
 * ChaCha20-Poly1305 through {@link JdkAeadCipher}, whose implementations have AES-NI, CLMUL and
 * AVX intrinsics in JDK 25, where Bouncy Castle's own are plain Java (issue 22: bulk transfer was a
 * third of OpenSSL's). Everything else (key exchange, signatures, the key schedule, hashes and the
 * random source) stays Bouncy Castle's.
 */
final class RecordCrypto extends BcTlsCrypto {

    /** The tag length of every AEAD suite we offer (RFC 5288 3, RFC 8446 5.2, RFC 7905 2). */
    private static final int TAG_BYTES = 16;

    RecordCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    protected TlsAEADCipher createCipher_AES_GCM(TlsCryptoParameters parameters, int cipherKeySize, int macSize)
            throws IOException {
        return new TlsAEADCipher(parameters,
                new JdkAeadCipher(JdkAeadCipher.Algorithm.AES_GCM, true, macSize),
                new JdkAeadCipher(JdkAeadCipher.Algorithm.AES_GCM, false, macSize),
                cipherKeySize, macSize, TlsAEADCipher.AEAD_GCM);
    }

    @Override
    protected TlsCipher createChaCha20Poly1305(TlsCryptoParameters parameters) throws IOException {
        return new TlsAEADCipher(parameters,
                new JdkAeadCipher(JdkAeadCipher.Algorithm.CHACHA20_POLY1305, true, TAG_BYTES),
                new JdkAeadCipher(JdkAeadCipher.Algorithm.CHACHA20_POLY1305, false, TAG_BYTES),
                32, TAG_BYTES, TlsAEADCipher.AEAD_CHACHA20_POLY1305);
    }
}
