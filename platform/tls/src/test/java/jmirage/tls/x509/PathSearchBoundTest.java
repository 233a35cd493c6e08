package jmirage.tls.x509;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.core.Result;
import jmirage.sim.SeededRandom;
import org.junit.jupiter.api.Test;

/**
 * A peer can send, before proving any key, a bundle of CA certificates that all name themselves as
 * issuer and share one key, with a leaf signed by that key: every ordering of the bundle is a
 * candidate path. Unbounded, 8 such certificates held the validating loop for 42 s and 9 for minutes
 * (found in the btc-pinata security review). The search must give up quickly and say why.
 */
class PathSearchBoundTest {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void aBundleOfSelfIssuedLookalikesIsRefusedQuickly() {
        SeededRandom random = new SeededRandom(11);
        KeyPair anchorKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate anchor = X509.selfSignedCa("Real CA", anchorKey, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(9)), random);
        KeyPair evilKey = KeyPair.generate(KeyType.EC_P256, random);
        List<Certificate> bundle = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            bundle.add(X509.selfSignedCa("Real CA lookalike", evilKey, NOW.minus(Duration.ofDays(1 + i)),
                    NOW.plus(Duration.ofDays(9)), random));
        }
        KeyPair leafKey = KeyPair.generate(KeyType.EC_P256, random);
        Csr csr = X509.csr("client", List.of(), leafKey, random);
        Certificate leaf = X509.signCsr(csr, new X509.Profile.Client(), NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(9)), bundle.getFirst(), evilKey, random).orElseThrow();

        long start = System.nanoTime();
        Result<ValidPath, PathFailure> result = PathValidator.validate(leaf, bundle, List.of(anchor), NOW,
                Purpose.CLIENT_AUTH, Optional.empty());
        long millis = (System.nanoTime() - start) / 1_000_000;

        PathFailure failure = assertInstanceOf(Result.Err.class, result) instanceof Result.Err<?, ?> e
                ? (PathFailure) e.error() : null;
        assertInstanceOf(PathFailure.SearchTooLong.class, failure);
        assertTrue(millis < 2_000, "validation took " + millis + " ms");
    }
}
