package jmirage.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("peer")
class PebbleTest {

    @Test
    void startsAnswersItsDirectoryAndGivesItsCertificates() throws Exception {
        try (Pebble pebble = Pebble.start(Pebble.Options.of("127.17.1.10", "127.17.1.11:8053").withPorts(14100, 15100))) {
            assertEquals("https://127.17.1.10:14100/dir", pebble.directoryUrl().toString());
            assertTrue(pebble.rootPem().startsWith("-----BEGIN CERTIFICATE-----"), pebble.rootPem());
            assertTrue(pebble.intermediatePem().startsWith("-----BEGIN CERTIFICATE-----"), pebble.intermediatePem());
            // the anchor an ACME client is given verifies pebble's HTTPS (openssl's own check, by IP)
            Path anchor = Files.createTempFile("pebble-anchor", ".pem");
            Files.writeString(anchor, pebble.tlsCertificatePem());
            Ran directory = Command.of("curl", "-sS", "--fail", "--cacert", anchor.toString(), pebble.directoryUrl().toString()).run().ok();
            Files.delete(anchor);
            assertTrue(directory.out().contains("\"newOrder\""), directory.out());
        }
    }
}
