package jmirage.resolver.validate;

import java.util.Set;

/**
 * The validator's policy.
 *
 * @param algorithms DNSKEY algorithms validated; others are treated as unsigned (RFC 4035 5.2). The
 *     default follows RFC 8624 3.1: 5, 7, 8, 10, 13, 14, 15, 16 (3 and 6, DSA, are off but for old
 *     test zones)
 * @param digests DS digest types used (RFC 8624 3.3); SHA-1 (1) only when a DS set has no stronger
 *     digest for the key (RFC 4509 3)
 * @param minRsaBits RSA keys with a shorter modulus count as an unsupported algorithm
 * @param maxNsec3Iterations NSEC3 records with more iterations prove nothing: the answer is
 *     insecure (RFC 9276 3.2)
 * @param hardenAlgorithmDowngrade require a signature by every algorithm of the DS set on the
 *     DNSKEY RRset, not one (unbound's harden-algo-downgrade; RFC 6840 5.11 asks for one)
 * @param hardenDnssecStripped a zone whose DS is there but whose DNSKEY RRset cannot be had is bogus;
 *     without it, insecure (unbound's harden-dnssec-stripped, on by default)
 * @param negativeAnchors domains not validated, their answers insecure: negative trust anchors
 *     (RFC 7646, unbound's domain-insecure)
 * @param keyCacheEntries how many zones' keys (or proofs of insecurity) the key cache holds
 * @param bogusTtlSeconds how long a zone found bogus is not asked again
 */
public record ValidatorConfig(Set<Integer> algorithms, Set<Integer> digests, int minRsaBits, int maxNsec3Iterations,
        boolean hardenAlgorithmDowngrade, boolean hardenDnssecStripped, Set<jmirage.dns.Name> negativeAnchors, int keyCacheEntries, long bogusTtlSeconds) {

    public ValidatorConfig {
        algorithms = Set.copyOf(algorithms);
        digests = Set.copyOf(digests);
        negativeAnchors = Set.copyOf(negativeAnchors);
        if (keyCacheEntries < 1 || minRsaBits < 0 || maxNsec3Iterations < 0 || bogusTtlSeconds < 0) {
            throw new IllegalArgumentException("bad validator limits");
        }
    }

    public static ValidatorConfig defaults() {
        return new ValidatorConfig(Set.of(5, 7, 8, 10, 13, 14, 15, 16), Set.of(1, 2, 4), 1024, 150, false, true, Set.of(), 10_000, 60);
    }

    public ValidatorConfig withAlgorithms(Set<Integer> a) {
        return new ValidatorConfig(a, digests, minRsaBits, maxNsec3Iterations, hardenAlgorithmDowngrade,
                hardenDnssecStripped, negativeAnchors, keyCacheEntries, bogusTtlSeconds);
    }

    public ValidatorConfig withMinRsaBits(int bits) {
        return new ValidatorConfig(algorithms, digests, bits, maxNsec3Iterations, hardenAlgorithmDowngrade,
                hardenDnssecStripped, negativeAnchors, keyCacheEntries, bogusTtlSeconds);
    }

    public ValidatorConfig withMaxNsec3Iterations(int max) {
        return new ValidatorConfig(algorithms, digests, minRsaBits, max, hardenAlgorithmDowngrade, hardenDnssecStripped,
                negativeAnchors, keyCacheEntries, bogusTtlSeconds);
    }

    public ValidatorConfig withHardenAlgorithmDowngrade(boolean harden) {
        return new ValidatorConfig(algorithms, digests, minRsaBits, maxNsec3Iterations, harden, hardenDnssecStripped,
                negativeAnchors, keyCacheEntries, bogusTtlSeconds);
    }

    public ValidatorConfig withHardenDnssecStripped(boolean harden) {
        return new ValidatorConfig(algorithms, digests, minRsaBits, maxNsec3Iterations, hardenAlgorithmDowngrade, harden,
                negativeAnchors, keyCacheEntries, bogusTtlSeconds);
    }

    public ValidatorConfig withNegativeAnchors(Set<jmirage.dns.Name> domains) {
        return new ValidatorConfig(algorithms, digests, minRsaBits, maxNsec3Iterations, hardenAlgorithmDowngrade,
                hardenDnssecStripped, domains, keyCacheEntries, bogusTtlSeconds);
    }
}
