package jmirage.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.core.LogLevel;
import jmirage.core.net.TcpListener;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.TapDevice;
import jmirage.http.server.ServerConfig;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import jmirage.tls.Credentials;
import jmirage.tls.TlsServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same HTTP server as {@link CurlInteropTest} and {@link HttpsInteropTest}, on the tap target:
 * platform/net's DirectStack on a TAP device, with its own MAC and 10.79.N.2; curl runs in a network
 * namespace that holds the Linux side of the TAP (10.79.N.1). As root.
 */
@Tag("peer")
@Tag("root")
class CurlOnTapTargetTest {

    private static final TapLink LINK = TapLink.random("jmh", "jmhttp", "10.79");

    private static DemoServer demo;
    private static TapDevice tap;
    private static TcpListener https;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("curl", "curl");
        Sh.requireRootNetworking();
        LINK.create();
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        demo = DemoServer.start(scheduler -> {
            var log = ConsoleLog.create("tap-http", LogLevel.WARN, clock);
            tap = TapDevice.open(LINK.tap(), Optional.empty(), scheduler, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            LINK.adoptTap();
            Ipv4Config config = new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty());
            return OnLoop.await(scheduler, () -> DirectStack.start(tap, config, clock, scheduler, random, log)).orElseThrow();
        }, 80, ServerConfig.defaults());

        TestCa ca = TestCa.create("jmirage tap test root", random);
        Credentials server = ca.server(LINK.ourIp(), List.of(), List.of(InetAddress.ofLiteral(LINK.ourIp())));
        ca.writePem(temp.resolve("ca.pem"));
        https = demo.listenTls(TlsServerConfig.of(server), 443);
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            OnLoop.await(demo.scheduler, demo.stack::close); // first: its last segments go out on the TAP
            if (tap != null) {
                OnLoop.await(demo.scheduler, tap::close);
            }
            demo.close();
        }
        LINK.delete();
    }

    /** curl inside the namespace, where the Linux end of the TAP is. */
    private static Ran curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(LINK.exec(
                "curl", "-sS", "--max-time", "20", "--cacert", temp.resolve("ca.pem").toString()));
        command.addAll(List.of(args));
        Ran run = Command.of(command).run();
        assertEquals(0, run.exit(), () -> "curl failed: " + run.err());
        return run;
    }

    @Test
    void curlOverHttpKeepsTheConnectionAndPosts() throws Exception {
        Ran two = curl("-v", "http://" + LINK.ourIp() + "/hello", "http://" + LINK.ourIp() + "/users/7");
        assertEquals("hello\nuser 7\n", new String(two.stdout(), StandardCharsets.UTF_8));
        assertTrue(two.err().contains("Re-using existing connection")
                || two.err().contains("Reusing existing"), two.err());
        byte[] body = new byte[200_000];
        ThreadLocalRandom.current().nextBytes(body);
        Files.write(temp.resolve("body"), body);
        Ran post = curl("--data-binary", "@" + temp.resolve("body"), "http://" + LINK.ourIp() + "/echo");
        assertTrue(java.util.Arrays.equals(body, post.stdout()), "200 kB came back intact");
    }

    @Test
    void curlOverHttpsWithTls13And12() throws Exception {
        Ran v13 = curl("-v", "--tlsv1.3", "https://" + LINK.ourIp() + ":" + https.local().port() + "/hello");
        assertEquals("hello\n", new String(v13.stdout(), StandardCharsets.UTF_8));
        assertTrue(v13.err().contains("TLSv1.3"), v13.err());
        Ran v12 = curl("-v", "--tlsv1.2", "--tls-max", "1.2", "--compressed", "https://" + LINK.ourIp() + "/");
        assertEquals(DemoServer.INDEX, new String(v12.stdout(), StandardCharsets.UTF_8));
        assertTrue(v12.err().contains("TLSv1.2"), v12.err());
    }
}
