package jmirage.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.Pem;

/**
 * ISRG Root X1 (RSA) and X2 (ECDSA), the roots of Let's Encrypt, from this module's resources
 * (copied from Debian's ca-certificates; see {@code jmirage/acme/ORIGIN.md}): the trust anchors
 * for the TLS of Let's Encrypt's API, production and staging alike.
 */
public final class LetsEncryptRoots {

    private static final List<String> FILES = List.of("ISRG_Root_X1.crt", "ISRG_Root_X2.crt");

    private LetsEncryptRoots() {}

    /** Both roots; a missing or unreadable resource is a broken build, not an expected failure. */
    public static List<Certificate> anchors() {
        List<Certificate> anchors = new ArrayList<>();
        for (String file : FILES) {
            try (InputStream in = LetsEncryptRoots.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("resource missing: jmirage/acme/" + file);
                }
                String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                anchors.addAll(Pem.readCertificates(pem).orElseThrow());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(anchors);
    }
}
