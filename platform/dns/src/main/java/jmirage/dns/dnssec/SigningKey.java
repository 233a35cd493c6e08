package jmirage.dns.dnssec;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Objects;
import jmirage.core.Bytes;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.dns.Rdata;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A zone's signing key: its DNSKEY and the private half, as bytes that can be stored (an Ed25519
 * seed of 32 bytes, a P-256 scalar of 32 bytes, or an RSA key as PKCS#1 DER). Signing is
 * deterministic (Ed25519 by nature, ECDSA with RFC 6979 nonces, RSA PKCS#1 v1.5), so a zone signed
 * twice with the same keys and times is the same zone.
 */
public record SigningKey(Rdata.Dnskey dnskey, Bytes privateKey) {

    /** RFC 4034 2.1.1: Zone Key flag (bit 7); with SEP (bit 15) the conventional KSK flags. */
    public static final int ZONE = 256, KSK = 257;

    private static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65537);

    public SigningKey {
        Objects.requireNonNull(dnskey);
        Objects.requireNonNull(privateKey);
    }

    /** Whether the key has the Secure Entry Point flag (RFC 4034 2.1.1): a KSK. */
    public boolean isSep() {
        return (dnskey.flags() & 1) != 0;
    }

    public int keyTag() {
        return Dnssec.keyTag(dnskey);
    }

    /**
     * A new key of {@code algorithm} (13 ECDSAP256SHA256, 15 ED25519, 8 RSASHA256 with a 2048-bit
     * modulus) with {@code flags} ({@link #ZONE} or {@link #KSK}), from the Random device.
     */
    public static Result<SigningKey, SignerError> generate(int algorithm, int flags, Random random) {
        return switch (algorithm) {
            case Dnssec.ED25519 -> {
                Ed25519PrivateKeyParameters priv = new Ed25519PrivateKeyParameters(random.bytes(32).toArray(), 0);
                yield Result.ok(new SigningKey(dnskey(flags, algorithm, priv.generatePublicKey().getEncoded()),
                        Bytes.adopt(priv.getEncoded())));
            }
            case Dnssec.ECDSAP256SHA256 -> {
                ECDomainParameters domain = p256();
                BigInteger d = scalar(domain.getN(), random);
                yield Result.ok(new SigningKey(dnskey(flags, algorithm, p256Public(domain, d)), Bytes.adopt(fixed(d, 32))));
            }
            case Dnssec.RSASHA256 -> Result.ok(rsa(flags, 2048, random));
            default -> Result.err(new SignerError.UnsupportedAlgorithm(algorithm));
        };
    }

    /** The raw signature of {@code data} in the DNSSEC form of the key's algorithm (RFC 6605 4, RFC 8080 4, RFC 5702 3). */
    Result<Bytes, SignerError> sign(Bytes data) {
        byte[] msg = data.toArray();
        byte[] priv = privateKey.toArray();
        try {
            return switch (dnskey.algorithm()) {
                case Dnssec.ED25519 -> {
                    Ed25519Signer s = new Ed25519Signer();
                    s.init(true, new Ed25519PrivateKeyParameters(priv, 0));
                    s.update(msg, 0, msg.length);
                    yield Result.ok(Bytes.adopt(s.generateSignature()));
                }
                case Dnssec.ECDSAP256SHA256 -> {
                    ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                    s.init(true, new ECPrivateKeyParameters(new BigInteger(1, priv), p256()));
                    SHA256Digest digest = new SHA256Digest();
                    byte[] hash = new byte[32];
                    digest.update(msg, 0, msg.length);
                    digest.doFinal(hash, 0);
                    BigInteger[] rs = s.generateSignature(hash);
                    yield Result.ok(Bytes.adopt(fixed(rs[0], 32)).concat(Bytes.adopt(fixed(rs[1], 32))));
                }
                case Dnssec.RSASHA256 -> {
                    RSAPrivateKey k = RSAPrivateKey.getInstance(priv);
                    RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
                    s.init(true, new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(),
                            k.getPrivateExponent(), k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(),
                            k.getCoefficient()));
                    s.update(msg, 0, msg.length);
                    yield Result.ok(Bytes.adopt(s.generateSignature()));
                }
                default -> Result.err(new SignerError.UnsupportedAlgorithm(dnskey.algorithm()));
            };
        } catch (IllegalArgumentException | IllegalStateException | org.bouncycastle.crypto.CryptoException e) {
            // Bouncy Castle's answer to private key bytes of the wrong shape
            return Result.err(new SignerError.BadPrivateKey(keyTag(), String.valueOf(e.getMessage())));
        }
    }

    private static Rdata.Dnskey dnskey(int flags, int algorithm, byte[] publicKey) {
        return new Rdata.Dnskey(flags, 3, algorithm, Bytes.adopt(publicKey));
    }

    private static ECDomainParameters p256() {
        X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
        return new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
    }

    /** RFC 6605 4: the public key is X | Y, 32 bytes each. */
    private static byte[] p256Public(ECDomainParameters domain, BigInteger d) {
        ECPoint q = domain.getG().multiply(d).normalize();
        byte[] encoded = q.getEncoded(false); // 0x04 | X | Y
        return java.util.Arrays.copyOfRange(encoded, 1, encoded.length);
    }

    /** A uniform scalar in [1, n-1] by rejection; each try succeeds with probability near 1. */
    private static BigInteger scalar(BigInteger n, Random random) {
        int len = (n.bitLength() + 7) / 8;
        for (int tries = 0; tries < 1000; tries++) {
            BigInteger d = new BigInteger(1, random.bytes(len).toArray());
            if (d.signum() > 0 && d.compareTo(n) < 0) {
                return d;
            }
        }
        throw new IllegalStateException("the Random device gave 1000 scalars out of range");
    }

    /** RFC 3110 2 public key; primes from the device, each the next probable prime after a random start. */
    private static SigningKey rsa(int flags, int bits, Random random) {
        BigInteger p, q, n;
        do {
            p = prime(bits / 2, random);
            q = prime(bits / 2, random);
            n = p.multiply(q);
        } while (p.equals(q) || n.bitLength() != bits);
        BigInteger phi = p.subtract(BigInteger.ONE).multiply(q.subtract(BigInteger.ONE));
        BigInteger d = RSA_EXPONENT.modInverse(phi);
        RSAPrivateKey k = new RSAPrivateKey(n, RSA_EXPONENT, d, p, q, d.mod(p.subtract(BigInteger.ONE)),
                d.mod(q.subtract(BigInteger.ONE)), q.modInverse(p));
        byte[] e = RSA_EXPONENT.toByteArray();
        byte[] mod = fixed(n, bits / 8);
        byte[] pub = new byte[1 + e.length + mod.length];
        pub[0] = (byte) e.length;
        System.arraycopy(e, 0, pub, 1, e.length);
        System.arraycopy(mod, 0, pub, 1 + e.length, mod.length);
        try {
            return new SigningKey(dnskey(flags, Dnssec.RSASHA256, pub), Bytes.adopt(k.getEncoded()));
        } catch (IOException ex) {
            throw new IllegalStateException("DER encoding in memory failed", ex);
        }
    }

    /** A prime of exactly {@code bits} bits (top two bits set, so p*q has 2*bits), coprime with e - 1. */
    private static BigInteger prime(int bits, Random random) {
        while (true) {
            byte[] b = random.bytes(bits / 8).toArray();
            b[0] |= (byte) 0xc0;
            BigInteger p = new BigInteger(1, b).nextProbablePrime();
            if (p.bitLength() == bits && p.subtract(BigInteger.ONE).gcd(RSA_EXPONENT).equals(BigInteger.ONE)) {
                return p;
            }
        }
    }

    /** Unsigned big-endian in exactly {@code size} bytes. */
    private static byte[] fixed(BigInteger v, int size) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
        return out;
    }
}
