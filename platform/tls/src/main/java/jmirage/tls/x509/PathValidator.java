package jmirage.tls.x509;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jmirage.core.Result;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Certificate path validation, RFC 5280 section 6, with the stricter CA/Browser Forum profile
 * where the two differ (documented in the README), and RFC 6125 name checks. A pure function:
 * certificates, anchors, time, purpose and expected name in, a {@link ValidPath} or the reason out.
 *
 * <p>Path building is a depth-first search from the leaf over the anchors and the intermediates
 * the peer sent (in any order, possibly with extras or cycles); the first path that passes every
 * check wins. Trust anchors are held to the CA profile too (validity, basicConstraints, keyUsage).
 */
public final class PathValidator {

    private PathValidator() {}

    /** The most intermediates any path may hold, whatever the caller allows: bounds the search. */
    private static final int HARD_MAX_DEPTH = 8;
    /**
     * Signature checks one validation may ask for, as Go's crypto/x509 (maxChainSignatureChecks).
     * The search is exponential in the number of peer certificates that share a name and a key:
     * without a bound, 9 such certificates held the loop for minutes. Every check counts, including
     * those answered from the memo (the memo saves the cryptography, the bound the orderings).
     */
    static final int MAX_SIGNATURE_CHECKS = 100;

    /** Extensions we process; any other critical extension rejects the certificate (RFC 5280 4.2). */
    private static final Set<ASN1ObjectIdentifier> UNDERSTOOD_CRITICAL = Set.of(
            Extension.basicConstraints, Extension.keyUsage, Extension.extendedKeyUsage,
            Extension.subjectAlternativeName, Extension.nameConstraints);

    private enum Role { LEAF, INTERMEDIATE, ANCHOR }

    public static Result<ValidPath, PathFailure> validate(Certificate leaf, List<Certificate> intermediates,
            List<Certificate> anchors, Instant now, Purpose purpose, Optional<PeerName> name) {
        return validate(leaf, intermediates, anchors, now, purpose, name, HARD_MAX_DEPTH);
    }

    /**
     * As above, with at most {@code maxIntermediates} intermediates that are not self-issued (the
     * search itself never goes deeper than 8 certificates between leaf and anchor).
     */
    public static Result<ValidPath, PathFailure> validate(Certificate leaf, List<Certificate> intermediates,
            List<Certificate> anchors, Instant now, Purpose purpose, Optional<PeerName> name, int maxIntermediates) {
        Optional<PathFailure> bad = checkProfile(leaf, Role.LEAF, now);
        if (bad.isEmpty()) {
            bad = checkLeafUsage(leaf, purpose);
        }
        if (bad.isEmpty() && name.isPresent()) {
            bad = checkName(leaf, name.get());
        }
        if (bad.isPresent()) {
            return Result.err(bad.get());
        }
        Search search = new Search(List.copyOf(intermediates), List.copyOf(anchors), now, maxIntermediates, purpose);
        List<Certificate> path = new ArrayList<>();
        path.add(leaf);
        Optional<ValidPath> found = search.extend(path);
        if (found.isPresent()) {
            return Result.ok(found.get());
        }
        if (search.exhausted) {
            return Result.err(new PathFailure.SearchTooLong(MAX_SIGNATURE_CHECKS));
        }
        return Result.err(search.firstFailure != null ? search.firstFailure : new PathFailure.NoTrustedPath(leaf.subject()));
    }

    private static final class Search {
        final List<Certificate> intermediates;
        final List<Certificate> anchors;
        final Instant now;
        final int maxLogical;
        final Purpose purpose;
        PathFailure firstFailure;
        /** Each (certificate, issuer key) pair is verified once, whatever the number of orderings tried. */
        final Map<SignatureCheck, Boolean> verified = new HashMap<>();
        int checks;
        boolean exhausted;

        Search(List<Certificate> intermediates, List<Certificate> anchors, Instant now, int maxLogical, Purpose purpose) {
            this.purpose = purpose;
            this.intermediates = intermediates;
            this.anchors = anchors;
            this.now = now;
            this.maxLogical = maxLogical;
        }

