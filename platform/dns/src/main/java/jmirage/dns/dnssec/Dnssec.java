package jmirage.dns.dnssec;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.WireAccess;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.DSAParameters;
import org.bouncycastle.crypto.params.DSAPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.DSASigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.Ed448Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/**
 * DNSSEC primitives (RFC 4034, 4035, 5155, 6605, 8080): key tags, DS digests, the canonical
 * form of an RRset as signed, RRSIG verification, NSEC3 hashing. Validation policy (chains of
 * trust, denial of existence) belongs to the resolver.
 */
public final class Dnssec {

    public static final int DSA = 3, DSA_NSEC3_SHA1 = 6;
    public static final int RSASHA1 = 5, RSASHA1_NSEC3 = 7, RSASHA256 = 8, RSASHA512 = 10, ECDSAP256SHA256 = 13,
            ECDSAP384SHA384 = 14, ED25519 = 15, ED448 = 16;
    public static final int DIGEST_SHA1 = 1, DIGEST_SHA256 = 2, DIGEST_SHA384 = 4;

    private Dnssec() {}

    /** RFC 4034 appendix B: the key tag of a DNSKEY (algorithm 1 excepted, which is obsolete). */
    public static int keyTag(Rdata.Dnskey key) {
        byte[] rdata = WireAccess.rdata(key, false).toArray();
        long ac = 0;
        for (int i = 0; i < rdata.length; i++) {
            ac += (i & 1) == 1 ? rdata[i] & 0xff : (rdata[i] & 0xff) << 8;
        }
        ac += (ac >> 16) & 0xffff;
        return (int) (ac & 0xffff);
    }

    /** RFC 4034 5.1.4: digest = hash(canonical owner | DNSKEY rdata). SHA-1, SHA-256 (RFC 4509), SHA-384 (RFC 6605). */
    public static Result<Rdata.Ds, DnssecError> ds(Name owner, Rdata.Dnskey key, int digestType) {
        Digest d = switch (digestType) {
            case DIGEST_SHA1 -> new SHA1Digest();
            case DIGEST_SHA256 -> new SHA256Digest();
            case DIGEST_SHA384 -> new SHA384Digest();
            default -> null;
        };
        if (d == null) {
            return Result.err(new DnssecError.UnsupportedDigest(digestType));
        }
        update(d, owner.toLowerCase().toWire());
        update(d, WireAccess.rdata(key, false).toArray());
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return Result.ok(new Rdata.Ds(keyTag(key), key.algorithm(), digestType, Bytes.adopt(out)));
    }

    /**
     * RFC 4034 3.1.8.1 and 6: the data an RRSIG signs: its own rdata without the signature, then
     * each record of the RRset in canonical form (lower-case owner, wildcard owner rebuilt from the
     * label count, the RRSIG's original TTL, canonical rdata), sorted by rdata, duplicates dropped.
     */
    public static Result<Bytes, DnssecError> signedData(Rdata.Rrsig sig, List<Record> rrset) {
        if (rrset.isEmpty()) {
            return Result.err(new DnssecError.EmptyRrset());
        }
        Record first = rrset.get(0);
        for (Record r : rrset) {
            if (!r.name().equals(first.name()) || r.type() != sig.typeCovered() || r.rrClass() != first.rrClass()) {
                return Result.err(new DnssecError.NotOneRrset());
            }
        }
        Name owner = first.name().toLowerCase();
        if (sig.labels() > owner.labelCount()) { // RFC 4035 5.3.1
            return Result.err(new DnssecError.LabelsExceedOwner(sig.labels(), owner.labelCount()));
        }
        if (sig.labels() < owner.labelCount()) { // RFC 4035 5.3.2: wildcard expansion
            owner = owner.parent(owner.labelCount() - sig.labels()).prepend(new byte[] {'*'}).orElseThrow();
        }
        TreeMap<Bytes, Bytes> sorted = new TreeMap<>();
        for (Record r : rrset) {
            sorted.put(WireAccess.rdata(r.rdata(), true), Bytes.EMPTY);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] head = WireAccess.rrsigHeader(sig).toArray();
        out.write(head, 0, head.length);
        byte[] ownerWire = owner.toWire();
        for (Bytes rdata : sorted.keySet()) {
            out.write(ownerWire, 0, ownerWire.length);
            writeU16(out, sig.typeCovered());
            writeU16(out, first.rrClass());
            writeU16(out, (int) (sig.originalTtl() >>> 16));
            writeU16(out, (int) sig.originalTtl());
            writeU16(out, rdata.size());
            byte[] b = rdata.toArray();
            out.write(b, 0, b.length);
        }
        return Result.ok(Bytes.adopt(out.toByteArray()));
    }

