package jmirage.acme.jose;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Bytes;
import jmirage.tls.x509.KeyPair;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * The public half of an account key as a JSON Web Key (RFC 7517, RFC 7518 6.2 and 6.3), and its
 * thumbprint (RFC 7638). Only the required members, in lexicographic order, so that the JWK written
 * in a header and the thumbprint's input are the same text.
 */
public final class Jwk {

    private Jwk() {}

    /** The JWK of {@code key}'s public half: EC P-256 ({@code crv, kty, x, y}) or RSA ({@code e, kty, n}). */
    public static Json.Obj of(KeyPair key) {
        return of(key.publicKey());
    }

    static Json.Obj of(AsymmetricKeyParameter publicKey) {
        return switch (publicKey) {
            // RFC 7518 6.2.1: x and y are the full 32 bytes of the P-256 coordinates
            case ECPublicKeyParameters ec -> Json.object(
                    "crv", Json.string("P-256"),
                    "kty", Json.string("EC"),
                    "x", Json.string(Base64Url.encode(Bytes.adopt(fixed(ec.getQ().getAffineXCoord().toBigInteger(), 32)))),
                    "y", Json.string(Base64Url.encode(Bytes.adopt(fixed(ec.getQ().getAffineYCoord().toBigInteger(), 32)))));
            // RFC 7518 6.3.1: unsigned big-endian, no leading zero octets
            case RSAKeyParameters rsa -> Json.object(
                    "e", Json.string(Base64Url.encode(Bytes.adopt(unsigned(rsa.getExponent())))),
                    "kty", Json.string("RSA"),
                    "n", Json.string(Base64Url.encode(Bytes.adopt(unsigned(rsa.getModulus())))));
            default -> throw new IllegalArgumentException("ACME account keys are EC P-256 or RSA, not " + publicKey.getClass().getSimpleName());
        };
    }

    /** RFC 7638 3: base64url(SHA-256(the required members, sorted, without whitespace)). */
    public static String thumbprint(KeyPair key) {
        return thumbprint(of(key));
    }

    /** The thumbprint of a JWK made of its required members only (as {@link #of} gives). */
    public static String thumbprint(Json.Obj jwk) {
        return Base64Url.encode(sha256(JsonWriter.bytes(jwk)));
    }

    /** SHA-256 of {@code input}: the thumbprint's hash, and the DNS-01 digest (RFC 8555 8.4). */
    public static Bytes sha256(Bytes input) {
        try {
            return Bytes.adopt(MessageDigest.getInstance("SHA-256").digest(input.toArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@code value} as exactly {@code length} big-endian bytes. */
    static byte[] fixed(BigInteger value, int length) {
        byte[] raw = unsigned(value);
        if (raw.length > length) {
            throw new IllegalArgumentException("value longer than " + length + " bytes");
        }
        byte[] out = new byte[length];
        System.arraycopy(raw, 0, out, length - raw.length, raw.length);
        return out;
    }

    static byte[] unsigned(BigInteger value) {
        byte[] raw = value.toByteArray();
        return raw.length > 1 && raw[0] == 0 ? Arrays.copyOfRange(raw, 1, raw.length) : raw;
    }
}
