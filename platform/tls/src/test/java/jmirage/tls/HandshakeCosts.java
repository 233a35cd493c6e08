package jmirage.tls;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.function.IntSupplier;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * What a full TLS 1.3 handshake with an ECDSA P-256 certificate costs our server in public-key
 * operations, each timed alone: one ECDSA P-256 signature (CertificateVerify, RFC 8446 4.4.3) and
 * one X25519 key share (a key pair and an agreement, RFC 8446 4.2.8, RFC 7748), with Bouncy Castle's
 * lightweight classes as {@code BcTlsCrypto} uses them (deterministic k, RFC 6979) and with the JDK's
 * SunEC, to set beside {@code openssl speed ecdsap256 ecdhx25519} (platform/tls/bench/handshake-costs.sh).
 * {@code HandshakeCosts [SECONDS]}: prints operations per second and microseconds per operation.
 */
public final class HandshakeCosts {

    private HandshakeCosts() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        SecureRandom random = new SecureRandom();
        byte[] hash = new byte[32];
        random.nextBytes(hash);

        X9ECParameters p256 = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters domain = new ECDomainParameters(p256.getCurve(), p256.getG(), p256.getN(), p256.getH());
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair bcKey = generator.generateKeyPair();
        ECDSASigner bcSigner = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        bcSigner.init(true, (ECPrivateKeyParameters) bcKey.getPrivate());
        byte[] peerX25519 = new byte[X25519.POINT_SIZE];
        byte[] peerPrivate = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, peerPrivate);
        X25519.generatePublicKey(peerPrivate, 0, peerX25519, 0);

        KeyPairGenerator jdkEc = KeyPairGenerator.getInstance("EC");
        jdkEc.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair jdkKey = jdkEc.generateKeyPair();
        Signature jdkSigner = Signature.getInstance("SHA256withECDSA");
        jdkSigner.initSign(jdkKey.getPrivate());
        KeyPairGenerator jdkX25519 = KeyPairGenerator.getInstance("X25519");
        KeyPair jdkPeer = jdkX25519.generateKeyPair();

        time("ECDSA P-256 sign, Bouncy Castle", seconds, () -> bcSigner.generateSignature(hash).length);
        time("ECDSA P-256 sign, JDK SunEC", seconds, () -> {
            try {
                jdkSigner.update(hash);
                return jdkSigner.sign().length;
            } catch (java.security.SignatureException e) {
                throw new IllegalStateException(e);
            }
        });
        time("X25519 key pair + agreement, Bouncy Castle", seconds, () -> {
            byte[] own = new byte[X25519.SCALAR_SIZE];
            byte[] ownPublic = new byte[X25519.POINT_SIZE];
            byte[] secret = new byte[X25519.POINT_SIZE];
            X25519.generatePrivateKey(random, own);
            X25519.generatePublicKey(own, 0, ownPublic, 0);
            return X25519.calculateAgreement(own, 0, peerX25519, 0, secret, 0) ? secret.length : 0;
        });
        time("X25519 key pair + agreement, JDK SunEC", seconds, () -> {
            try {
                KeyPair own = jdkX25519.generateKeyPair();
                KeyAgreement agreement = KeyAgreement.getInstance("X25519");
                agreement.init(own.getPrivate());
                agreement.doPhase(jdkPeer.getPublic(), true);
                return agreement.generateSecret().length;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs {@code operation} for a second unmeasured (the JIT), then {@code seconds} measured. */
    private static void time(String name, double seconds, IntSupplier operation) {
        long sink = 0;
        long warmUntil = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            sink += operation.getAsInt();
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long count = 0;
        long now;
        do {
            sink += operation.getAsInt();
            count++;
            now = System.nanoTime();
        } while (now < end);
        double perSecond = count / ((now - start) / 1e9);
        System.out.printf("%-45s %9.0f ops/s %8.1f us/op%s%n", name, perSecond, 1e6 / perSecond, sink == 0 ? " (no output)" : "");
    }
}