    /** Why an RRSIG did not verify (RFC 4035 5.3). */
    public sealed interface Failure {
        /** RFC 4035 5.3.1: the RRSIG's algorithm, key tag and signer name are not the DNSKEY's. */
        record KeyMismatch() implements Failure {}
        /** RFC 4034 2.1.1, 2.1.2: a DNSSEC zone key has the Zone Key flag and protocol 3. */
        record NotZoneKey(int flags, int protocol) implements Failure {}
        /** RFC 4035 5.3.1: the signer is the zone containing the RRset, so an ancestor of its owner. */
        record SignerNotAncestor(Name signer, Name owner) implements Failure {}
        /** RFC 4034 3.1.5: seconds since the epoch, modulo 2^32. */
        record Expired(long expiration, long now) implements Failure {}
        record NotYetValid(long inception, long now) implements Failure {}
        record UnsupportedAlgorithm(int algorithm) implements Failure {}
        /** The public key or signature does not have the algorithm's form; {@code detail} says how. */
        record BadKey(String detail) implements Failure {}
        record BadRrset(DnssecError error) implements Failure {}
        record BadSignature() implements Failure {}

        default String describe() {
            return switch (this) {
                case KeyMismatch() -> "algorithm, key tag or signer differ from the key's";
                case NotZoneKey(int flags, int protocol) -> "not a DNSSEC zone key (flags " + flags + ", protocol "
                        + protocol + ")";
                case SignerNotAncestor(Name signer, Name owner) -> "signer " + signer + " is not an ancestor of "
                        + owner;
                case Expired(long expiration, long now) -> "expired at " + expiration + ", now " + now;
                case NotYetValid(long inception, long now) -> "valid from " + inception + ", now " + now;
                case UnsupportedAlgorithm(int algorithm) -> "unsupported algorithm " + algorithm;
                case BadKey(String detail) -> "bad key or signature: " + detail;
                case BadRrset(DnssecError error) -> error.describe();
                case BadSignature() -> "signature does not verify";
            };
        }
    }

    /**
     * RFC 4035 5.3: checks that {@code sig} over {@code rrset} was made with {@code key} and is
     * within its validity period at {@code now} (serial-number arithmetic, RFC 4034 3.1.5).
     */
    public static Result<Unit, Failure> verify(Rdata.Rrsig sig, Rdata.Dnskey key, Name keyOwner, List<Record> rrset,
            Instant now) {
        if (sig.algorithm() != key.algorithm() || sig.keyTag() != keyTag(key) || !sig.signer().equals(keyOwner)) {
            return Result.err(new Failure.KeyMismatch());
        }
        if (key.protocol() != 3 || (key.flags() & 0x0100) == 0) {
            return Result.err(new Failure.NotZoneKey(key.flags(), key.protocol()));
        }
        if (!rrset.isEmpty() && !rrset.get(0).name().isSubdomainOf(sig.signer())) {
            return Result.err(new Failure.SignerNotAncestor(sig.signer(), rrset.get(0).name()));
        }
        long t = now.getEpochSecond() & 0xffffffffL;
        if (serialLess(sig.expiration(), t)) {
            return Result.err(new Failure.Expired(sig.expiration(), t));
        }
        if (serialLess(t, sig.inception())) {
            return Result.err(new Failure.NotYetValid(sig.inception(), t));
        }
        return switch (signedData(sig, rrset)) {
            case Result.Err<Bytes, DnssecError>(DnssecError error) -> Result.err(new Failure.BadRrset(error));
            case Result.Ok<Bytes, DnssecError>(Bytes data) ->
                    verifySignature(key.algorithm(), key.publicKey(), data, sig.signature());
        };
    }

