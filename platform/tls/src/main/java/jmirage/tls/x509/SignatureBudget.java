package jmirage.tls.x509;

import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The signature chain of one validation: whether an issuer's key signed a certificate (RFC 5280
 * 6.1.3 (a)(1)), each (certificate, key) pair verified once, and at most
 * {@link #MAX_SIGNATURE_CHECKS} asked for in all. Mutable, and used by one validation only.
 */
final class SignatureBudget {

    /**
     * Signature checks one validation may ask for, as Go's crypto/x509 (maxChainSignatureChecks).
     * The search is exponential in the number of peer certificates that share a name and a key:
     * without a bound, 9 such certificates held the loop for minutes. Every check counts, including
     * those answered from the memo (the memo saves the cryptography, the bound the orderings).
     */
    static final int MAX_SIGNATURE_CHECKS = 100;

    private record SignatureCheck(Certificate subject, SubjectPublicKeyInfo issuerKey) {}

    /** Each (certificate, issuer key) pair is verified once, whatever the number of orderings tried. */
    private final Map<SignatureCheck, Boolean> verified = new HashMap<>();
    private int checks;
    private boolean exhausted;

    /** Whether {@code issuer}'s key signed {@code subject}; false, and the budget spent for good, beyond the bound. */
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

    /** Whether a check was refused for want of budget: the search must stop and say so. */
    boolean exhausted() {
        return exhausted;
    }
}
