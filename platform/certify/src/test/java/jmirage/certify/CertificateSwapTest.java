package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.net.Endpoint;
import jmirage.core.net.TcpListener;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.http.HttpResponse;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.testkit.OnLoop;
import jmirage.tls.Credentials;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import org.junit.jupiter.api.Test;

/**
 * Swapping the certificate under a running HTTPS server (HttpServer's Supplier overload, fed by a
 * CertificateSlot): an open connection keeps its handshake's certificate and keeps working; a new
 * connection gets the new one.
 */
class CertificateSwapTest {

    @Test
    void anOpenConnectionSurvivesASwapAndANewOneSeesTheNewCertificate() throws Exception {
        HostScheduler loop = HostScheduler.start("certify-swap");
        try {
            HostClock clock = new HostClock();
            HostRandom random = new HostRandom();
            Instant now = clock.now();
            TestCa ca = TestCa.create(random, now);
            KeyPair key = KeyPair.generate(KeyType.EC_P256, random);
            List<String> names = List.of("www.example.org");
            Credentials first = new Credentials(List.of(ca.issue(names, key, now.minusSeconds(60), now.plusSeconds(600)),
                    ca.intermediate()), key);
            Credentials second = new Credentials(List.of(ca.issue(names, key, now.minusSeconds(30), now.plusSeconds(900)),
                    ca.intermediate()), key);
            CertificateSlot slot = new CertificateSlot(first);
            HostStack stack = new HostStack(loop, InetAddress.ofLiteral("127.17.3.10"));
            TlsDevices tls = new TlsDevices(loop, clock, random);
            HttpServer server = new HttpServer(loop, clock, ConsoleLog.create("https", LogLevel.WARN, clock),
                    ServerConfig.defaults(), request -> Promise.resolved(HttpResponse.text(200, "hello\n")));
            TcpListener listener = OnLoop.await(loop, () -> server.listenTls(stack, 0,
                    slot.serverConfig(c -> TlsServerConfig.of(c).withHandshakeTimeout(Duration.ofSeconds(5))), tls)).orElseThrow();
            Endpoint at = listener.local();

            HttpsProbe old = OnLoop.await(loop, () -> HttpsProbe.open(stack, loop, tls, at, ca.root(), "www.example.org"));
            assertEquals(first.leaf(), old.leaf());
            assertEquals(200, OnLoop.await(loop, old::get));

            OnLoop.run(loop, () -> slot.swap(second));

            assertEquals(200, OnLoop.await(loop, old::get), "the open connection still answers after the swap");
            assertEquals(first.leaf(), old.leaf());
            HttpsProbe fresh = OnLoop.await(loop, () -> HttpsProbe.open(stack, loop, tls, at, ca.root(), "www.example.org"));
            assertEquals(second.leaf(), fresh.leaf());
            assertEquals(200, OnLoop.await(loop, fresh::get));
            assertEquals(200, OnLoop.await(loop, old::get));
            assertEquals(1, slot.swaps());
            assertTrue(server.acceptedConnections() == 2, "no connection was made again");
            OnLoop.await(loop, stack::close);
        } finally {
            loop.shutdown(Duration.ofSeconds(5));
        }
    }
}
