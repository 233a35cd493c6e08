package jmirage.openvpn.keys;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jmirage.core.Bytes;

/**
 * The TLS 1.0 PRF (RFC 2246 section 5): {@code P_MD5(S1, seed) XOR P_SHA-1(S2, seed)}, S1 and S2 the
 * secret's halves (sharing the middle byte when its length is odd), {@code P_hash(secret, seed) =
 * HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...}, {@code A(i) = HMAC(secret, A(i-1))}.
 * OpenVPN's key method 2 uses it with the label already in the seed (ssl.c openvpn_PRF, crypto
 * backends' ssl_tls1_PRF).
 */
public final class Prf {

    private Prf() {}

    public static Bytes tls10(Bytes secret, Bytes seed, int length) {
        byte[] s = secret.toArray();
        int half = (s.length + 1) / 2;
        byte[] s1 = java.util.Arrays.copyOfRange(s, 0, half);
        byte[] s2 = java.util.Arrays.copyOfRange(s, s.length - half, s.length);
        byte[] md5 = pHash("HmacMD5", s1, seed.toArray(), length);
        byte[] sha1 = pHash("HmacSHA1", s2, seed.toArray(), length);
        for (int i = 0; i < length; i++) {
            md5[i] ^= sha1[i];
        }
        return Bytes.adopt(md5);
    }

    private static byte[] pHash(String algorithm, byte[] secret, byte[] seed, int length) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // An empty secret is legal in the PRF but not in SecretKeySpec; HMAC pads keys with zeros, so one zero byte is the same key.
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, algorithm));
            byte[] out = new byte[length];
            byte[] a = seed;
            int at = 0;
            while (at < length) {
                a = mac.doFinal(a);
                mac.update(a);
                byte[] block = mac.doFinal(seed);
                int n = Math.min(block.length, length - at);
                System.arraycopy(block, 0, out, at, n);
                at += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm, e);
        }
    }
}
