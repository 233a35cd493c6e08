package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import jmirage.tls.x509.Certificate;
import org.junit.jupiter.api.Test;

class LetsEncryptRootsTest {

    @Test
    void bothIsrgRootsAreReadFromTheResources() {
        List<Certificate> anchors = LetsEncryptRoots.anchors();
        assertEquals(List.of("C=US,O=Internet Security Research Group,CN=ISRG Root X1",
                "C=US,O=Internet Security Research Group,CN=ISRG Root X2"), anchors.stream().map(Certificate::subject).toList());
        for (Certificate root : anchors) {
            assertEquals(root.subject(), root.issuer(), "self-issued");
            assertTrue(root.notAfter().isAfter(Instant.parse("2030-01-01T00:00:00Z")), root.notAfter().toString());
        }
    }
}
