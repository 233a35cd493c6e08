package jmirage.pinata;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.tls.x509.PathFailure;
import jmirage.tls.x509.Pem;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcContentSignerBuilder;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;

/**
 * Bad certificates for the negative cases, made with Bouncy Castle's lightweight API so that every
 * flaw (weak digest, small key, wrong extension, broken signature) can be chosen exactly.
 */
final class BadCerts {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What openssl needs to present a chain: leaf first, the key of the leaf; and {@code flaw}, the
     * rule the chain was built to break, as the {@link PathFailure} a validator must answer with.
     */
    record Presented(String name, List<X509CertificateHolder> chain, AsymmetricKeyParameter key,
            Class<? extends PathFailure> flaw) {

        /** Writes leaf.pem (the leaf), chain.pem (the rest, possibly empty) and key.pem under {@code dir}. */
        Path[] write(Path dir) throws IOException {
            Path d = Files.createDirectories(dir.resolve(name));
            Path leaf = d.resolve("leaf.pem");
            Path rest = d.resolve("chain.pem");
            Path keyFile = d.resolve("key.pem");
            Files.writeString(leaf, pem(chain.getFirst()));
            StringBuilder b = new StringBuilder();
            for (X509CertificateHolder c : chain.subList(1, chain.size())) {
                b.append(pem(c));
            }
            Files.writeString(rest, b.toString());
            Files.writeString(keyFile, Pem.encode("PRIVATE KEY", Bytes.adopt(PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded())));
            return new Path[] {leaf, rest, keyFile};
        }
    }

    record Keys(AsymmetricKeyParameter priv, AsymmetricKeyParameter pub) {
        SubjectPublicKeyInfo spki() {
            try {
                return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    record Issuer(X500Name name, Keys keys, String signatureAlgorithm) {}

    private BadCerts() {}

    static String pem(X509CertificateHolder c) {
        try {
            return Pem.encode("CERTIFICATE", Bytes.adopt(c.getEncoded()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Keys ec() {
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1), RANDOM));
        AsymmetricCipherKeyPair p = g.generateKeyPair();
        return new Keys(p.getPrivate(), p.getPublic());
    }

    static Keys rsa(int bits) {
        RSAKeyPairGenerator g = new RSAKeyPairGenerator();
        g.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), RANDOM, bits, 80));
        AsymmetricCipherKeyPair p = g.generateKeyPair();
        return new Keys(p.getPrivate(), p.getPublic());
    }

    static Issuer testCa() {
        var key = TestPki.caKey();
        return new Issuer(TestPki.ca().holder().getSubject(), new Keys(key.privateKey(), key.publicKey()), "SHA256withECDSA");
    }

    /** A fresh self-signed CA of its own, which the pinata does not trust. */
    static Issuer otherCa() {
        Keys k = ec();
        X500Name name = new X500Name("CN=Some Other CA");
        return new Issuer(name, k, "SHA256withECDSA");
    }

    /**
     * A certificate: {@code ca} true makes a CA (basicConstraints cA, keyCertSign); {@code eku} null
     * leaves extKeyUsage out.
     */
    static X509CertificateHolder build(X500Name subject, SubjectPublicKeyInfo key, Issuer issuer, Instant notBefore,
            Instant notAfter, boolean ca, KeyPurposeId eku) {
        byte[] serial = new byte[12];
        RANDOM.nextBytes(serial);
        serial[0] = (byte) ((serial[0] & 0x7f) | 1);
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer.name(), new BigInteger(serial),
                Date.from(notBefore), Date.from(notAfter), subject, key);
        BcX509ExtensionUtils util = new BcX509ExtensionUtils();
        try {
            b.addExtension(Extension.subjectKeyIdentifier, false, util.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, util.createAuthorityKeyIdentifier(issuer.keys().spki()));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find(issuer.signatureAlgorithm());
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            BcContentSignerBuilder signer = issuer.keys().priv() instanceof RSAKeyParameters
                    ? new BcRSAContentSignerBuilder(sigAlg, digAlg)
                    : new BcECContentSignerBuilder(sigAlg, digAlg);
            return b.build(signer.build(issuer.keys().priv()));
        } catch (Exception e) {
            throw new AssertionError("building a test certificate", e);
        }
    }

