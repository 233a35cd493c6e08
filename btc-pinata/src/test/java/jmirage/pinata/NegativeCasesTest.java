package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import jmirage.tls.x509.PathFailure;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The negative cases of the issue, on each port's role, against one pinata in --test mode on the
 * host target. Certificate cases use real peers (openssl s_client on 10000, openssl s_server on
 * 40001 for 10001 and, through a TCP bridge, for 10002) presenting chains made by {@link BadCerts};
 * protocol cases send hand-made records ({@link Hellos}). Each asserts: none of the secret's forms
 * in anything the peer received, the refusal counted under its typed reason, no success counted,
 * and a good client getting the secret right after (the pinata keeps serving).
 */
@Tag("peer")
class NegativeCasesTest {

    private static HostPinata pinata;
    private static String a;
    @TempDir
    static Path temp;

    /**
     * The statistics key of a certificate refused for {@code flaw} (the pinata README's failure
     * reasons): "certificate-" and the failure's name in kebab case, NoTrustedPath giving
     * certificate-no-trusted-path. The flaw is the one the case was built with (BadCerts).
     */
    static String refusedFor(Class<? extends PathFailure> flaw) {
        return "certificate-" + flaw.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    @BeforeAll
    static void boot() throws Exception {
        Sh.requireCommand("openssl", "openssl");
        pinata = HostPinata.start("--test", "--http-port", "0", "--https-port", "0");
        a = pinata.address.getHostAddress();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pinata != null) {
            pinata.close();
            PositivePathTest.assertSecretNeverLogged(pinata);
        }
    }

    interface Attack {
        /** Runs the attack; returns every byte the attacker received from the pinata. */
        byte[] run() throws Exception;
    }

