package jmirage.tls.x509;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.tls.x509.CertificateProfile.Role;

/**
 * Certificate path validation, RFC 5280 section 6, with the stricter CA/Browser Forum profile
 * where the two differ (documented in the README), and RFC 6125 name checks. A pure function:
 * certificates, anchors, time, purpose and expected name in, a {@link ValidPath} or the reason out.
 *
 * <p>The parts, each in its own class: the leaf's own profile and usage ({@link CertificateProfile}),
 * its name ({@link ServiceIdentity}), then the path building ({@link PathSearch}) over the signature
 * chain ({@link SignatureBudget}), the profile of each issuer ({@link CertificateProfile}), and the
 * whole-path rules ({@link PathRules}) with name constraints ({@link NameConstraintCheck}). Trust
 * anchors are held to the CA profile too (validity, basicConstraints, keyUsage).
 */
public final class PathValidator {

    private PathValidator() {}

    public static Result<ValidPath, PathFailure> validate(Certificate leaf, List<Certificate> intermediates,
            List<Certificate> anchors, Instant now, Purpose purpose, Optional<PeerName> name) {
        return validate(leaf, intermediates, anchors, now, purpose, name, PathSearch.MAX_DEPTH);
    }

    /**
     * As above, with at most {@code maxIntermediates} intermediates that are not self-issued (the
     * search itself never goes deeper than 8 certificates between leaf and anchor).
     */
    public static Result<ValidPath, PathFailure> validate(Certificate leaf, List<Certificate> intermediates,
            List<Certificate> anchors, Instant now, Purpose purpose, Optional<PeerName> name, int maxIntermediates) {
        Optional<PathFailure> bad = CertificateProfile.check(leaf, Role.LEAF, now);
        if (bad.isEmpty()) {
            bad = CertificateProfile.leafUsage(leaf, purpose);
        }
        if (bad.isEmpty() && name.isPresent()) {
            bad = ServiceIdentity.check(leaf, name.get());
        }
        if (bad.isPresent()) {
            return Result.err(bad.get());
        }
        return PathSearch.from(leaf, intermediates, anchors, now, purpose, maxIntermediates);
    }
}