        /** Whether {@code issuer}'s key signed {@code subject}; false, and the search over, when the budget is spent. */
        boolean signedBy(Certificate subject, Certificate issuer) {
            if (++checks > MAX_SIGNATURE_CHECKS) {
                exhausted = true;
                return false;
            }
            SignatureCheck check = new SignatureCheck(subject, issuer.publicKeyInfo());
            Boolean known = verified.get(check);
            if (known != null) {
                return known;
            }
            boolean ok = Signatures.verifies(subject, issuer.publicKeyInfo());
            verified.put(check, ok);
            return ok;
        }

        void fail(PathFailure f) {
            if (firstFailure == null) {
                firstFailure = f;
            }
        }

        Optional<ValidPath> extend(List<Certificate> path) {
            if (exhausted) {
                return Optional.empty();
            }
            Certificate current = path.get(path.size() - 1);
            for (Certificate anchor : anchors) {
                if (!issues(anchor, current)) {
                    continue;
                }
                if (!signedBy(current, anchor)) {
                    fail(new PathFailure.BadSignature(current.subject()));
                    continue;
                }
                Optional<PathFailure> bad = anchor.equals(current) ? Optional.empty() : checkProfile(anchor, Role.ANCHOR, now);
                List<Certificate> complete = new ArrayList<>(path);
                if (!anchor.equals(current)) {
                    complete.add(anchor);
                }
                if (bad.isEmpty()) {
                    bad = checkPath(complete, maxLogical, purpose);
                }
                if (bad.isPresent()) {
                    fail(bad.get());
                    continue;
                }
                return Optional.of(new ValidPath(complete));
            }
            if (path.size() - 1 >= HARD_MAX_DEPTH) {
                return Optional.empty();
            }
            for (Certificate candidate : intermediates) {
                if (!issues(candidate, current) || inPath(path, candidate)) {
                    continue;
                }
                if (!signedBy(current, candidate)) {
                    fail(new PathFailure.BadSignature(current.subject()));
                    continue;
                }
                Optional<PathFailure> bad = checkProfile(candidate, Role.INTERMEDIATE, now);
                if (bad.isPresent()) {
                    fail(bad.get());
                    continue;
                }
                path.add(candidate);
                Optional<ValidPath> found = extend(path);
                path.remove(path.size() - 1);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }
    }

    private record SignatureCheck(Certificate subject, SubjectPublicKeyInfo issuerKey) {}

