package jmirage.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * One direction of a TLS record AEAD (seal or open) on the JDK's {@link Cipher}, for Bouncy
 * Castle's {@code TlsAEADCipher}, which builds the nonce and the additional data of each record and
 * calls {@link #init} then {@link #doFinal} once per record. A record that does not authenticate is
 * the {@code bad_record_mac} alert (RFC 8446 5.2, RFC 5246 6.2.3.3), as with Bouncy Castle's own.
 */
final class JdkAeadCipher implements TlsAEADCipherImpl {

    enum Algorithm {
        /** RFC 5116 AEAD_AES_128_GCM / AEAD_AES_256_GCM (the key's length says which). */
        AES_GCM("AES/GCM/NoPadding", "AES"),
        /** RFC 8439 AEAD_CHACHA20_POLY1305, with its fixed 16-byte tag. */
        CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20");

        final String transformation;
        final String keyAlgorithm;

        Algorithm(String transformation, String keyAlgorithm) {
            this.transformation = transformation;
            this.keyAlgorithm = keyAlgorithm;
        }
    }

    private final Algorithm algorithm;
    private final boolean sealing;
    private final int tagBytes;
    private final Cipher cipher;
    private SecretKeySpec key;

    JdkAeadCipher(Algorithm algorithm, boolean sealing, int tagBytes) throws IOException {
        this.algorithm = algorithm;
        this.sealing = sealing;
        this.tagBytes = tagBytes;
        try {
            this.cipher = Cipher.getInstance(algorithm.transformation);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
    }

    @Override
    public void setKey(byte[] bytes, int offset, int length) {
        key = new SecretKeySpec(bytes, offset, length, algorithm.keyAlgorithm);
    }

    @Override
    public void init(byte[] nonce, int macSize) throws IOException {
        if (macSize != tagBytes) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "AEAD tag of " + macSize + " bytes asked, " + tagBytes + " set");
        }
        AlgorithmParameterSpec parameters = algorithm == Algorithm.AES_GCM
                ? new GCMParameterSpec(tagBytes * 8, nonce)
                : new IvParameterSpec(nonce);
        try {
            cipher.init(sealing ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, parameters);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
    }

    @Override
    public int getOutputSize(int inputLength) {
        return sealing ? inputLength + tagBytes : Math.max(0, inputLength - tagBytes);
    }

    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset)
            throws IOException {
        if (input == output) { // Bouncy Castle opens records in place; not every JDK cipher copes with overlap
            input = Arrays.copyOfRange(input, inputOffset, inputOffset + inputLength);
            inputOffset = 0;
        }
        try {
            if (additionalData != null && additionalData.length > 0) {
                cipher.updateAAD(additionalData);
            }
            return cipher.doFinal(input, inputOffset, inputLength, output, outputOffset);
        } catch (AEADBadTagException e) {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(sealing ? AlertDescription.internal_error : AlertDescription.bad_record_mac, e);
        }
    }
}
