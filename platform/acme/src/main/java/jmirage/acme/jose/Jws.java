package jmirage.acme.jose;

import java.math.BigInteger;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonWriter;
import jmirage.core.Bytes;
import jmirage.tls.x509.KeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/**
 * An ACME request body: a JWS in the flattened JSON serialization (RFC 7515 7.2.2), as RFC 8555 6.2
 * requires, signed with the account key. ES256 for an EC P-256 key (RFC 7518 3.4: the signature is
 * r and s as 32 bytes each, not DER), with deterministic nonces (RFC 6979), so signing needs no
 * randomness; RS256 for an RSA key (RFC 7518 3.3, PKCS#1 v1.5).
 */
public final class Jws {

    private Jws() {}

    /** Who signs: the new account's public key itself (newAccount), or the account URL afterwards (RFC 8555 6.2). */
    public sealed interface Signer {
        record Key() implements Signer {}

        record Kid(URI account) implements Signer {}
    }

    /** The JWS {@code alg} for {@code key}: ES256 or RS256. */
    public static String algorithm(KeyPair key) {
        return switch (key.type()) {
            case EC_P256 -> "ES256";
            case RSA_2048 -> "RS256";
            case ED25519 -> throw new IllegalArgumentException("ACME servers take ES256 or RS256 account keys, not Ed25519");
        };
    }

    /**
     * The flattened JWS of {@code payload} (empty for POST-as-GET, RFC 8555 6.3) with the protected
     * header {@code alg}, then {@code jwk} or {@code kid}, {@code nonce} and {@code url}.
     */
    public static Json.Obj sign(KeyPair key, Signer signer, String nonce, URI url, Optional<Json> payload) {
        Map<String, Json> header = new LinkedHashMap<>();
        header.put("alg", Json.string(algorithm(key)));
        switch (signer) {
            case Signer.Key k -> header.put("jwk", Jwk.of(key));
            case Signer.Kid(URI account) -> header.put("kid", Json.string(account.toString()));
        }
        header.put("nonce", Json.string(nonce));
        header.put("url", Json.string(url.toString()));
        String protectedHeader = Base64Url.encode(JsonWriter.bytes(new Json.Obj(header)));
        String encodedPayload = payload.map(p -> Base64Url.encode(JsonWriter.bytes(p))).orElse("");
        Bytes signingInput = Bytes.utf8(protectedHeader + "." + encodedPayload);
        return Json.object(
                "protected", Json.string(protectedHeader),
                "payload", Json.string(encodedPayload),
                "signature", Json.string(Base64Url.encode(signature(key, signingInput))));
    }

    static Bytes signature(KeyPair key, Bytes signingInput) {
        return switch (key.privateKey()) {
            case ECPrivateKeyParameters ec -> {
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                signer.init(true, ec);
                BigInteger[] rs = signer.generateSignature(Jwk.sha256(signingInput).toArray());
                byte[] out = new byte[64];
                System.arraycopy(Jwk.fixed(rs[0], 32), 0, out, 0, 32);
                System.arraycopy(Jwk.fixed(rs[1], 32), 0, out, 32, 32);
                yield Bytes.adopt(out);
            }
            case RSAKeyParameters rsa -> {
                RSADigestSigner signer = new RSADigestSigner(new SHA256Digest());
                signer.init(true, rsa);
                byte[] input = signingInput.toArray();
                signer.update(input, 0, input.length);
                try {
                    yield Bytes.adopt(signer.generateSignature());
                } catch (CryptoException e) {
                    throw new IllegalStateException("RSA signing failed", e);
                }
            }
            default -> throw new IllegalArgumentException("ACME account keys are EC P-256 or RSA");
        };
    }
}