    /** RFC 1982 serial comparison of 32-bit values: a before b. */
    static boolean serialLess(long a, long b) {
        long d = (b - a) & 0xffffffffL;
        return d != 0 && d < 0x80000000L;
    }

    /** Checks a raw signature of {@code data} under a DNSKEY public key of {@code algorithm}. */
    public static Result<Unit, Failure> verifySignature(int algorithm, Bytes publicKey, Bytes data, Bytes signature) {
        byte[] key = publicKey.toArray();
        byte[] msg = data.toArray();
        byte[] sig = signature.toArray();
        try {
            boolean ok = switch (algorithm) {
                case DSA, DSA_NSEC3_SHA1 -> dsa(key, msg, sig);
                case RSASHA1, RSASHA1_NSEC3 -> rsa(new SHA1Digest(), key, msg, sig);
                case RSASHA256 -> rsa(new SHA256Digest(), key, msg, sig);
                case RSASHA512 -> rsa(new SHA512Digest(), key, msg, sig);
                case ECDSAP256SHA256 -> ecdsa("secp256r1", new SHA256Digest(), 32, key, msg, sig);
                case ECDSAP384SHA384 -> ecdsa("secp384r1", new SHA384Digest(), 48, key, msg, sig);
                case ED25519 -> {
                    if (key.length != 32 || sig.length != 64) {
                        throw new BadKeyData("Ed25519 key or signature length");
                    }
                    Ed25519Signer s = new Ed25519Signer();
                    s.init(false, new Ed25519PublicKeyParameters(key, 0));
                    s.update(msg, 0, msg.length);
                    yield s.verifySignature(sig);
                }
                case ED448 -> {
                    if (key.length != 57 || sig.length != 114) {
                        throw new BadKeyData("Ed448 key or signature length");
                    }
                    Ed448Signer s = new Ed448Signer(new byte[0]);
                    s.init(false, new Ed448PublicKeyParameters(key, 0));
                    s.update(msg, 0, msg.length);
                    yield s.verifySignature(sig);
                }
                default -> throw new Unsupported();
            };
            return ok ? Result.ok() : Result.err(new Failure.BadSignature());
        } catch (Unsupported u) {
            return Result.err(new Failure.UnsupportedAlgorithm(algorithm));
        } catch (BadKeyData b) {
            return Result.err(new Failure.BadKey(b.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
            // Bouncy Castle rejects malformed points and keys with these
            return Result.err(new Failure.BadKey(String.valueOf(e.getMessage())));
        }
    }

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final class BadKeyData extends RuntimeException {
        BadKeyData(String m) {
            super(m, null, false, false);
        }
    }

    /** RFC 3110 2: exponent length (1 byte, or 0 and 2 bytes), exponent, modulus; PKCS#1 v1.5 signatures. */
    private static boolean rsa(Digest digest, byte[] key, byte[] msg, byte[] sig) {
        if (key.length < 3) {
            throw new BadKeyData("RSA key too short");
        }
        int expLen = key[0] & 0xff;
        int at = 1;
        if (expLen == 0) {
            expLen = (key[1] & 0xff) << 8 | (key[2] & 0xff);
            at = 3;
        }
        if (expLen == 0 || at + expLen >= key.length) {
            throw new BadKeyData("RSA exponent length");
        }
        BigInteger e = new BigInteger(1, java.util.Arrays.copyOfRange(key, at, at + expLen));
        BigInteger n = new BigInteger(1, java.util.Arrays.copyOfRange(key, at + expLen, key.length));
        if (n.bitLength() > 4096 || n.bitLength() < 512) {
            throw new BadKeyData("RSA modulus of " + n.bitLength() + " bits");
        }
        RSADigestSigner s = new RSADigestSigner(digest);
        s.init(false, new RSAKeyParameters(false, n, e));
        s.update(msg, 0, msg.length);
        return s.verifySignature(sig);
    }

    /**
     * RFC 2536 2 and 3: the key is T, Q (20 bytes), P, G, Y (64 + 8T bytes each); the signature T, R,
     * S (20 bytes each) over the SHA-1 digest. Obsolete (RFC 8624 3.1), kept for old test zones.
     */
    private static boolean dsa(byte[] key, byte[] msg, byte[] sig) {
        if (key.length < 1 || (key[0] & 0xff) > 8) {
            throw new BadKeyData("DSA key T parameter");
        }
        int size = 64 + 8 * (key[0] & 0xff);
        if (key.length != 1 + 20 + 3 * size) {
            throw new BadKeyData("DSA key length");
        }
        BigInteger[] rs = dsaSignature(sig);
        BigInteger q = new BigInteger(1, java.util.Arrays.copyOfRange(key, 1, 21));
        BigInteger p = new BigInteger(1, java.util.Arrays.copyOfRange(key, 21, 21 + size));
        BigInteger g = new BigInteger(1, java.util.Arrays.copyOfRange(key, 21 + size, 21 + 2 * size));
        BigInteger y = new BigInteger(1, java.util.Arrays.copyOfRange(key, 21 + 2 * size, 21 + 3 * size));
        DSASigner s = new DSASigner();
        s.init(false, new DSAPublicKeyParameters(y, new DSAParameters(p, q, g)));
        SHA1Digest d = new SHA1Digest();
        byte[] hash = new byte[20];
        d.update(msg, 0, msg.length);
        d.doFinal(hash, 0);
        return s.verifySignature(hash, rs[0], rs[1]);
    }

    /**
     * R and S of a DSA signature: RFC 2536 3 (T, R, S in 41 bytes), or the DER SEQUENCE of two
     * INTEGERs that unbound's old test zones carry (its validator accepts both).
     */
    private static BigInteger[] dsaSignature(byte[] sig) {
        if (sig.length == 41) {
            return new BigInteger[] {new BigInteger(1, java.util.Arrays.copyOfRange(sig, 1, 21)),
                    new BigInteger(1, java.util.Arrays.copyOfRange(sig, 21, 41))};
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(sig);
            if (seq.size() != 2) {
                throw new BadKeyData("DSA signature is not two integers");
            }
            return new BigInteger[] {ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue(),
                    ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue()};
        } catch (IllegalArgumentException e) {
            throw new BadKeyData("DSA signature length");
        }
    }

    /** RFC 6605 4: the key is X | Y, the signature r | s, each of the curve's size. */
    private static boolean ecdsa(String curve, Digest digest, int size, byte[] key, byte[] msg, byte[] sig) {
        if (key.length != 2 * size || sig.length != 2 * size) {
            throw new BadKeyData("ECDSA key or signature length");
        }
        ECDSASigner s = new ECDSASigner();
        s.init(false, EcKeys.of(curve, key));
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(msg, 0, msg.length);
        digest.doFinal(hash, 0);
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, size));
        BigInteger sv = new BigInteger(1, java.util.Arrays.copyOfRange(sig, size, 2 * size));
        return s.verifySignature(hash, r, sv);
    }