    /** A certificate already in the path, or the same logical CA (same subject and key): a cycle. */
    private static boolean inPath(List<Certificate> path, Certificate candidate) {
        for (Certificate c : path) {
            if (c.equals(candidate)
                    || (c.holder().getSubject().equals(candidate.holder().getSubject())
                            && c.publicKeyInfo().equals(candidate.publicKeyInfo())
                            && !selfIssued(candidate))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code issuer}'s name (and key identifier, when both are present) matches {@code subject}'s issuer. */
    private static boolean issues(Certificate issuer, Certificate subject) {
        if (!issuer.holder().getSubject().equals(subject.holder().getIssuer())) {
            return false;
        }
        byte[] aki = keyIdOfAki(subject);
        byte[] ski = skiOf(issuer);
        return aki == null || ski == null || Arrays.equals(aki, ski);
    }

    private static byte[] keyIdOfAki(Certificate c) {
        try {
            AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(c.holder().getExtensions());
            return aki == null ? null : aki.getKeyIdentifierObject() == null ? null : aki.getKeyIdentifierObject().getOctets();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] skiOf(Certificate c) {
        try {
            SubjectKeyIdentifier ski = SubjectKeyIdentifier.fromExtensions(c.holder().getExtensions());
            return ski == null ? null : ski.getKeyIdentifier();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean selfIssued(Certificate c) {
        return c.holder().getSubject().equals(c.holder().getIssuer());
    }

    // ---- per-certificate profile (RFC 5280 section 4, CABF where stricter) ----

    private static Optional<PathFailure> checkProfile(Certificate c, Role role, Instant now) {
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
            if (selfIssued(c) && ski != null && !Arrays.equals(aki.getKeyIdentifier(), ski.getKeyIdentifier())
                    && Signatures.verifies(c, c.publicKeyInfo())) {
                return malformed(who, "self-signed authorityKeyIdentifier differs from subjectKeyIdentifier");
            }
        } else if (!(selfIssued(c) && Signatures.verifies(c, c.publicKeyInfo()))) {
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

    // ---- leaf usage and name ----

    private static Optional<PathFailure> checkLeafUsage(Certificate leaf, Purpose purpose) {
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

    private static Optional<PathFailure> checkName(Certificate leaf, PeerName expected) {
        GeneralNames san = GeneralNames.fromExtensions(leaf.holder().getExtensions(), Extension.subjectAlternativeName);
        if (san != null) {
            for (GeneralName n : san.getNames()) {
                if (matches(n, expected)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new PathFailure.NameMismatch(leaf.subject(), expected));
    }

    private static boolean matches(GeneralName n, PeerName expected) {
        return switch (expected) {
            case PeerName.Dns(String name) -> n.getTagNo() == GeneralName.dNSName
                    && dnsMatches(((ASN1String) n.getName()).getString().toLowerCase(Locale.ROOT), name);
            case PeerName.Ip(InetAddress address) -> n.getTagNo() == GeneralName.iPAddress
                    && Arrays.equals(ASN1OctetString.getInstance(n.getName()).getOctets(), address.getAddress());
        };
    }

    /**
     * RFC 6125 6.4.3: a wildcard is the whole leftmost label, matches exactly one label, and never
     * covers a bare public suffix: at least two labels must follow it.
     */
    static boolean dnsMatches(String pattern, String name) {
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!validDnsName(name, false)) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            String base = pattern.substring(2);
            if (base.split("\\.").length < 2) {
                return false;
            }
            int dot = name.indexOf('.');
            return dot > 0 && name.substring(dot + 1).equals(base);
        }
        return pattern.equals(name);
    }

    // ---- whole-path checks: path length, name constraints ----

    private static Optional<PathFailure> checkPath(List<Certificate> path, int maxLogical, Purpose purpose) {
        // path: leaf at 0, anchor last.
        int logical = 0;
        for (int i = 1; i < path.size() - 1; i++) {
            if (!selfIssued(path.get(i))) {
                logical++;
            }
        }
        if (logical > maxLogical) {
            return Optional.of(new PathFailure.TooManyIntermediates(maxLogical));
        }
        for (int k = 1; k < path.size(); k++) {
            Certificate ca = path.get(k);
            BasicConstraints bc = BasicConstraints.fromExtensions(ca.holder().getExtensions());
            // RFC 5280 4.2.1.9: pathLenConstraint counts the non-self-issued intermediates below.
            if (bc != null && bc.getPathLenConstraint() != null) {
                int below = 0;
                for (int i = 1; i < k; i++) {
                    if (!selfIssued(path.get(i))) {
                        below++;
                    }
                }
                if (below > bc.getPathLenConstraint().intValue()) {
                    return Optional.of(new PathFailure.PathLengthExceeded(ca.subject(), bc.getPathLenConstraint().intValue()));
                }
            }
            Extensions ext = ca.holder().getExtensions();
            // As Mozilla and Go do: a CA that lists extKeyUsages limits its subtree to them.
            ExtendedKeyUsage caEku = ExtendedKeyUsage.fromExtensions(ext);
            if (caEku != null && !caEku.hasKeyPurposeId(KeyPurposeId.anyExtendedKeyUsage)
                    && !caEku.hasKeyPurposeId(purpose == Purpose.SERVER_AUTH ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth)) {
                return Optional.of(new PathFailure.ExtendedKeyUsageForbids(ca.subject(), purpose));
            }
            if (ext != null && ext.getExtension(Extension.nameConstraints) != null) {
                NameConstraints nc = NameConstraints.getInstance(ext.getExtensionParsedValue(Extension.nameConstraints));
                for (int i = 0; i < k; i++) {
                    // 6.1.3 (b)/(c): self-issued intermediates are exempt, except the leaf.
                    if (i > 0 && selfIssued(path.get(i))) {
                        continue;
                    }
                    Optional<String> violation = NameConstraintCheck.violation(nc, path.get(i));
                    if (violation.isPresent()) {
                        return Optional.of(new PathFailure.NameConstraintViolated(ca.subject(), violation.get()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** RFC 5280 4.2.1.10 matching for dNSName, iPAddress and directoryName. */
    static final class NameConstraintCheck {
        private NameConstraintCheck() {}

        static Optional<String> violation(NameConstraints nc, Certificate c) {
            List<GeneralName> names = new ArrayList<>();
            X500Name subject = c.holder().getSubject();
            if (subject.getRDNs().length > 0) {
                names.add(new GeneralName(subject));
            }
            GeneralNames san = GeneralNames.fromExtensions(c.holder().getExtensions(), Extension.subjectAlternativeName);
            if (san != null) {
                names.addAll(List.of(san.getNames()));
            }
            for (GeneralName name : names) {
                GeneralSubtree[] excluded = nc.getExcludedSubtrees();
                if (excluded != null) {
                    for (GeneralSubtree t : excluded) {
                        if (t.getBase().getTagNo() == name.getTagNo() && within(name, t.getBase())) {
                            return Optional.of(describe(name) + " is excluded");
                        }
                    }
                }
                GeneralSubtree[] permitted = nc.getPermittedSubtrees();
                if (permitted != null) {
                    boolean constrained = false;
                    boolean ok = false;
                    for (GeneralSubtree t : permitted) {
                        if (t.getBase().getTagNo() == name.getTagNo()) {
                            constrained = true;
                            ok |= within(name, t.getBase());
                        }
                    }
                    if (constrained && !ok) {
                        return Optional.of(describe(name) + " is not permitted");
                    }
                }
            }
            return Optional.empty();
        }

        private static String describe(GeneralName n) {
            return switch (n.getTagNo()) {
                case GeneralName.iPAddress -> {
                    try {
                        yield InetAddress.getByAddress(ASN1OctetString.getInstance(n.getName()).getOctets()).getHostAddress();
                    } catch (UnknownHostException e) {
                        yield "invalid IP";
                    }
                }
                default -> n.getName().toString();
            };
        }

        private static boolean within(GeneralName name, GeneralName base) {
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> {
                    String n = ((ASN1String) name.getName()).getString().toLowerCase(Locale.ROOT);
                    String b = ((ASN1String) base.getName()).getString().toLowerCase(Locale.ROOT);
                    if (n.startsWith("*.")) {
                        n = n.substring(2);   // a wildcard is within a subtree when its base is
                    }
                    if (b.isEmpty()) {
                        return true;
                    }
                    if (b.startsWith(".")) {
                        return n.endsWith(b);
                    }
                    return n.equals(b) || n.endsWith("." + b);
                }
                case GeneralName.iPAddress -> {
                    byte[] ip = ASN1OctetString.getInstance(name.getName()).getOctets();
                    byte[] net = ASN1OctetString.getInstance(base.getName()).getOctets();
                    if (net.length != ip.length * 2) {
                        return false;
                    }
                    for (int i = 0; i < ip.length; i++) {
                        byte mask = net[ip.length + i];
                        if ((ip[i] & mask) != (net[i] & mask)) {
                            return false;
                        }
                    }
                    return true;
                }
                case GeneralName.directoryName -> {
                    RDN[] n = X500Name.getInstance(name.getName()).getRDNs();
                    RDN[] b = X500Name.getInstance(base.getName()).getRDNs();
                    if (b.length > n.length) {
                        return false;
                    }
                    for (int i = 0; i < b.length; i++) {
                        if (!n[i].equals(b[i])) {
                            return false;
                        }
                    }
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
    }
}
