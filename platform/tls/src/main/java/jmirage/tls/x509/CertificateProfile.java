package jmirage.tls.x509;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * The profile each certificate of a path must meet on its own, by its place in the path: RFC 5280
 * section 4 (4.1 fields, 4.2.1.x extensions), with the CA/Browser Forum rule where it is stricter.
 * What holds between certificates (signatures, path length, name constraints) is elsewhere:
 * {@link PathSearch}, {@link PathRules}.
 */
final class CertificateProfile {

    private CertificateProfile() {}

    /** Where a certificate stands in the path; each place has its own profile. */
    enum Role { LEAF, INTERMEDIATE, ANCHOR }

    /** Extensions we process; any other critical extension rejects the certificate (RFC 5280 4.2). */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(
            Extension.basicConstraints, Extension.keyUsage, Extension.extendedKeyUsage,
            Extension.subjectAlternativeName, Extension.nameConstraints);

    /** The first rule {@code c} breaks in {@code role} at {@code now}, if any. */
    static Optional<PathFailure> check(Certificate c, Role role, Instant now) {
        String who = c.subject();
        var h = c.holder();
        if (h.getVersionNumber() != 3) {
            return malformed(who, "not a v3 certificate");   // CABF 7.1.1
        }
        var serial = h.getSerialNumber();
        if (serial.signum() <= 0) {
            return malformed(who, "serial number not positive");   // RFC 5280 4.1.2.2
        }
        if (serial.toByteArray().length > 20) {
            return malformed(who, "serial number longer than 20 octets");
        }
        if (!h.toASN1Structure().getSignatureAlgorithm().equals(h.toASN1Structure().getTBSCertificate().getSignature())) {
            return malformed(who, "signatureAlgorithm differs from tbsCertificate.signature");   // 4.1.1.2
        }
        // A trust anchor's own signature is never checked (RFC 5280 6.1.1 (d)), so its algorithm
        // does not matter; its key does, since it verifies the next certificate.
        Optional<String> weak = role == Role.ANCHOR ? Optional.empty() : Signatures.weakSignature(h.getSignatureAlgorithm());
        if (weak.isEmpty()) {
            weak = Signatures.weakKey(h.getSubjectPublicKeyInfo());
        }
        if (weak.isPresent()) {
            return Optional.of(new PathFailure.WeakAlgorithm(who, weak.get()));
        }
        if (now.isBefore(c.notBefore())) {
            return Optional.of(new PathFailure.NotYetValid(who, c.notBefore()));
        }
        if (now.isAfter(c.notAfter())) {
            return Optional.of(new PathFailure.Expired(who, c.notAfter()));
        }
        if (h.getIssuer().getRDNs().length == 0) {
            return malformed(who, "empty issuer name");   // 4.1.2.4
        }
        boolean emptySubject = h.getSubject().getRDNs().length == 0;
        if (role != Role.LEAF && emptySubject) {
            return malformed(who, "CA with an empty subject name");   // 4.1.2.6
        }
        Extensions ext = h.getExtensions();
        if (ext != null) {
            for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
                if (ext.getExtension(oid).isCritical() && !UNDERSTOOD_CRITICAL.contains(oid)) {
                    return Optional.of(new PathFailure.UnknownCriticalExtension(who, oid.getId()));
                }
            }
        }
        BasicConstraints bc;
        KeyUsage ku;
        GeneralNames san;
        AuthorityKeyIdentifier aki;
        SubjectKeyIdentifier ski;
        NameConstraints nc;
        try {
            bc = BasicConstraints.fromExtensions(ext);
            ku = KeyUsage.fromExtensions(ext);
            san = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            aki = AuthorityKeyIdentifier.fromExtensions(ext);
            ski = SubjectKeyIdentifier.fromExtensions(ext);
            nc = ext == null || ext.getExtension(Extension.nameConstraints) == null ? null
                    : NameConstraints.getInstance(ext.getExtensionParsedValue(Extension.nameConstraints));
            if (ext != null && ext.getExtension(Extension.authorityInfoAccess) != null) {
                AuthorityInformationAccess.getInstance(ext.getExtensionParsedValue(Extension.authorityInfoAccess));
            }
            if (ext != null && ext.getExtension(Extension.extendedKeyUsage) != null) {
                ExtendedKeyUsage.fromExtensions(ext);
            }
        } catch (RuntimeException e) {
            return malformed(who, "malformed extension: " + e.getMessage());
        }
        // 4.2.1.1 / 4.2.1.2: AKI and SKI are never critical.
        if (ext != null && ext.getExtension(Extension.authorityKeyIdentifier) != null
                && ext.getExtension(Extension.authorityKeyIdentifier).isCritical()) {
            return malformed(who, "critical authorityKeyIdentifier");
        }
        if (ext != null && ext.getExtension(Extension.subjectKeyIdentifier) != null
                && ext.getExtension(Extension.subjectKeyIdentifier).isCritical()) {
            return malformed(who, "critical subjectKeyIdentifier");
        }
        // 4.2.1.1: AKI keyIdentifier in every certificate but a self-signed root (CABF: no issuer/serial forms).
        if (aki != null) {
            if (aki.getKeyIdentifierObject() == null) {
                return malformed(who, "authorityKeyIdentifier without keyIdentifier");
            }
            if (aki.getAuthorityCertIssuer() != null || aki.getAuthorityCertSerialNumber() != null) {
                return malformed(who, "authorityKeyIdentifier with issuer and serial");
            }
            if (c.selfIssued() && ski != null && !Arrays.equals(aki.getKeyIdentifier(), ski.getKeyIdentifier())
                    && Signatures.verifies(c, c.publicKeyInfo())) {
                return malformed(who, "self-signed authorityKeyIdentifier differs from subjectKeyIdentifier");
            }
        } else if (!(c.selfIssued() && Signatures.verifies(c, c.publicKeyInfo()))) {
            return malformed(who, "missing authorityKeyIdentifier");
        }
        if (role != Role.LEAF && ski == null) {
            return malformed(who, "CA without subjectKeyIdentifier");   // 4.2.1.2
        }
        // 4.2.1.6: a SAN is critical exactly when the subject is empty.
        if (san != null) {
            boolean critical = ext.getExtension(Extension.subjectAlternativeName).isCritical();
            if (emptySubject && !critical) {
                return malformed(who, "empty subject with a non-critical subjectAltName");
            }
            if (!emptySubject && critical) {
                return malformed(who, "critical subjectAltName with a non-empty subject");
            }
            if (san.getNames().length == 0) {
                return malformed(who, "empty subjectAltName");
            }
            for (GeneralName n : san.getNames()) {
                Optional<String> problem = badSanEntry(n);
                if (problem.isPresent()) {
                    return malformed(who, problem.get());
                }
            }
        } else if (emptySubject) {
            return malformed(who, "empty subject and no subjectAltName");
        }
        if (role == Role.LEAF) {
            if (bc != null && bc.isCA()) {
                return Optional.of(new PathFailure.CaCertificateAsLeaf(who));
            }
            if (ku != null && ku.hasUsages(KeyUsage.keyCertSign)) {
                return Optional.of(new PathFailure.CaCertificateAsLeaf(who));
            }
            if (nc != null) {
                return malformed(who, "nameConstraints in an end-entity certificate");   // 4.2.1.10
            }
            return Optional.empty();
        }
        // CA profile: 4.2.1.9 basicConstraints present, critical, cA; 4.2.1.3 keyCertSign.
        if (bc == null) {
            return Optional.of(new PathFailure.NotACa(who, "no basicConstraints"));
        }
        if (!bc.isCA()) {
            return Optional.of(new PathFailure.NotACa(who, "basicConstraints cA is FALSE"));
        }
        if (!ext.getExtension(Extension.basicConstraints).isCritical()) {
            return Optional.of(new PathFailure.NotACa(who, "basicConstraints not critical"));
        }
        if (ku != null && !ku.hasUsages(KeyUsage.keyCertSign)) {
            return Optional.of(new PathFailure.KeyUsageForbids(who, "keyCertSign not asserted"));
        }
        if (nc != null) {
            // 4.2.1.10: at least one of the subtrees, each non-empty; constraints well formed.
            var permitted = nc.getPermittedSubtrees();
            var excluded = nc.getExcludedSubtrees();
            if ((permitted == null || permitted.length == 0) && (excluded == null || excluded.length == 0)) {
                return malformed(who, "nameConstraints with no subtrees");
            }
            for (GeneralSubtree[] trees : new GeneralSubtree[][] {permitted, excluded}) {
                if (trees == null) {
                    continue;
                }
                for (GeneralSubtree t : trees) {
                    Optional<String> problem = badConstraint(t.getBase());
                    if (problem.isPresent()) {
                        return malformed(who, problem.get());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<PathFailure> malformed(String who, String detail) {
        return Optional.of(new PathFailure.Malformed(who, detail));
    }

    private static Optional<String> badSanEntry(GeneralName n) {
        switch (n.getTagNo()) {
            case GeneralName.dNSName -> {
                String dns = ((ASN1String) n.getName()).getString();
                return validDnsName(dns, true) ? Optional.empty() : Optional.of("invalid dNSName in subjectAltName: " + dns);
            }
            case GeneralName.iPAddress -> {
                int len = ASN1OctetString.getInstance(n.getName()).getOctets().length;
                return len == 4 || len == 16 ? Optional.empty() : Optional.of("invalid iPAddress in subjectAltName");
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> badConstraint(GeneralName n) {
        switch (n.getTagNo()) {
            case GeneralName.dNSName -> {
                String dns = ((ASN1String) n.getName()).getString();
                String body = dns.startsWith(".") ? dns.substring(1) : dns;
                return dns.isEmpty() || validDnsName(body, false) ? Optional.empty()
                        : Optional.of("invalid dNSName constraint: " + dns);
            }
            case GeneralName.iPAddress -> {
                byte[] b = ASN1OctetString.getInstance(n.getName()).getOctets();
                if (b.length != 8 && b.length != 32) {
                    return Optional.of("invalid iPAddress constraint length " + b.length);
                }
                // The mask must be a run of ones then zeros (RFC 4632 prefix).
                boolean zero = false;
                for (int i = b.length / 2; i < b.length; i++) {
                    for (int bit = 7; bit >= 0; bit--) {
                        boolean one = ((b[i] >> bit) & 1) == 1;
                        if (one && zero) {
                            return Optional.of("non-contiguous iPAddress constraint mask");
                        }
                        zero |= !one;
                    }
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** RFC 1034 3.5 preferred syntax (LDH labels), case-insensitive; optionally a leading "*." wildcard. */
    static boolean validDnsName(String name, boolean allowWildcard) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (i == 0 && allowWildcard && label.equals("*") && labels.length > 1) {
                continue;
            }
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (char ch : label.toCharArray()) {
                if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-')) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The leaf's fitness for {@code purpose}: extKeyUsage (4.2.1.12, CABF 7.1.2.7.6) and keyUsage
     * (4.2.1.3) allow a TLS peer.
     */
    static Optional<PathFailure> leafUsage(Certificate leaf, Purpose purpose) {
        Extensions ext = leaf.holder().getExtensions();
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(ext);
        if (eku == null) {
            return Optional.empty();   // RFC 5280 4.2.1.12: absent means any purpose
        }
        KeyPurposeId wanted = purpose == Purpose.SERVER_AUTH ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth;
        // CABF 7.1.2.7.6: in a leaf, extKeyUsage is not critical and never anyExtendedKeyUsage.
        if (ext.getExtension(Extension.extendedKeyUsage).isCritical()) {
            return Optional.of(new PathFailure.Malformed(leaf.subject(), "critical extKeyUsage in an end-entity certificate"));
        }
        if (eku.hasKeyPurposeId(KeyPurposeId.anyExtendedKeyUsage) || !eku.hasKeyPurposeId(wanted)) {
            return Optional.of(new PathFailure.ExtendedKeyUsageForbids(leaf.subject(), purpose));
        }
        KeyUsage ku = KeyUsage.fromExtensions(ext);
        if (ku != null && !ku.hasUsages(KeyUsage.digitalSignature) && !ku.hasUsages(KeyUsage.keyAgreement)
                && !ku.hasUsages(KeyUsage.keyEncipherment)) {
            return Optional.of(new PathFailure.KeyUsageForbids(leaf.subject(), "no usage fit for TLS"));
        }
        return Optional.empty();
    }
}