    record Case(Role role, String name, Attack attack, String expectedReason) {
        String title() {
            return role.port() + " " + name;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsRefusedCountedAndTheNextClientServed() throws Exception {
        Instant now = Instant.now();
        List<Case> cases = new ArrayList<>();
        // 10000: the pinata is the server and wants a client certificate
        cases.add(new Case(Role.SERVER, "no-certificate", () -> sClient(null), "no-certificate"));
        for (BadCerts.Presented p : BadCerts.all(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_serverAuth, now)) {
            Path[] files = p.write(temp.resolve("client"));
            cases.add(new Case(Role.SERVER, p.name(), () -> sClient(files), refusedFor(p.flaw())));
        }
        // 10001 and 10002: the pinata is the client and wants a server certificate from its CA
        for (BadCerts.Presented p : BadCerts.all(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth, now)) {
            Path[] files = p.write(temp.resolve("server"));
            cases.add(new Case(Role.CONNECT_BACK, p.name(), () -> sServerConnectBack(files), refusedFor(p.flaw())));
            cases.add(new Case(Role.CLIENT, p.name(), () -> sServerBridged(files), refusedFor(p.flaw())));
        }
        // protocol level, as a client to 10000. The alert each one must draw: RFC 8446 4.2.1 and
        // RFC 5246 E.1 (a version we do not speak: protocol_version); RFC 8446 5 (a record that is
        // not a handshake before the handshake: unexpected_message); RFC 8446 4.2 (an extension twice:
        // illegal_parameter); RFC 5746 3.6 (renegotiation_info that is not empty on an initial
        // hello: handshake_failure); a record cut short is a close during the handshake.
        byte[] good12 = Hellos.clientHello(Hellos.TLS12, Hellos.TLS12, Hellos.tls12Extensions());
        cases.add(new Case(Role.SERVER, "tls1.0-only-hello", () -> raw(Hellos.clientHello(Hellos.TLS10, Hellos.TLS10,
                Hellos.tls12Extensions()), false), "sent-protocol_version"));
        cases.add(new Case(Role.SERVER, "sslv3-hello", () -> raw(Hellos.clientHello(Hellos.SSL3, Hellos.SSL3, new byte[0]), false),
                "sent-protocol_version"));
        cases.add(new Case(Role.SERVER, "sslv2-hello", () -> raw(Hellos.sslv2ClientHello(), false), "sent-unexpected_message"));
        cases.add(new Case(Role.SERVER, "garbage", () -> raw(Hellos.garbage(), false), "sent-unexpected_message"));
        cases.add(new Case(Role.SERVER, "truncated-record", () -> raw(java.util.Arrays.copyOf(good12, good12.length / 2), true),
                "closed-during-handshake"));
        cases.add(new Case(Role.SERVER, "heartbeat-before-handshake", () -> raw(Hellos.heartbleed(Hellos.TLS12), false),
                "sent-unexpected_message"));
        cases.add(new Case(Role.SERVER, "heartbeat-after-hello", () -> raw(Hellos.concat(
                Hellos.clientHello(Hellos.TLS12, Hellos.TLS12, Hellos.concat(Hellos.tls12Extensions(),
                        Hellos.ext(0x000f, Hellos.bytes(1)))), Hellos.heartbleed(Hellos.TLS12)), false), "sent-unexpected_message"));
        cases.add(new Case(Role.SERVER, "duplicate-extension", () -> raw(Hellos.clientHello(Hellos.TLS12, Hellos.TLS12,
                Hellos.concat(Hellos.tls12ExtensionsWithoutRenegotiationInfo(), Hellos.ext(0xff01, Hellos.bytes(0)),
                        Hellos.ext(0xff01, Hellos.bytes(0)))), false), "sent-illegal_parameter"));
        cases.add(new Case(Role.SERVER, "renegotiation-hello", () -> raw(Hellos.clientHello(Hellos.TLS12, Hellos.TLS12,
                Hellos.concat(Hellos.tls12ExtensionsWithoutRenegotiationInfo(), Hellos.ext(0xff01, Hellos.concat(Hellos.bytes(12), new byte[12])))), false),
                "sent-handshake_failure"));
        // protocol level, as the server the pinata talks to on 10001 and 10002 (the same rules; a
        // HelloRequest is ignored by a client that does not renegotiate, RFC 5246 7.4.1.1, so the
        // connection then closes during the handshake)
        for (Role role : List.of(Role.CONNECT_BACK, Role.CLIENT)) {
            cases.add(new Case(role, "garbage-reply", () -> rawServer(role, Hellos.garbage(), false), "sent-unexpected_message"));
            cases.add(new Case(role, "sslv3-server-hello", () -> rawServer(role, Hellos.serverHello(Hellos.SSL3), false),
                    "sent-protocol_version"));
            cases.add(new Case(role, "tls1.0-server-hello", () -> rawServer(role, Hellos.serverHello(Hellos.TLS10), false),
                    "sent-protocol_version"));
            cases.add(new Case(role, "truncated-record", () -> rawServer(role,
                    java.util.Arrays.copyOf(Hellos.serverHello(Hellos.TLS12), 20), true), "closed-during-handshake"));
            cases.add(new Case(role, "heartbeat", () -> rawServer(role, Hellos.heartbleed(Hellos.TLS12), false),
                    "sent-unexpected_message"));
            cases.add(new Case(role, "renegotiation-request", () -> rawServer(role, Hellos.helloRequest(), true),
                    "closed-during-handshake"));
        }
        cases.add(new Case(Role.CONNECT_BACK, "nothing-listening-on-40001", () -> {
            try (Socket knock = pinata.knock(Role.CONNECT_BACK)) {
                return knock.getInputStream().readAllBytes();
            }
        }, "connect-back-failed"));
        assertTrue(cases.size() >= 30, "the issue asks for at least 30 cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> check(c)));
    }

    private static void check(Case c) throws Exception {
        Stats before = pinata.stats();
        byte[] received = c.attack().run();
        assertFalse(pinata.containsSecret(received), "the secret reached a refused peer");
        Stats after = pinata.awaitStats(s -> s.failures(c.role()) == before.failures(c.role()) + 1, Duration.ofSeconds(20),
                () -> "the refusal of " + c.title() + " to be counted");
        String reason = after.failures().get(c.role()).entrySet().stream()
                .filter(e -> e.getValue() != before.failures(c.role(), e.getKey()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertEquals(c.expectedReason(), reason, () -> c.title() + "; log: "
                + pinata.records.subList(Math.max(0, pinata.records.size() - 3), pinata.records.size()));
        assertEquals(before.successes(c.role()), after.successes(c.role()), "no success counted");
        PositivePathTest.opensslGetsTheSecret(pinata, "-tls1_3");
    }

    /** openssl s_client on 10000 with {@code files} (leaf, chain, key) or with no certificate. */
    private static byte[] sClient(Path[] files) throws Exception {
        List<String> c = new ArrayList<>(List.of("openssl", "s_client", "-connect", a + ":10000", "-ign_eof", "-cipher", "DEFAULT:@SECLEVEL=0"));
        if (files != null) {
            c.addAll(certificateOptions(files));
        }
        Ran run = Command.of(c).timeout(Duration.ofSeconds(30)).run();
        assertTrue(run.err().contains("CONNECTED") || run.out().contains("CONNECTED"), () -> "s_client did not connect: " + run.err());
        return run.stdout();
    }

    private static List<String> sServer(String accept, Path[] files) throws IOException {
        List<String> c = new ArrayList<>(List.of("openssl", "s_server", "-accept", accept, "-cipher", "DEFAULT:@SECLEVEL=0", "-naccept", "1", "-ign_eof"));
        c.addAll(certificateOptions(files));
        return c;
    }

    /** -cert, -key, and -cert_chain when there is more than the leaf. */
    private static List<String> certificateOptions(Path[] files) throws IOException {
        List<String> c = new ArrayList<>(List.of("-cert", files[0].toString(), "-key", files[2].toString()));
        if (java.nio.file.Files.size(files[1]) > 0) {
            c.addAll(List.of("-cert_chain", files[1].toString()));
        }
        return c;
    }

    /** openssl s_server on 40001 presenting {@code files}; a knock on 10001 makes the pinata connect to it. */
    private static byte[] sServerConnectBack(Path[] files) throws Exception {
        try (Started server = Command.of(sServer(a + ":" + Role.CONNECT_BACK_PORT, files)).holdStdin().start()) {
            server.awaitOutput("ACCEPT", Duration.ofSeconds(10));
            long before = pinata.stats().failures(Role.CONNECT_BACK);
            try (Socket knock = pinata.knock(Role.CONNECT_BACK)) {
                assertEquals(-1, knock.getInputStream().read(), "10001 closes at once");
            }
            pinata.awaitStats(s -> s.failures(Role.CONNECT_BACK) > before, Duration.ofSeconds(20), () -> "the attempt to end");
            return server.stop().stdout();
        }
    }

    /** openssl s_server presenting {@code files}, bridged to a TCP connection to 10002. */
    private static byte[] sServerBridged(Path[] files) throws Exception {
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        try (Started server = Command.of(sServer(a + ":" + port, files)).holdStdin().start()) {
            server.awaitOutput("ACCEPT", Duration.ofSeconds(10));
            long before = pinata.stats().failures(Role.CLIENT);
            byte[] raw;
            try (Socket toPinata = pinata.knock(Role.CLIENT); Socket toServer = new Socket(a, port)) {
                Thread back = pipe(toServer.getInputStream(), toPinata.getOutputStream(), null);
                ByteArrayOutputStream fromPinata = new ByteArrayOutputStream();
                Thread forth = pipe(toPinata.getInputStream(), toServer.getOutputStream(), fromPinata);
                pinata.awaitStats(s -> s.failures(Role.CLIENT) > before, Duration.ofSeconds(20), () -> "the attempt to end");
                forth.join(5000);
                toServer.close();
                back.join(5000);
                synchronized (fromPinata) {
                    raw = fromPinata.toByteArray();
                }
            }
            return Hellos.concat(raw, server.stop().stdout());
        }
    }

    private static Thread pipe(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
        return Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[16384];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    if (copy != null) {
                        synchronized (copy) {
                            copy.write(b, 0, n);
                        }
                    }
                    out.write(b, 0, n);
                    out.flush();
                }
                out.close();
            } catch (IOException ignored) {
                // one side went away: the bridge is done
            }
        });
    }

