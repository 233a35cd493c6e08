package jmirage.http;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.Random;
import jmirage.tls.Credentials;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.Pem;
import jmirage.tls.x509.X509;

/** A throw-away certificate authority for the HTTPS tests: valid from yesterday for 30 days, EC P-256. */
record TestCa(Certificate certificate, KeyPair key, Instant notBefore, Instant notAfter, Random random) {

    static TestCa create(String commonName, Random random) {
        Instant now = Instant.now();
        Instant notBefore = now.minus(Duration.ofDays(1));
        Instant notAfter = now.plus(Duration.ofDays(30));
        KeyPair key = KeyPair.generate(KeyType.EC_P256, random);
        return new TestCa(X509.selfSignedCa(commonName, key, notBefore, notAfter, random), key, notBefore, notAfter, random);
    }

    /** A server certificate and its key, issued by this CA for these names and addresses. */
    Credentials server(String commonName, List<String> dnsNames, List<InetAddress> addresses) {
        KeyPair serverKey = KeyPair.generate(KeyType.EC_P256, random);
        Certificate server = X509.issue(commonName, dnsNames, addresses, serverKey.publicKey(), new X509.Profile.Server(),
                notBefore, notAfter, certificate, key, random);
        return new Credentials(List.of(server), serverKey);
    }

    /** Writes the CA certificate as PEM (for curl's --cacert) and returns where. */
    Path writePem(Path file) throws IOException {
        Files.writeString(file, Pem.certificates(List.of(certificate)));
        return file;
    }
}
