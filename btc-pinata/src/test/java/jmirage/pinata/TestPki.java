package jmirage.pinata;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.tls.Credentials;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.Pem;

/** The published test PKI in src/test/resources/test-pki (made by make-test-pki.sh). */
final class TestPki {

    private TestPki() {}

    static Path file(String name) {
        try {
            return Path.of(TestPki.class.getResource("/test-pki/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("test PKI file missing: " + name, e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(file(name));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Certificate ca() {
        return Pem.readCertificates(text("ca.pem")).orElseThrow().getFirst();
    }

    static KeyPair caKey() {
        return Pem.readPrivateKey(text("ca.key")).orElseThrow();
    }

    static Credentials server() {
        return new Credentials(List.of(Pem.readCertificates(text("server.pem")).orElseThrow().getFirst()),
                Pem.readPrivateKey(text("server.key")).orElseThrow());
    }

    static Credentials client() {
        return new Credentials(List.of(Pem.readCertificates(text("client.pem")).orElseThrow().getFirst()),
                Pem.readPrivateKey(text("client.key")).orElseThrow());
    }
}
