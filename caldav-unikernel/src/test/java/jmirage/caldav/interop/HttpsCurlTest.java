package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl (OpenSSL) over our HTTPS port: the certificate the server made and stored on first boot is
 * valid for its --tls-name when a client trusts it, and a PROPFIND over TLS is answered as over
 * plain HTTP. What real clients use outside loopback.
 */
@Tag("peer")
class HttpsCurlTest {

    @TempDir
    Path folder;

    OurServer server;

    @BeforeEach
    void start() throws Exception {
        Sh.requireCommand("curl", "curl");
        server = OurServer.onLoopback(ServerUnderTest.uniqueLoopback());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void curlTrustingTheStoredCertificateFindsThePrincipalOverTls() throws Exception {
        Path ca = folder.resolve("server.pem");
        Files.writeString(ca, server.certificatePem());
        String url = "https://" + OurServer.TLS_NAME + ":" + OurServer.HTTPS_PORT + "/";
        Ran ran = Command.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(), "--resolve",
                OurServer.TLS_NAME + ":" + OurServer.HTTPS_PORT + ":" + server.address.getHostAddress(),
                "-u", ServerUnderTest.USER + ":" + ServerUnderTest.PASSWORD, "-X", "PROPFIND", "-H", "Depth: 0",
                "-H", "Content-Type: application/xml", "--data-binary",
                "<?xml version=\"1.0\"?><propfind xmlns=\"DAV:\"><prop><current-user-principal/></prop></propfind>",
                "-w", "\n%{http_code} %{ssl_verify_result}", url).timeout(Duration.ofSeconds(30)).run();
        assertEquals(0, ran.exit(), () -> ran.describe() + "\nserver log:\n" + server.log());
        String out = ran.out();
        assertTrue(out.endsWith("207 0"), () -> "207, and the certificate verified (0)\n" + ran.describe());
        Multistatus answer = Multistatus.parse(out.substring(0, out.lastIndexOf('\n'))).orElseThrow();
        assertEquals(server.principalPath(),
                Multistatus.pathOf(answer.responses().getFirst().require(Multistatus.dav("current-user-principal")).hrefs().getFirst()));
    }
}
