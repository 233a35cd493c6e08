package jmirage.tls.x509;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcEdDSAContentVerifierProviderBuilder;
import org.bouncycastle.operator.bc.BcRSAContentVerifierProviderBuilder;

/** Signature verification with BC's lightweight API, and the algorithms we accept. */
final class Signatures {

    private Signatures() {}

    /** Signature algorithms we accept in certificates: no MD5, no SHA-1, no DSA. */
    private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption,
            PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption,
            PKCSObjectIdentifiers.id_RSASSA_PSS,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512,
            EdECObjectIdentifiers.id_Ed25519);

    private static final Set<ASN1ObjectIdentifier> CURVES = Set.of(
            SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1);

    static Optional<String> weakSignature(AlgorithmIdentifier algorithm) {
        return SIGNATURES.contains(algorithm.getAlgorithm())
                ? Optional.empty()
                : Optional.of("signature algorithm " + algorithm.getAlgorithm().getId());
    }

    static Optional<String> weakKey(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            try {
                AsymmetricKeyParameter key = PublicKeyFactory.createKey(spki);
                int bits = ((RSAKeyParameters) key).getModulus().bitLength();
                return bits >= 2048 ? Optional.empty() : Optional.of("RSA key of " + bits + " bits");
            } catch (IOException | RuntimeException e) {
                return Optional.of("malformed RSA key");
            }
        }
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            try {
                X962Parameters params = X962Parameters.getInstance(spki.getAlgorithm().getParameters());
                return params.isNamedCurve() && CURVES.contains((ASN1ObjectIdentifier) params.getParameters())
                        ? Optional.empty()
                        : Optional.of("EC key on curve " + params.getParameters());
            } catch (RuntimeException e) {
                return Optional.of("malformed EC parameters");
            }
        }
        if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return Optional.empty();
        }
        return Optional.of("public key algorithm " + alg.getId());
    }

    static ContentVerifierProvider verifierFor(SubjectPublicKeyInfo spki) {
        try {
            AsymmetricKeyParameter key = PublicKeyFactory.createKey(spki);
            ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return new BcRSAContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder()).build(key);
            }
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                return new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder()).build(key);
            }
            if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
                return new BcEdDSAContentVerifierProviderBuilder().build(key);
            }
            throw new IllegalArgumentException("unsupported key algorithm " + alg.getId());
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalArgumentException("unusable public key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code subject} carries a valid signature by the key {@code issuerKey}; never throws. */
    static boolean verifies(Certificate subject, SubjectPublicKeyInfo issuerKey) {
        try {
            return subject.holder().isSignatureValid(verifierFor(issuerKey));
        } catch (Exception e) {
            // CertException (outer and inner algorithms differ), unusable key, malformed signature.
            return false;
        }
    }
}
