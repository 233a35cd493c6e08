package jmirage.tls.x509;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.tls.x509.CertificateProfile.Role;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * Path building (RFC 5280 6.1, and RFC 4158's depth-first search): from the leaf, over the anchors
 * first and then the intermediates the peer sent (in any order, possibly with extras or cycles),
 * each step an issuer whose name (and key identifier) matches, whose signature verifies
 * ({@link SignatureBudget}) and whose own profile holds ({@link CertificateProfile}); a path that
 * reaches an anchor is kept if the whole-path rules hold ({@link PathRules}). The first such path
 * wins; else the first failure met explains why none did. Mutable, and used by one validation only.
 */
final class PathSearch {

    /** The most intermediates any path may hold, whatever the caller allows: bounds the search. */
    static final int MAX_DEPTH = 8;

    private final List<Certificate> intermediates;
    private final List<Certificate> anchors;
    private final Instant now;
    private final int maxLogical;
    private final Purpose purpose;
    private final SignatureBudget signatures = new SignatureBudget();
    private PathFailure firstFailure;

    private PathSearch(List<Certificate> intermediates, List<Certificate> anchors, Instant now, int maxLogical, Purpose purpose) {
        this.intermediates = List.copyOf(intermediates);
        this.anchors = List.copyOf(anchors);
        this.now = now;
        this.maxLogical = maxLogical;
        this.purpose = purpose;
    }

    /**
     * A valid path from {@code leaf} (whose own checks the caller has made) to one of {@code anchors},
     * with at most {@code maxLogical} intermediates that are not self-issued.
     */
    static Result<ValidPath, PathFailure> from(Certificate leaf, List<Certificate> intermediates, List<Certificate> anchors,
            Instant now, Purpose purpose, int maxLogical) {
        PathSearch search = new PathSearch(intermediates, anchors, now, maxLogical, purpose);
        List<Certificate> path = new ArrayList<>();
        path.add(leaf);
        Optional<ValidPath> found = search.extend(path);
        if (found.isPresent()) {
            return Result.ok(found.get());
        }
        if (search.signatures.exhausted()) {
            return Result.err(new PathFailure.SearchTooLong(SignatureBudget.MAX_SIGNATURE_CHECKS));
        }
        return Result.err(search.firstFailure != null ? search.firstFailure : new PathFailure.NoTrustedPath(leaf.subject()));
    }

    private void fail(PathFailure f) {
        if (firstFailure == null) {
            firstFailure = f;
        }
    }

    /** Depth first from the last certificate of {@code path}; {@code path} is as it was on return. */
    private Optional<ValidPath> extend(List<Certificate> path) {
        if (signatures.exhausted()) {
            return Optional.empty();
        }
        Certificate current = path.get(path.size() - 1);
        for (Certificate anchor : anchors) {
            if (!issues(anchor, current)) {
                continue;
            }
            if (!signatures.signedBy(current, anchor)) {
                fail(new PathFailure.BadSignature(current.subject()));
                continue;
            }
            Optional<PathFailure> bad = anchor.equals(current) ? Optional.empty() : CertificateProfile.check(anchor, Role.ANCHOR, now);
            List<Certificate> complete = new ArrayList<>(path);
            if (!anchor.equals(current)) {
                complete.add(anchor);
            }
            if (bad.isEmpty()) {
                bad = PathRules.check(complete, maxLogical, purpose);
            }
            if (bad.isPresent()) {
                fail(bad.get());
                continue;
            }
            return Optional.of(new ValidPath(complete));
        }
        if (path.size() - 1 >= MAX_DEPTH) {
            return Optional.empty();
        }
        for (Certificate candidate : intermediates) {
            if (!issues(candidate, current) || inPath(path, candidate)) {
                continue;
            }
            if (!signatures.signedBy(current, candidate)) {
                fail(new PathFailure.BadSignature(current.subject()));
                continue;
            }
            Optional<PathFailure> bad = CertificateProfile.check(candidate, Role.INTERMEDIATE, now);
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

    /** A certificate already in the path, or the same logical CA (same subject and key): a cycle. */
    private static boolean inPath(List<Certificate> path, Certificate candidate) {
        for (Certificate c : path) {
            if (c.equals(candidate)
                    || (c.holder().getSubject().equals(candidate.holder().getSubject())
                            && c.publicKeyInfo().equals(candidate.publicKeyInfo())
                            && !candidate.selfIssued())) {
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
}
