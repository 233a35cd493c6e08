package jmirage.authoritative.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.authoritative.store.SampleZone;
import jmirage.core.Bytes;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.kv.MemKv;
import jmirage.sim.Simulation;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.Test;

/**
 * {@code ./unikernel check dns-authoritative} with the certify role on: the CA file and the account
 * key are read as boot reads them, and nothing is written; boot creates the account key once and
 * reuses it.
 */
class AcmeCheckTest {

    final Simulation sim = new Simulation(5);
    final MemKv kv = new MemKv(sim.clock());

    AuthoritativeDns.Parameters parameters() {
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.certify.directory = "https://127.17.2.10:14000/dir";
        p.certify.ca = "_acme/ca.pem";
        return p;
    }

    List<String> check() {
        return sim.await(new AuthoritativeDns().check(sim.devices("check", s -> kv), parameters())).stream()
                .map(ConfigProblem::describe).toList();
    }

    @Test
    void theCaFileAndTheAccountKeyAreChecked() {
        sim.await(kv.set(Key.of("example.test"), Bytes.utf8(SampleZone.ZONE)));
        assertEquals(1, check().size());
        assertTrue(check().getFirst().startsWith("_acme/ca.pem: --acme-ca: "), check().toString());

        sim.await(kv.set(Key.of("_acme/ca.pem"), Bytes.utf8("no certificate here")));
        assertTrue(check().getFirst().startsWith("_acme/ca.pem: --acme-ca: not PEM certificates"), check().toString());

        Pki pki = new Pki(9);
        sim.await(kv.set(Key.of("_acme/ca.pem"), Bytes.utf8(Pem.certificates(List.of(pki.ca)))));
        assertEquals(List.of(), check());
        assertTrue(sim.await(kv.get(AcmeSetup.ACCOUNT_KEY)) instanceof jmirage.core.Result.Err<?, ?>, "check writes no key");

        sim.await(kv.set(AcmeSetup.ACCOUNT_KEY, Bytes.utf8(Pem.privateKey(KeyPair.generate(KeyType.ED25519, sim.random())))));
        assertEquals(List.of("_acme/account.key: an Ed25519 key: ACME account keys are EC P-256 or RSA (RFC 7518 3.1)"), check());
    }

    @Test
    void theAccountKeyIsCreatedOnceAndReused() {
        KeyPair first = sim.await(AcmeSetup.accountKey(kv, sim.random(), sim.log("t", jmirage.core.LogLevel.INFO))).orElseThrow();
        String stored = sim.await(kv.get(AcmeSetup.ACCOUNT_KEY)).orElseThrow().toUtf8();
        assertEquals(Pem.privateKey(first), stored);
        assertEquals(KeyType.EC_P256, first.type());
        KeyPair again = sim.await(AcmeSetup.accountKey(kv, sim.random(), sim.log("t", jmirage.core.LogLevel.INFO))).orElseThrow();
        assertEquals(Pem.privateKeyDer(first), Pem.privateKeyDer(again));
    }
}
