package jmirage.tls;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import jmirage.core.Random;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;

/** A small PKI for tests: a root CA, an intermediate, a server and a client certificate. */
record TestPki(KeyPair caKey, Certificate ca, KeyPair intermediateKey, Certificate intermediate,
        Credentials server, Credentials client) {

    static TestPki create(KeyType type, Random random, Instant now) {
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(365));
        KeyPair caKey = KeyPair.generate(type, random);
        Certificate ca = X509.selfSignedCa("jmirage test root " + type, caKey, from, to, random);
        KeyPair ik = KeyPair.generate(type, random);
        Certificate intermediate = X509.issue("jmirage test intermediate", List.of(), List.of(), ik.publicKey(),
                new X509.Profile.Ca(OptionalInt.of(0)), from, to, ca, caKey, random);
        KeyPair sk = KeyPair.generate(type, random);
        Certificate server = X509.issue("localhost", List.of("localhost", "example.test"),
                List.of(InetAddress.getLoopbackAddress()), sk.publicKey(), new X509.Profile.Server(), from, to,
                intermediate, ik, random);
        KeyPair ck = KeyPair.generate(type, random);
        Certificate client = X509.issue("client one", List.of(), List.of(), ck.publicKey(), new X509.Profile.Client(),
                from, to, intermediate, ik, random);
        return new TestPki(caKey, ca, ik, intermediate, new Credentials(List.of(server, intermediate), sk),
                new Credentials(List.of(client, intermediate), ck));
    }

    /**
     * Credentials for {@code name} (its common name and only DNS name) under the intermediate: a fresh
     * {@code type} key, the given profile and validity.
     */
    Credentials issue(String name, KeyType type, X509.Profile profile, Instant notBefore, Instant notAfter,
            Random random) {
        KeyPair key = KeyPair.generate(type, random);
        Certificate leaf = X509.issue(name, List.of(name), List.of(), key.publicKey(), profile, notBefore, notAfter,
                intermediate, intermediateKey, random);
        return new Credentials(List.of(leaf, intermediate), key);
    }
}
