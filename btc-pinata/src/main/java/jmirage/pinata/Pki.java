package jmirage.pinata;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.Random;
import jmirage.core.Result;
import jmirage.tls.Credentials;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.PemError;
import jmirage.tls.x509.X509;

/**
 * The pinata's certificates: the CA (only its certificate is kept), the server certificate it
 * presents on 10000 and 443, and the client certificate it presents on 10001 and 10002.
 *
 * <p>The CA's private key lives only inside {@link #issue}: it is made (or read, in test mode),
 * signs the two leaves, and goes out of scope when the method returns; nothing keeps a reference.
 * What Java cannot promise: the key's numbers are immutable {@code BigInteger}s inside Bouncy
 * Castle's parameter objects, so they cannot be overwritten, and the bytes stay in the heap until
 * the garbage collector reuses that memory (a heap dump or a core file taken before then could hold
 * them). Without {@code --test} the CA exists only in this process: each boot makes a fresh one, as
 * the original did, and the page shows the current CA certificate.
 */
record Pki(Certificate ca, Credentials server, Credentials client) {

    /**
     * Whether {@code leaf} is one of the pinata's own two certificates. Outside --test these are the
     * only certificates the CA ever signed (its key is gone), so a peer that proves one is the
     * pinata itself, reached through a bridge between two of its ports.
     */
    boolean ownLeaf(Certificate leaf) {
        return leaf.equals(server.chain().getFirst()) || leaf.equals(client.chain().getFirst());
    }

    /** Where the test-only CA lives on the class path (public by nature: see src/test/resources/test-pki). */
    static final String TEST_CA = "/jmirage/pinata/test-only/ca.pem";
    static final String TEST_CA_KEY = "/jmirage/pinata/test-only/ca.key";

    /** Leaves are valid from a day before boot (clock skew) for ten years: the pinata runs for years. */
    static final Duration BACKDATE = Duration.ofDays(1);
    static final Duration LIFETIME = Duration.ofDays(3650);

    /** A fresh CA, used for the two leaves and then dropped. */
    static Pki fresh(Random random, Instant now) {
        KeyPair caKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate ca = X509.selfSignedCa("BTC Pinata CA", caKey, now.minus(BACKDATE), now.plus(LIFETIME), random);
        return issue(ca, caKey, random, now);
    }

    /** The fixed, published test CA from the class path (--test), used for the two leaves and then dropped. */
    static Result<Pki, PkiError> fromTestCa(Random random, Instant now) {
        return resource(TEST_CA).flatMap(certText -> resource(TEST_CA_KEY).flatMap(keyText -> {
            Result<List<Certificate>, PemError> certs = Pem.readCertificates(certText);
            Result<KeyPair, PemError> key = Pem.readPrivateKey(keyText);
            if (certs instanceof Result.Err<List<Certificate>, PemError>(PemError e)) {
                return Result.err(new PkiError.BadTestCaCertificate(e));
            }
            if (key instanceof Result.Err<KeyPair, PemError>(PemError e)) {
                return Result.err(new PkiError.BadTestCaKey(e));
            }
            if (certs.orElseThrow().size() != 1) {
                return Result.err(new PkiError.NotOneTestCaCertificate(TEST_CA));
            }
            return Result.ok(issue(certs.orElseThrow().getFirst(), key.orElseThrow(), random, now));
        }));
    }

    /** Signs the server and client leaves; {@code caKey} is not kept. */
    private static Pki issue(Certificate ca, KeyPair caKey, Random random, Instant now) {
        Instant from = now.minus(BACKDATE);
        Instant to = now.plus(LIFETIME);
        if (to.isAfter(ca.notAfter())) {
            to = ca.notAfter();
        }
        KeyPair serverKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate server = X509.issue("BTC Pinata server", List.of("btc-pinata"), List.of(), serverKey.publicKey(),
                new X509.Profile.Server(), from, to, ca, caKey, random);
        KeyPair clientKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate client = X509.issue("BTC Pinata client", List.of(), List.of(), clientKey.publicKey(),
                new X509.Profile.Client(), from, to, ca, caKey, random);
        return new Pki(ca, new Credentials(List.of(server), serverKey), new Credentials(List.of(client), clientKey));
    }

    private static Result<String, PkiError> resource(String name) {
        try (InputStream in = Pki.class.getResourceAsStream(name)) {
            if (in == null) {
                return Result.err(new PkiError.MissingResource(name));
            }
            return Result.ok(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Result.err(new PkiError.UnreadableResource(name, String.valueOf(e.getMessage())));
        }
    }
}
