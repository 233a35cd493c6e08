package jmirage.dns.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.dns.Base32Hex;
import jmirage.dns.Name;
import jmirage.dns.Rdata;
import jmirage.dns.Record;
import jmirage.dns.Type;
import jmirage.dns.zone.MasterFile;
import jmirage.dns.zone.TestData;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
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
import org.junit.jupiter.api.Test;

class DnssecTest {

    record Key(Name owner, Rdata.Dnskey key) {}

    static List<Record> zone(String file, String origin) {
        return MasterFile.parse(TestData.read(file), Name.of(origin), MasterFile.IncludeResolver.NONE).orElseThrow();
    }

    /** Verifies every RRSIG of a zone against the zone's DNSKEYs; returns how many verified. */
    static int verifyAll(List<Record> zone, Instant at) {
        Map<Integer, Key> keys = new LinkedHashMap<>();
        for (Record r : zone) {
            if (r.rdata() instanceof Rdata.Dnskey k) {
                keys.put(Dnssec.keyTag(k), new Key(r.name(), k));
            }
        }
        int verified = 0;
        for (Record r : zone) {
            if (r.rdata() instanceof Rdata.Rrsig sig) {
                List<Record> rrset = zone.stream()
                        .filter(x -> x.name().equals(r.name()) && x.type() == sig.typeCovered()).toList();
                Key k = keys.get(sig.keyTag());
                var result = Dnssec.verify(sig, k.key(), k.owner(), rrset, at);
                assertEquals(Result.ok(), result, r.toString());
                verified++;
            }
        }
        return verified;
    }

    @Test
    void rootZoneKeyTagsAndDsMatchTheTrustAnchor() {
        List<Record> root = zone("root.zone", ".");
        List<Integer> tags = root.stream().filter(r -> r.rdata() instanceof Rdata.Dnskey)
                .map(r -> Dnssec.keyTag((Rdata.Dnskey) r.rdata())).sorted().toList();
        assertEquals(List.of(20326, 46780), tags);
        Rdata.Dnskey ksk = root.stream().map(Record::rdata).filter(d -> d instanceof Rdata.Dnskey k && k.flags() == 257)
                .map(d -> (Rdata.Dnskey) d).findFirst().orElseThrow();
        // IANA's root trust anchor for KSK-2017
        assertEquals(Bytes.fromHex("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D"),
                Dnssec.ds(Name.ROOT, ksk, Dnssec.DIGEST_SHA256).orElseThrow().digest());
    }

    @Test
    void rootZoneRsaSha256SignaturesVerify() {
        List<Record> root = zone("root.zone", ".");
        // the apex and the first delegations: RRSIGs valid between 2023-11-05 and 2023-11-18
        List<Record> head = new ArrayList<>(root.subList(0, 2000));
        int n = verifyAll(head, Instant.parse("2023-11-10T00:00:00Z"));
        assertTrue(n > 100, "verified " + n);
    }

    @Test
    void signedExampleZoneVerifiesAndFailsOutsideItsValidity() {
        List<Record> z = zone("zonefileEx2", "example.com.");
        assertEquals(14, verifyAll(z, Instant.parse("2014-11-10T00:00:00Z")));
        Record soaSig = z.stream().filter(r -> r.rdata() instanceof Rdata.Rrsig s && s.typeCovered() == Type.SOA)
                .findFirst().orElseThrow();
        Rdata.Dnskey zsk = z.stream().map(Record::rdata).filter(d -> d instanceof Rdata.Dnskey k && Dnssec.keyTag(k) == 60798)
                .map(d -> (Rdata.Dnskey) d).findFirst().orElseThrow();
        List<Record> soa = z.stream().filter(r -> r.type() == Type.SOA).toList();
        Rdata.Rrsig sig = (Rdata.Rrsig) soaSig.rdata();
        Name apex = Name.of("example.com.");
        assertInstanceOf(Dnssec.Failure.Expired.class,
                err(Dnssec.verify(sig, zsk, apex, soa, Instant.parse("2015-01-01T00:00:00Z"))));
        assertInstanceOf(Dnssec.Failure.NotYetValid.class,
                err(Dnssec.verify(sig, zsk, apex, soa, Instant.parse("2014-01-01T00:00:00Z"))));
        Rdata.Soa s = (Rdata.Soa) soa.get(0).rdata();
        Record changed = new Record(soa.get(0).name(), 1, soa.get(0).ttl(),
                new Rdata.Soa(s.mname(), s.rname(), s.serial() + 1, s.refresh(), s.retry(), s.expire(), s.minimum()));
        assertInstanceOf(Dnssec.Failure.BadSignature.class,
                err(Dnssec.verify(sig, zsk, apex, List.of(changed), Instant.parse("2014-11-10T00:00:00Z"))));
        // case of the owner does not matter (canonical form lower-cases it)
        Record upper = new Record(Name.of("EXAMPLE.com."), 1, soa.get(0).ttl(), s);
        assertEquals(Result.ok(), Dnssec.verify(sig, zsk, apex, List.of(upper), Instant.parse("2014-11-10T00:00:00Z")));
    }

