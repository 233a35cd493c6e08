package jmirage.certify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import jmirage.core.Random;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Csr;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;

/**
 * The test's CA, playing the certify role: a root and an intermediate, signing a CSR for a time span
 * of the test's choosing; made with platform/tls's X509.
 */
record TestCa(Certificate root, Certificate intermediate, KeyPair intermediateKey, Random random) {

    static TestCa create(Random random, Instant now) {
        KeyPair rootKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate root = X509.selfSignedCa("certify test root", rootKey, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(365)), random);
        KeyPair intermediateKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate intermediate = X509.issue("certify test intermediate", List.of(), List.of(), intermediateKey.publicKey(),
                new X509.Profile.Ca(OptionalInt.of(0)), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), root,
                rootKey, random);
        return new TestCa(root, intermediate, intermediateKey, random);
    }

    /** Signs {@code csr} (its signature checked) for [from, to]. */
    Certificate sign(Csr csr, Instant from, Instant to) {
        return X509.signCsr(csr, new X509.Profile.Server(), from, to, intermediate, intermediateKey, random).orElseThrow();
    }

    /** A certificate for {@code names} and {@code key}, straight from the names (no CSR). */
    Certificate issue(List<String> names, KeyPair key, Instant from, Instant to) {
        return X509.issue(names.getFirst(), names, List.of(), key.publicKey(), new X509.Profile.Server(), from, to,
                intermediate, intermediateKey, random);
    }
}
