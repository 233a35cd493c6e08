package jmirage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.Flow;
import jmirage.core.net.TcpListener;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.http.client.HttpError;
import jmirage.http.server.ServerConfig;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.tls.Credentials;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFailure;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.PeerName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS: curl against our server over platform/tls's TlsFlow, and our client over TlsFlow.connect. */
@Tag("peer")
class HttpsInteropTest {

    private static DemoServer demo;
    private static TcpListener tls;
    private static TestCa ca;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("curl", "curl");
        HostRandom random = new HostRandom();
        ca = TestCa.create("jmirage http test root", random);
        Credentials server = ca.server("localhost", List.of("localhost"), List.of(InetAddress.getByName("127.0.0.1")));
        ca.writePem(temp.resolve("ca.pem"));
        demo = DemoServer.start(ServerConfig.defaults());
        tls = demo.listenTls(TlsServerConfig.of(server));
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    private static String url(String path) {
        return "https://127.0.0.1:" + tls.local().port() + path;
    }

    private static Ran curl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
                "--cacert", temp.resolve("ca.pem").toString()));
        command.addAll(List.of(args));
        Ran run = Command.of(command).run();
        assertEquals(0, run.exit(), () -> "curl failed: " + run.err());
        return run;
    }

    @Test
    void curlOverTls13() throws Exception {
        Ran run = curl("-v", "--tlsv1.3", url("/hello"), url("/users/5"));
        assertEquals("hello\nuser 5\n", run.out());
        assertTrue(run.err().contains("TLSv1.3"), run.err());
    }

    @Test
    void curlOverTls12PostsAndGetsGzip() throws Exception {
        Ran post = curl("-v", "--tlsv1.2", "--tls-max", "1.2", "--data-binary", "over tls", url("/echo"));
        assertEquals("over tls", post.out());
        assertTrue(post.err().contains("TLSv1.2"), post.err());
        Ran zipped = curl("--compressed", "-D", temp.resolve("head").toString(), url("/"));
        assertEquals(DemoServer.INDEX, zipped.out());
        assertTrue(Files.readString(temp.resolve("head")).toLowerCase().contains("content-encoding: gzip"));
    }

    @Test
    void ourClientOverTlsFlow() throws Exception {
        TlsDevices devices = new TlsDevices(demo.scheduler, new HostClock(), new HostRandom());
        Result<HttpResponse, HttpError> result = OnLoop.await(demo.scheduler, () -> demo.stack.connectTcp(tls.local())
                .flatMap(connected -> TlsFlow.connect(connected.orElseThrow(),
                        TlsClientConfig.of(List.of(ca.certificate()), new PeerName.Ip(InetAddress.getLoopbackAddress())), devices))
                .flatMap(handshake -> {
                    Flow flow = switch (handshake) {
                        case Result.Ok<TlsFlow, TlsFailure>(TlsFlow f) -> f;
                        case Result.Err<TlsFlow, TlsFailure>(TlsFailure failure) ->
                                throw new AssertionError(failure.describe());
                    };
                    HttpClientConnection client = HttpClientConnection.over(flow, demo.scheduler, ClientConfig.defaults());
                    return client.send(HttpRequest.of("POST", "/echo", Headers.EMPTY, Bytes.utf8("ping")))
                            .flatMap(first -> client.send(HttpRequest.get("/hello")))
                            .flatMap(second -> client.close().map(closed -> second));
                }));
        assertEquals("hello\n", result.orElseThrow().bytes().toUtf8());
    }
}
