package jmirage.resolver.validate;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.dnssec.Dnssec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/** A zone key for tests: ECDSA P-256 (13), Ed25519 (15) or RSA/SHA-256 (8), and RRSIGs made with it. */
final class ZoneSigner {

    static final long INCEPTION = 1_700_000_000L, EXPIRATION = 1_800_000_000L;

    final Name zone;
    final int algorithm;
    final Rdata.Dnskey dnskey;
    private final AsymmetricCipherKeyPair pair;
    private static final SecureRandom RANDOM = new SecureRandom(new byte[] {42});

    ZoneSigner(Name zone, int algorithm) {
        this(zone, algorithm, 257);
    }

    ZoneSigner(Name zone, int algorithm, int flags) {
        this.zone = zone;
        this.algorithm = algorithm;
        this.pair = switch (algorithm) {
            case Dnssec.ECDSAP256SHA256 -> {
                X9ECParameters p = CustomNamedCurves.getByName("secp256r1");
                ECKeyPairGenerator g = new ECKeyPairGenerator();
                g.init(new ECKeyGenerationParameters(new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH()), RANDOM));
                yield g.generateKeyPair();
            }
            case Dnssec.ED25519 -> {
                Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
                g.init(new Ed25519KeyGenerationParameters(RANDOM));
                yield g.generateKeyPair();
            }
            case Dnssec.RSASHA256 -> {
                RSAKeyPairGenerator g = new RSAKeyPairGenerator();
                g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 1024, 80));
                yield g.generateKeyPair();
            }
            default -> throw new IllegalArgumentException("algorithm " + algorithm);
        };
        this.dnskey = new Rdata.Dnskey(flags, 3, algorithm, Bytes.adopt(publicKey()));
    }

    private byte[] publicKey() {
        return switch (pair.getPublic()) {
            case ECPublicKeyParameters ec -> {
                byte[] point = ec.getQ().getEncoded(false);
                yield java.util.Arrays.copyOfRange(point, 1, point.length);
            }
            case Ed25519PublicKeyParameters ed -> ed.getEncoded();
            case RSAKeyParameters rsa -> {
                byte[] e = rsa.getExponent().toByteArray();
                byte[] n = unsigned(rsa.getModulus());
                byte[] out = new byte[1 + e.length + n.length];
                out[0] = (byte) e.length;
                System.arraycopy(e, 0, out, 1, e.length);
                System.arraycopy(n, 0, out, 1 + e.length, n.length);
                yield out;
            }
            default -> throw new IllegalStateException();
        };
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] fixed(BigInteger v, int size) {
        byte[] b = unsigned(v);
        byte[] out = new byte[size];
        System.arraycopy(b, 0, out, size - b.length, b.length);
        return out;
    }

    Record dnskeyRecord() {
        return Record.in(zone, 3600, dnskey);
    }

    Record ds(int digest) {
        return Record.in(zone, 3600, Dnssec.ds(zone, dnskey, digest).orElseThrow());
    }

    Record sign(List<Record> rrset) {
        return sign(rrset, INCEPTION, EXPIRATION);
    }

    /** An RRSIG over {@code rrset}; a wildcard owner is signed with the wildcard's label count. */
    Record sign(List<Record> rrset, long inception, long expiration) {
        Record first = rrset.getFirst();
        int labels = first.name().labelCount() - (first.name().isWildcard() ? 1 : 0);
        Rdata.Rrsig unsigned = new Rdata.Rrsig(first.type(), algorithm, labels, first.ttl(), expiration, inception,
                Dnssec.keyTag(dnskey), zone, Bytes.EMPTY);
        byte[] data = Dnssec.signedData(unsigned, rrset).orElseThrow().toArray();
        byte[] sig = switch (algorithm) {
            case Dnssec.ECDSAP256SHA256 -> {
                ECDSASigner s = new ECDSASigner();
                s.init(true, pair.getPrivate());
                SHA256Digest d = new SHA256Digest();
                byte[] h = new byte[32];
                d.update(data, 0, data.length);
                d.doFinal(h, 0);
                BigInteger[] rs = s.generateSignature(h);
                byte[] out = new byte[64];
                System.arraycopy(fixed(rs[0], 32), 0, out, 0, 32);
                System.arraycopy(fixed(rs[1], 32), 0, out, 32, 32);
                yield out;
            }
            case Dnssec.ED25519 -> {
                Ed25519Signer s = new Ed25519Signer();
                s.init(true, pair.getPrivate());
                s.update(data, 0, data.length);
                yield s.generateSignature();
            }
            default -> {
                RSADigestSigner s = new RSADigestSigner(new SHA256Digest());
                s.init(true, pair.getPrivate());
                s.update(data, 0, data.length);
                try {
                    yield s.generateSignature();
                } catch (org.bouncycastle.crypto.CryptoException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return Record.in(first.name(), first.ttl(), new Rdata.Rrsig(unsigned.typeCovered(), algorithm, labels,
                first.ttl(), expiration, inception, unsigned.keyTag(), zone, Bytes.adopt(sig)));
    }

    /** The records followed by their RRSIG. */
    List<Record> signed(Record... rrset) {
        List<Record> out = new ArrayList<>(List.of(rrset));
        out.add(sign(List.of(rrset)));
        return out;
    }
}
