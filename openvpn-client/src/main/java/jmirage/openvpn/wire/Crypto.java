package jmirage.openvpn.wire;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JCA calls of the control channel's wrappings. The algorithms are ones every JDK has, so a
 * {@link GeneralSecurityException} here is a bug, not an input error.
 */
final class Crypto {

    private Crypto() {}

    static byte[] hmac(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm, e);
        }
    }

    /** AES-256-CTR (its own inverse), as tls-crypt uses it with the tag's first 16 bytes as the IV. */
    static byte[] aesCtr(byte[] key, byte[] iv16, byte[] input, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv16, 0, 16));
            return cipher.doFinal(input, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR", e);
        }
    }

    /** Compares in time that does not depend on where the first difference is. */
    static boolean equal(byte[] a, int aOffset, byte[] b, int length) {
        if (a.length - aOffset < length || b.length < length) {
            return false;
        }
        byte[] slice = java.util.Arrays.copyOfRange(a, aOffset, aOffset + length);
        return MessageDigest.isEqual(slice, java.util.Arrays.copyOf(b, length));
    }
}
