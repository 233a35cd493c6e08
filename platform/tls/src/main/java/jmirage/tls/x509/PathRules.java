package jmirage.tls.x509;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * The rules that hold between the certificates of a complete path, once its signatures chain
 * (RFC 5280 6.1.3 and 6.1.4): the caller's bound on intermediates, each CA's pathLenConstraint
 * (4.2.1.9), a CA's extKeyUsage limiting its subtree, and each CA's name constraints (4.2.1.10,
 * matched by {@link NameConstraintCheck}) over every certificate below it.
 */
final class PathRules {

    private PathRules() {}

    /** The first rule {@code path} (leaf first, anchor last) breaks, if any. */
    static Optional<PathFailure> check(List<Certificate> path, int maxLogical, Purpose purpose) {
        // path: leaf at 0, anchor last.
        int logical = 0;
        for (int i = 1; i < path.size() - 1; i++) {
            if (!path.get(i).selfIssued()) {
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
                    if (!path.get(i).selfIssued()) {
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
                    if (i > 0 && path.get(i).selfIssued()) {
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
}