    /** The same certificate with one bit of its signature flipped. */
    static X509CertificateHolder forged(X509CertificateHolder good) {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(good.getEncoded());
            byte[] sig = DERBitString.getInstance(seq.getObjectAt(2)).getBytes();
            sig[sig.length / 2] ^= 0x01;
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(seq.getObjectAt(0));
            v.add(seq.getObjectAt(1));
            v.add(new DERBitString(sig));
            return new X509CertificateHolder(new DERSequence(v).getEncoded());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A leaf under {@code depth} intermediates under {@code ca}, each signing the next, all presented. */
    static Presented chain(String name, int depth, Issuer ca, X500Name leafName, KeyPurposeId purpose, Instant from, Instant to,
            Class<? extends PathFailure> flaw) {
        List<X509CertificateHolder> chain = new ArrayList<>();
        Issuer up = ca;
        for (int i = 0; i < depth; i++) {
            Keys ck = ec();
            X500Name n = new X500Name("CN=Intermediate " + i);
            chain.addFirst(build(n, ck.spki(), up, from, to, true, null));
            up = new Issuer(n, ck, "SHA256withECDSA");
        }
        Keys k = ec();
        chain.addFirst(build(leafName, k.spki(), up, from, to, false, purpose));
        return new Presented(name, chain, k.priv(), flaw);
    }

    /**
     * The bad chains, for a leaf with purpose {@code purpose} (clientAuth for the pinata's server
     * role, serverAuth for its client roles); {@code wrong} is the other purpose.
     */
    static List<Presented> all(KeyPurposeId purpose, KeyPurposeId wrong, Instant now) {
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(30));
        Issuer ca = testCa();
        List<Presented> cases = new ArrayList<>();
        X500Name leafName = new X500Name("CN=attacker");

        Keys self = ec();
        Issuer selfIssuer = new Issuer(leafName, self, "SHA256withECDSA");
        // RFC 5280 6.1: a path must end at a trust anchor; this one ends at itself
        cases.add(new Presented("self-signed", List.of(build(leafName, self.spki(), selfIssuer, from, to, false, purpose)), self.priv(),
                PathFailure.NoTrustedPath.class));

        Issuer other = otherCa();
        Keys k = ec();
        cases.add(new Presented("other-ca", List.of(build(leafName, k.spki(), other, from, to, false, purpose)), k.priv(),
                PathFailure.NoTrustedPath.class));

        k = ec();
        cases.add(new Presented("expired", List.of(build(leafName, k.spki(), ca, now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), false, purpose)), k.priv(), PathFailure.Expired.class)); // RFC 5280 6.1.3 (a)(2)

        k = ec();
        cases.add(new Presented("not-yet-valid", List.of(build(leafName, k.spki(), ca, now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), false, purpose)), k.priv(), PathFailure.NotYetValid.class)); // RFC 5280 6.1.3 (a)(2)

        k = ec();
        // RFC 5280 4.2.1.12: the leaf is good for the other purpose only
        cases.add(new Presented("wrong-eku", List.of(build(leafName, k.spki(), ca, from, to, false, wrong)), k.priv(),
                PathFailure.ExtendedKeyUsageForbids.class));

        k = ec();
        // cA=TRUE in the end-entity certificate: refused by the TLS policy (platform/tls README)
        cases.add(new Presented("ca-true-leaf", List.of(build(leafName, k.spki(), ca, from, to, true, null)), k.priv(),
                PathFailure.CaCertificateAsLeaf.class));

        k = ec();
        // RFC 5280 6.1.3 (a)(1): a flipped bit in the signature
        cases.add(new Presented("forged-signature", List.of(forged(build(leafName, k.spki(), ca, from, to, false, purpose))), k.priv(),
                PathFailure.BadSignature.class));

        // a leaf from an intermediate that another CA signed, presented with that intermediate
        Keys ik = ec();
        X500Name iname = new X500Name("CN=Untrusted Intermediate");
        X509CertificateHolder intermediate = build(iname, ik.spki(), other, from, to, true, null);
        k = ec();
        cases.add(new Presented("untrusted-intermediate", List.of(
                build(leafName, k.spki(), new Issuer(iname, ik, "SHA256withECDSA"), from, to, false, purpose), intermediate), k.priv(),
                PathFailure.NoTrustedPath.class));

        k = ec();
        cases.add(new Presented("sha1-signature", List.of(build(leafName, k.spki(),
                new Issuer(ca.name(), ca.keys(), "SHA1withECDSA"), from, to, false, purpose)), k.priv(),
                PathFailure.WeakAlgorithm.class)); // SHA-1 signatures: not accepted (CABF BR 7.1.3.2)

        // MD5 needs RSA: a leaf signed MD5withRSA by an RSA intermediate that our CA signed properly
        Keys rk = rsa(2048);
        X500Name rname = new X500Name("CN=RSA Intermediate under the test CA");
        X509CertificateHolder rsaIntermediate = build(rname, rk.spki(), ca, from, to, true, null);
        k = ec();
        cases.add(new Presented("md5-signature", List.of(build(leafName, k.spki(), new Issuer(rname, rk, "MD5withRSA"),
                from, to, false, purpose), rsaIntermediate), k.priv(), PathFailure.WeakAlgorithm.class)); // RFC 6151

        Keys small = rsa(1024);
        cases.add(new Presented("rsa-1024-key", List.of(build(leafName, small.spki(), ca, from, to, false, purpose)), small.priv(),
                PathFailure.WeakAlgorithm.class)); // under 2048 bits (CABF BR 6.1.5)

        // more certificates than the TLS policy reads (Policy.MAX_CHAIN_CERTIFICATES, 10)
        cases.add(chain("chain-of-12", 11, ca, leafName, purpose, from, to, PathFailure.TooManyIntermediates.class));
        // a Certificate message larger than the handshake message limit: refused unread, as malformed
        cases.add(chain("chain-of-121", 120, ca, leafName, purpose, from, to, PathFailure.Malformed.class));
        return cases;
    }
}