    /** Raw bytes to 10000; then half-close if asked; everything the pinata sent back. */
    private static byte[] raw(byte[] bytes, boolean halfClose) throws Exception {
        try (Socket s = pinata.knock(Role.SERVER)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(bytes);
            if (halfClose) {
                s.shutdownOutput();
            }
            return s.getInputStream().readAllBytes();
        }
    }

    /**
     * Plays the server the pinata talks to on {@code role}: reads its ClientHello, answers with
     * {@code reply}, half-closes if asked, and returns everything the pinata sent.
     */
    private static byte[] rawServer(Role role, byte[] reply, boolean halfClose) throws Exception {
        if (role == Role.CLIENT) {
            try (Socket s = pinata.knock(Role.CLIENT)) {
                return serve(s, reply, halfClose);
            }
        }
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(pinata.address, Role.CONNECT_BACK_PORT));
            listener.setSoTimeout(15_000);
            try (Socket knock = pinata.knock(Role.CONNECT_BACK)) {
                assertEquals(-1, knock.getInputStream().read());
            }
            try (Socket s = listener.accept()) {
                return serve(s, reply, halfClose);
            }
        }
    }

    private static byte[] serve(Socket s, byte[] reply, boolean halfClose) throws IOException {
        s.setSoTimeout(15_000);
        InputStream in = s.getInputStream();
        byte[] header = in.readNBytes(5);
        assertEquals(5, header.length, "the pinata sent a record");
        assertEquals(0x16, header[0], "a handshake record (ClientHello) first");
        byte[] hello = in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
        s.getOutputStream().write(reply);
        if (halfClose) {
            s.shutdownOutput();
        }
        return Hellos.concat(header, hello, in.readAllBytes());
    }

    /**
     * Attackers that stall mid-handshake do not stop the pinata from serving a good client meanwhile,
     * and one address gets at most {@link Bounty#MAX_PER_PEER} attempts in flight.
     */
    @Test
    void stalledConnectionsDoNotStopAGoodClient() throws Exception {
        Stats before = pinata.stats();
        int n = Bounty.MAX_PER_PEER + 8;
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = pinata.knock(Role.SERVER);
                if (i % 4 == 0) {
                    s.getOutputStream().write(java.util.Arrays.copyOf(Hellos.clientHello(Hellos.TLS12, Hellos.TLS12,
                            Hellos.tls12Extensions()), 40));
                }
                stalled.add(s);
            }
            pinata.awaitStats(s -> s.failures(Role.SERVER, "too-many-from-peer") == before.failures(Role.SERVER, "too-many-from-peer") + 8,
                    Duration.ofSeconds(10), () -> "8 attempts over the per-address limit refused");
            long t0 = System.nanoTime();
            PositivePathTest.opensslGetsTheSecret(pinata, "-tls1_3");   // from 127.0.0.1, another address
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "served without waiting for the stalled ones");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
        // every stalled attempt ends, counted, before the next case starts counting
        pinata.awaitStats(s -> s.failures(Role.SERVER) == before.failures(Role.SERVER) + n, Duration.ofSeconds(20),
                () -> "all stalled attempts to end");
    }
}
