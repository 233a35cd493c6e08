package jmirage.tls.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import jmirage.core.Bytes;
import jmirage.core.Random;
import jmirage.core.Result;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcContentSignerBuilder;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcEdECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Issuing certificates: a CA, server and client certificates, CSRs and signing them. Profiles
 * follow RFC 5280 and the CA/Browser Forum baseline: v3, positive 16-byte random serials, SKI and
 * AKI, critical basicConstraints and keyUsage, EKU on leaves, names in subjectAltName.
 */
public final class X509 {

    private X509() {}

    /** What a certificate is for. */
    public sealed interface Profile {
        /** A CA; {@code pathLen} limits the intermediates below it (RFC 5280 4.2.1.9). */
        record Ca(OptionalInt pathLen) implements Profile {}

        record Server() implements Profile {}

        record Client() implements Profile {}
    }

    public static Certificate selfSignedCa(String commonName, KeyPair key, Instant notBefore, Instant notAfter,
            Random random) {
        X500Name name = name(commonName);
        SubjectPublicKeyInfo spki = spki(key.publicKey());
        return build(name, spki, List.of(), List.of(), new Profile.Ca(OptionalInt.empty()), notBefore, notAfter,
                name, spki, key, random);
    }

    /** A self-signed end-entity certificate (for tests, or a peer pinned by its certificate). */
    public static Certificate selfSigned(String commonName, List<String> dnsNames, KeyPair key, Profile profile,
            Instant notBefore, Instant notAfter, Random random) {
        X500Name name = name(commonName);
        SubjectPublicKeyInfo spki = spki(key.publicKey());
        return build(name, spki, dnsNames, List.of(), profile, notBefore, notAfter, name, spki, key, random);
    }

    public static Certificate issue(String commonName, List<String> dnsNames, List<InetAddress> ips,
            AsymmetricKeyParameter subjectPublicKey, Profile profile, Instant notBefore, Instant notAfter,
            Certificate issuer, KeyPair issuerKey, Random random) {
        return build(name(commonName), spki(subjectPublicKey), dnsNames, ips, profile, notBefore, notAfter,
                issuer.holder().getSubject(), issuer.publicKeyInfo(), issuerKey, random);
    }