    /** RFC 5155 5: IH(salt, x, 0) = H(x | salt); IH(k) = H(IH(k-1) | salt); x is the canonical owner. Algorithm 1 is SHA-1. */
    public static Result<Bytes, DnssecError> nsec3Hash(Name name, int algorithm, int iterations, Bytes salt) {
        if (algorithm != 1) {
            return Result.err(new DnssecError.UnsupportedNsec3Hash(algorithm));
        }
        byte[] s = salt.toArray();
        byte[] h = name.toLowerCase().toWire();
        SHA1Digest d = new SHA1Digest();
        for (int i = 0; i <= iterations; i++) {
            d.update(h, 0, h.length);
            d.update(s, 0, s.length);
            h = new byte[20];
            d.doFinal(h, 0);
        }
        return Result.ok(Bytes.adopt(h));
    }

    /** The NSEC3 owner for {@code name} in {@code zone}: base32hex(hash).zone. */
    public static Result<Name, DnssecError> nsec3Owner(Name name, Name zone, Rdata.Nsec3param params) {
        return nsec3Hash(name, params.hashAlgorithm(), params.iterations(), params.salt())
                .flatMap(h -> Name.parse(jmirage.dns.Base32Hex.encode(h), zone).mapError(DnssecError.Nsec3OwnerTooLong::new));
    }

    private static void update(Digest d, byte[] b) {
        d.update(b, 0, b.length);
    }

    private static void writeU16(java.io.ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }
}