    static <E> E err(Result<?, E> r) {
        return ((Result.Err<?, E>) r).error();
    }

    static final SecureRandom RANDOM = new SecureRandom();
    static final Name ZONE = Name.of("example.net.");
    static final List<Record> RRSET = List.of(
            Record.in(Name.of("www.example.net."), 300, new Rdata.Mx(10, Name.of("mx.example.net."))),
            Record.in(Name.of("WWW.example.net."), 300, new Rdata.Mx(5, Name.of("MX2.example.net."))));

    static Rdata.Rrsig unsignedSig(int alg, Rdata.Dnskey key, int labels) {
        return new Rdata.Rrsig(Type.MX, alg, labels, 300, 2_000_000_000L, 1_600_000_000L, Dnssec.keyTag(key), ZONE,
                Bytes.EMPTY);
    }

    static Rdata.Rrsig withSignature(Rdata.Rrsig s, byte[] sig) {
        return new Rdata.Rrsig(s.typeCovered(), s.algorithm(), s.labels(), s.originalTtl(), s.expiration(), s.inception(),
                s.keyTag(), s.signer(), Bytes.of(sig));
    }

    static byte[] fixed(BigInteger v, int size) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[size];
        int n = Math.min(b.length, size);
        System.arraycopy(b, b.length - n, out, size - n, n);
        return out;
    }

    void checkEcdsa(int alg, String curve, Digest digest, int size) {
        X9ECParameters p = CustomNamedCurves.getByName(curve);
        ECDomainParameters domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(domain, RANDOM));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        byte[] point = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(false);
        Rdata.Dnskey key = new Rdata.Dnskey(256, 3, alg, Bytes.of(point, 1, point.length - 1));
        Rdata.Rrsig sig = unsignedSig(alg, key, 3);
        byte[] data = Dnssec.signedData(sig, RRSET).orElseThrow().toArray();
        byte[] hash = new byte[digest.getDigestSize()];
        digest.update(data, 0, data.length);
        digest.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, pair.getPrivate());
        BigInteger[] rs = signer.generateSignature(hash);
        byte[] raw = new byte[2 * size];
        System.arraycopy(fixed(rs[0], size), 0, raw, 0, size);
        System.arraycopy(fixed(rs[1], size), 0, raw, size, size);
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertEquals(Result.ok(), Dnssec.verify(withSignature(sig, raw), key, ZONE, RRSET, now));
        raw[5] ^= 1;
        assertInstanceOf(Dnssec.Failure.BadSignature.class, err(Dnssec.verify(withSignature(sig, raw), key, ZONE, RRSET, now)));
    }

    @Test
    void ecdsaP256AndP384SignaturesVerify() {
        checkEcdsa(Dnssec.ECDSAP256SHA256, "secp256r1", new SHA256Digest(), 32);
        checkEcdsa(Dnssec.ECDSAP384SHA384, "secp384r1", new SHA384Digest(), 48);
    }

    @Test
    void ed25519SignaturesVerifyIncludingWildcardExpansion() {
        Ed25519KeyPairGenerator gen = new Ed25519KeyPairGenerator();
        gen.init(new Ed25519KeyGenerationParameters(RANDOM));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        Rdata.Dnskey key = new Rdata.Dnskey(257, 3, Dnssec.ED25519,
                Bytes.of(((Ed25519PublicKeyParameters) pair.getPublic()).getEncoded()));
        // signed as *.example.net (labels 2), checked on the expansion www.example.net
        Rdata.Rrsig sig = unsignedSig(Dnssec.ED25519, key, 2);
        List<Record> wildcard = RRSET.stream().map(r -> new Record(Name.of("*.example.net."), r.rrClass(), r.ttl(), r.rdata())).toList();
        byte[] data = Dnssec.signedData(sig, wildcard).orElseThrow().toArray();
        assertEquals(Dnssec.signedData(sig, RRSET).orElseThrow(), Bytes.of(data));
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, pair.getPrivate());
        signer.update(data, 0, data.length);
        Rdata.Rrsig signed = withSignature(sig, signer.generateSignature());
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertEquals(Result.ok(), Dnssec.verify(signed, key, ZONE, RRSET, now));
        assertInstanceOf(Dnssec.Failure.KeyMismatch.class, err(Dnssec.verify(signed, key, Name.of("other."), RRSET, now)));
    }

    @Test
    void rsaSha512SignaturesVerify() throws Exception {
        RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
        gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, 1024, 80));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        RSAKeyParameters pub = (RSAKeyParameters) pair.getPublic();
        byte[] e = pub.getExponent().toByteArray();
        byte[] n = fixed(pub.getModulus(), 128);
        byte[] k = new byte[1 + e.length + n.length];
        k[0] = (byte) e.length;
        System.arraycopy(e, 0, k, 1, e.length);
        System.arraycopy(n, 0, k, 1 + e.length, n.length);
        Rdata.Dnskey key = new Rdata.Dnskey(256, 3, Dnssec.RSASHA512, Bytes.of(k));
        Rdata.Rrsig sig = unsignedSig(Dnssec.RSASHA512, key, 3);
        byte[] data = Dnssec.signedData(sig, RRSET).orElseThrow().toArray();
        RSADigestSigner signer = new RSADigestSigner(new SHA512Digest());
        signer.init(true, pair.getPrivate());
        signer.update(data, 0, data.length);
        Rdata.Rrsig signed = withSignature(sig, signer.generateSignature());
        assertEquals(Result.ok(), Dnssec.verify(signed, key, ZONE, RRSET, Instant.ofEpochSecond(1_700_000_000L)));
        assertInstanceOf(Dnssec.Failure.UnsupportedAlgorithm.class,
                err(Dnssec.verifySignature(253, key.publicKey(), Bytes.EMPTY, Bytes.EMPTY)));
    }

    @Test
    void nsec3HashesMatchRfc5155AppendixA() {
        Bytes salt = Bytes.fromHex("aabbccdd");
        assertEquals("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom",
                Base32Hex.encode(Dnssec.nsec3Hash(Name.of("example."), 1, 12, salt).orElseThrow()));
        assertEquals("35mthgpgcu1qg68fab165klnsnk3dpvl",
                Base32Hex.encode(Dnssec.nsec3Hash(Name.of("a.example."), 1, 12, salt).orElseThrow()));
        assertEquals("2t7b4g4vsa5smi47k61mv5bv1a22bojr",
                Base32Hex.encode(Dnssec.nsec3Hash(Name.of("ns1.EXAMPLE."), 1, 12, salt).orElseThrow()));
        assertEquals(Name.of("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example."), Dnssec.nsec3Owner(Name.of("example."),
                Name.of("example."), new Rdata.Nsec3param(1, 0, 12, salt)).orElseThrow());
        assertEquals(Optional.of(Dnssec.nsec3Hash(Name.of("example."), 1, 12, salt).orElseThrow()),
                Base32Hex.decode("0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM"));
    }

    /** One minimal input per error case of the DNSSEC computations and of verification. */
    @Test
    void errorsAreTypedCases() {
        Rdata.Dnskey key = new Rdata.Dnskey(256, 3, Dnssec.ED25519, Bytes.of(new byte[32]));
        assertEquals(new DnssecError.UnsupportedDigest(3), err(Dnssec.ds(ZONE, key, 3)));
        assertEquals(new DnssecError.UnsupportedNsec3Hash(2), err(Dnssec.nsec3Hash(ZONE, 2, 0, Bytes.EMPTY)));
        Rdata.Rrsig sig = unsignedSig(Dnssec.ED25519, key, 3);
        assertEquals(new DnssecError.EmptyRrset(), err(Dnssec.signedData(sig, List.of())));
        List<Record> mixed = List.of(RRSET.get(0), Record.in(Name.of("other.example.net."), 300, RRSET.get(1).rdata()));
        assertEquals(new DnssecError.NotOneRrset(), err(Dnssec.signedData(sig, mixed)));
        assertEquals(new DnssecError.LabelsExceedOwner(4, 3), err(Dnssec.signedData(unsignedSig(Dnssec.ED25519, key, 4), RRSET)));
        Name deep = Name.of(("a".repeat(63) + ".").repeat(3) + "a".repeat(50) + ".");
        DnssecError tooLong = err(Dnssec.nsec3Owner(ZONE, deep, new Rdata.Nsec3param(1, 0, 0, Bytes.EMPTY)));
        assertInstanceOf(jmirage.dns.NameError.NameTooLong.class, ((DnssecError.Nsec3OwnerTooLong) tooLong).error());
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        assertEquals(new Dnssec.Failure.BadRrset(new DnssecError.EmptyRrset()),
                err(Dnssec.verify(sig, key, ZONE, List.of(), now)));
        Rdata.Dnskey notZone = new Rdata.Dnskey(0, 3, Dnssec.ED25519, Bytes.of(new byte[32]));
        assertEquals(new Dnssec.Failure.NotZoneKey(0, 3),
                err(Dnssec.verify(unsignedSig(Dnssec.ED25519, notZone, 3), notZone, ZONE, RRSET, now)));
        List<Record> elsewhere = RRSET.stream().map(r -> new Record(Name.of("www.example.org."), r.rrClass(), r.ttl(), r.rdata())).toList();
        assertEquals(new Dnssec.Failure.SignerNotAncestor(ZONE, Name.of("www.example.org.")),
                err(Dnssec.verify(sig, key, ZONE, elsewhere, now)));
        assertEquals(new Dnssec.Failure.KeyMismatch(), err(Dnssec.verify(sig, key, Name.of("other."), RRSET, now)));
        String line = switch (err(Dnssec.verify(sig, key, ZONE, RRSET, Instant.ofEpochSecond(2_100_000_000L)))) {
            case Dnssec.Failure.Expired(long expiration, long at) -> "expired " + expiration + " " + at;
            case Dnssec.Failure f -> f.describe();
        };
        assertEquals("expired 2000000000 2100000000", line);
        assertEquals("RRSIG labels 4 exceed the owner's 3",
                new Dnssec.Failure.BadRrset(new DnssecError.LabelsExceedOwner(4, 3)).describe());
    }

    /** The DSA (algorithm 3) test key and signatures of unbound's val_positive.rpl (NLnet Labs, BSD-3-Clause). */
    static final String UNBOUND_DSA_ZONE = """
            example.com. 3600 IN DNSKEY 256 3 3 ( ALXLUsWqUrY3JYER3T4TBJII s70j+sDS/UT2QRp61SE7S3E EXopNXoFE73JLRmvpi/UrOO/Vz4Se
             6wXv/CYCKjGw06U4WRgR YXcpEhJROyNapmdIKSx hOzfLVE1gqA0PweZR8d tY3aNQSRn3sPpwJr6Mi /PqQKAMMrZ9ckJpf1+b
             QMOOvxgzz2U1GS18b3y ZKcgTMEaJzd/GZYzi/B N2DzQ0MsrSwYXfsNLFO Bbs8PJMW4LYIxeeOe6rUgkWOF 7CC9Dh/dduQ1QrsJhmZAEFfd6ByYV+ )
            example.com. 3600 IN RRSIG DNSKEY 3 2 3600 20070926134802 20070829134802 2854 example.com. MCwCFG1yhRNtTEa3Eno2zhVVuy2EJX3wAhQeLyUp6+UXcpC5qGNu9tkrTEgPUg==
            www.example.com. 3600 IN A 10.20.30.40
            www.example.com. 3600 IN RRSIG A 3 3 3600 20070926134150 20070829134150 2854 example.com. MC0CFC99iE9K5y2WNgI0gFvBWaTi9wm6AhUAoUqOpDtG5Zct+Qr9F3mSdnbc6V4=
            """;

    @Test
    void dsaSignaturesVerifyAndADifferentRrsetDoesNot() {
        List<Record> z = MasterFile.parse(UNBOUND_DSA_ZONE, Name.of("example.com."), MasterFile.IncludeResolver.NONE)
                .orElseThrow();
        Rdata.Dnskey key = (Rdata.Dnskey) z.get(0).rdata();
        assertEquals(2854, Dnssec.keyTag(key));
        // the anchor of the scenario: example.com. DS 2854 3 1 46e4ffc6...
        assertEquals(Bytes.fromHex("46e4ffc6e9a4793b488954bd3f0cc6af0dfb201b"),
                Dnssec.ds(Name.of("example.com."), key, Dnssec.DIGEST_SHA1).orElseThrow().digest());
        assertEquals(2, verifyAll(z, Instant.parse("2007-09-16T13:42:26Z")));
        Rdata.Rrsig aSig = (Rdata.Rrsig) z.get(3).rdata();
        Record other = Record.in(Name.of("www.example.com."), 3600,
                new Rdata.A((java.net.Inet4Address) java.net.InetAddress.ofLiteral("10.20.30.41")));
        assertInstanceOf(Dnssec.Failure.BadSignature.class, ((Result.Err<?, Dnssec.Failure>) Dnssec.verify(aSig, key,
                Name.of("example.com."), List.of(other), Instant.parse("2007-09-16T13:42:26Z"))).error());
    }
}