    /** A PKCS#10 request for {@code commonName} with the DNS names as a requested subjectAltName. */
    public static Csr csr(String commonName, List<String> dnsNames, KeyPair key, Random random) {
        PKCS10CertificationRequestBuilder builder =
                new PKCS10CertificationRequestBuilder(name(commonName), spki(key.publicKey()));
        if (!dnsNames.isEmpty()) {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            try {
                ext.addExtension(Extension.subjectAlternativeName, false, sans(dnsNames, List.of()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        try {
            return new Csr(Bytes.adopt(builder.build(signer(key, random)).getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks the request's self-signature, then issues with its subject, key and requested DNS names. */
    public static Result<Certificate, CsrError> signCsr(Csr csr, Profile profile, Instant notBefore, Instant notAfter,
            Certificate issuer, KeyPair issuerKey, Random random) {
        return readCsr(csr).map(c -> build(c.subject(), c.publicKey(), c.dnsNames(), c.ipAddresses(), profile,
                notBefore, notAfter, issuer.holder().getSubject(), issuer.publicKeyInfo(), issuerKey, random));
    }

    /**
     * Reads a PKCS#10 request whose self-signature verifies with the key it carries (RFC 2986 3):
     * its subject, key and requested subjectAltName (DNS names and IP addresses). Never throws on
     * bad bytes: they come from the network.
     */
    public static Result<CsrContents, CsrError> readCsr(Csr csr) {
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(csr.der().toArray());
        } catch (IOException | RuntimeException e) {
            return Result.err(new CsrError.Malformed(String.valueOf(e.getMessage())));
        }
        try {
            if (!request.isSignatureValid(Signatures.verifierFor(request.getSubjectPublicKeyInfo()))) {
                return Result.err(new CsrError.SignatureInvalid());
            }
        } catch (PKCSException | RuntimeException e) {
            return Result.err(new CsrError.SignatureUncheckable(String.valueOf(e.getMessage())));
        }
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        X500Name subject;
        Optional<String> commonName;
        try {
            for (Attribute attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                for (ASN1Encodable value : attribute.getAttributeValues()) {
                    Extensions ext = Extensions.getInstance(value);
                    GeneralNames names = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
                    if (names == null) {
                        continue;
                    }
                    for (GeneralName n : names.getNames()) {
                        if (n.getTagNo() == GeneralName.dNSName) {
                            dns.add(n.getName().toString());
                        } else if (n.getTagNo() == GeneralName.iPAddress) {
                            byte[] octets = DEROctetString.getInstance(n.getName()).getOctets();
                            if (octets.length != 4 && octets.length != 16) {
                                return Result.err(new CsrError.BadIpAddress());
                            }
                            ips.add(InetAddress.getByAddress(octets));
                        }
                    }
                }
            }
            subject = request.getSubject();
            RDN[] cn = subject.getRDNs(BCStyle.CN);
            commonName = cn.length == 0 ? Optional.empty()
                    : Optional.of(IETFUtils.valueToString(cn[0].getFirst().getValue()));
        } catch (java.net.UnknownHostException e) {
            return Result.err(new CsrError.BadIpAddress());
        } catch (RuntimeException e) {
            return Result.err(new CsrError.Malformed(String.valueOf(e.getMessage())));
        }
        return Result.ok(new CsrContents(csr, subject, commonName, request.getSubjectPublicKeyInfo(), dns, ips));
    }

    static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    static SubjectPublicKeyInfo spki(AsymmetricKeyParameter publicKey) {
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey);
        } catch (IOException e) {
            throw new IllegalArgumentException("unsupported public key", e);
        }
    }

    private static GeneralNames sans(List<String> dnsNames, List<InetAddress> ips) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress()))));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static Certificate build(X500Name subject, SubjectPublicKeyInfo subjectKey, List<String> dnsNames,
            List<InetAddress> ips, Profile profile, Instant notBefore, Instant notAfter, X500Name issuer,
            SubjectPublicKeyInfo issuerKeyInfo, KeyPair issuerKey, Random random) {
        Objects.requireNonNull(profile);
        byte[] serial = new byte[16];
        random.fill(serial);
        serial[0] = (byte) ((serial[0] & 0x7f) | 0x01);   // RFC 5280 4.1.2.2: positive, non-zero, <= 20 octets
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, new BigInteger(serial),
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        BcX509ExtensionUtils util = new BcX509ExtensionUtils();
        try {
            b.addExtension(Extension.subjectKeyIdentifier, false, util.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, util.createAuthorityKeyIdentifier(issuerKeyInfo));
            switch (profile) {
                case Profile.Ca(OptionalInt pathLen) -> {
                    b.addExtension(Extension.basicConstraints, true,
                            pathLen.isPresent() ? new BasicConstraints(pathLen.getAsInt()) : new BasicConstraints(true));
                    b.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                }
                case Profile.Server() -> leaf(b, KeyPurposeId.id_kp_serverAuth, subjectKey);
                case Profile.Client() -> leaf(b, KeyPurposeId.id_kp_clientAuth, subjectKey);
            }
            if (!dnsNames.isEmpty() || !ips.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, sans(dnsNames, ips));
            }
        } catch (IOException e) {
            throw new IllegalStateException("encoding an extension", e);
        }
        return Certificate.of(b.build(signer(issuerKey, random)));
    }

    private static void leaf(X509v3CertificateBuilder b, KeyPurposeId purpose, SubjectPublicKeyInfo key)
            throws IOException {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        boolean rsa = key.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption);
        // RSA keys may also do key encipherment (TLS 1.2 RSA key transport is not offered, but harmless).
        b.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0)));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }

    static ContentSigner signer(KeyPair key, Random random) {
        DefaultSignatureAlgorithmIdentifierFinder sigs = new DefaultSignatureAlgorithmIdentifierFinder();
        AlgorithmIdentifier sigAlg = switch (key.type()) {
            case RSA_2048 -> sigs.find("SHA256withRSA");
            case EC_P256 -> sigs.find("SHA256withECDSA");
            case ED25519 -> sigs.find("Ed25519");
        };
        BcContentSignerBuilder builder = switch (key.type()) {
            case RSA_2048 -> new BcRSAContentSignerBuilder(sigAlg, new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg));
            case EC_P256 -> new BcECContentSignerBuilder(sigAlg, new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg));
            case ED25519 -> new BcEdECContentSignerBuilder(sigAlg);
        };
        try {
            return builder.setSecureRandom(new DeviceSecureRandom(random)).build(key.privateKey());
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("building a signer for our own key", e);
        }
    }
}
