package jmirage.tls;

import jmirage.sim.MemoryFlow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.FlowError;
import jmirage.core.net.ReadResult;
import jmirage.sim.Simulation;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.PathFailure;
import jmirage.tls.x509.PeerName;
import jmirage.tls.x509.X509;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Two TlsFlows over an in-memory flow pair on the simulated loop: no network, virtual time. */
class SimTlsTest {

    /** A simulation, the TLS devices on it and a test PKI of one key type: what every test starts from. */
    private record World(Simulation sim, TlsDevices devices, TestPki pki) {
        static World of(long seed, KeyType type) {
            Simulation sim = new Simulation(seed);
            return new World(sim, new TlsDevices(sim.scheduler(), sim.clock(), sim.random()),
                    TestPki.create(type, sim.random(), sim.clock().now()));
        }

        /** A client that trusts the PKI's root and asks for {@code name}. */
        TlsClientConfig clientFor(String name) {
            return TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns(name));
        }

        /** Both handshakes started over a fresh in-memory pipe (pipe[0] is the client's end). */
        Handshake handshake(TlsServerConfig server, TlsClientConfig client) {
            MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
            var accepted = TlsFlow.accept(pipe[1], server, devices);
            return new Handshake(pipe, accepted, TlsFlow.connect(pipe[0], client, devices));
        }

        /** Credentials under the PKI's intermediate, valid from a day before the simulated now to a day after. */
        Credentials leaf(String name, KeyType type, X509.Profile profile) {
            return leaf(name, type, profile, Duration.ofDays(-1), Duration.ofDays(1));
        }

        /** Credentials under the PKI's intermediate, valid from {@code from} to {@code to} after the simulated now. */
        Credentials leaf(String name, KeyType type, X509.Profile profile, Duration from, Duration to) {
            Instant now = sim.clock().now();
            return pki.issue(name, type, profile, now.plus(from), now.plus(to), sim.random());
        }

        <T> T run(Promise<T> promise) {
            return sim.scheduler().runUntil(promise).value();
        }
    }

    private record Handshake(MemoryFlow[] pipe, Promise<Result<TlsFlow, TlsFailure>> server,
            Promise<Result<TlsFlow, TlsFailure>> client) {}

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void handshakeAndDataBothWaysWithClientCertificate(KeyType type) {
        World w = World.of(42, type);
        TestPki pki = w.pki();
        TlsServerConfig serverConfig = TlsServerConfig.of(pki.server())
                .withClientAuth(ClientAuth.REQUIRED, List.of(pki.ca())).withAlpn(List.of("h2", "http/1.1"));
        TlsClientConfig clientConfig = w.clientFor("localhost")
                .withClientCredentials(pki.client()).withAlpn(List.of("http/1.1"));
        Handshake h = w.handshake(serverConfig, clientConfig);
        TlsFlow c = w.run(h.client()).orElseThrow();
        TlsFlow s = w.run(h.server()).orElseThrow();
        assertEquals("TLSv1.3", c.session().version());
        assertEquals("http/1.1", c.session().alpn().orElseThrow());
        assertEquals("http/1.1", s.session().alpn().orElseThrow());
        assertEquals("localhost", s.session().serverName().orElseThrow());
        assertEquals(pki.client().leaf(), s.session().peerChain().get(0));
        assertEquals(pki.ca(), s.session().peerChain().get(2));
        assertEquals(pki.server().leaf(), c.session().peerChain().get(0));

        Bytes big = w.sim().random().bytes(100_000);
        assertTrue(w.run(c.write(big)).isOk());
        assertEquals(big, readExactly(w.sim(), s, big.size()));
        assertTrue(w.run(s.write(Bytes.utf8("pong"))).isOk());
        assertEquals(Bytes.utf8("pong"), readExactly(w.sim(), c, 4));

        // close_notify both ways: the server closes, the client reads EOF (not an error).
        w.run(s.close());
        assertEquals(Result.ok(ReadResult.EOF), w.run(c.read()));
        w.run(c.close());
    }

    static Bytes readExactly(Simulation sim, TlsFlow flow, int size) {
        Bytes got = Bytes.EMPTY;
        while (got.size() < size) {
            Result<ReadResult, FlowError> r = sim.scheduler().runUntil(flow.read()).value();
            ReadResult.Data d = (ReadResult.Data) r.orElseThrow();
            got = got.concat(d.bytes());
        }
        return got;
    }

    @Test
    void serverRejectsClientFromAnotherCa() {
        World w = World.of(7, KeyType.EC_P256);
        TestPki other = TestPki.create(KeyType.EC_P256, w.sim().random(), w.sim().clock().now());
        Handshake h = w.handshake(TlsServerConfig.of(w.pki().server()).withClientAuth(ClientAuth.REQUIRED, List.of(w.pki().ca())),
                w.clientFor("localhost").withClientCredentials(other.client()));
        var s = w.run(h.server());
        var rejected = assertInstanceOf(TlsFailure.PeerCertificateRejected.class, ((Result.Err<?, TlsFailure>) s).error());
        assertInstanceOf(PathFailure.NoTrustedPath.class, rejected.reason());
        w.sim().scheduler().runFor(Duration.ofSeconds(1));
        assertTrue(h.client().isDone());
    }

    @Test
    void handshakeTimesOutInVirtualTime() {
        World w = World.of(9, KeyType.EC_P256);
        MemoryFlow[] pipe = MemoryFlow.pair(w.sim().scheduler());
        Promise<Result<TlsFlow, TlsFailure>> server = TlsFlow.accept(pipe[1],
                TlsServerConfig.of(w.pki().server()).withHandshakeTimeout(Duration.ofSeconds(5)), w.devices());
        w.sim().scheduler().runFor(Duration.ofSeconds(4));
        assertTrue(!server.isDone());
        w.sim().scheduler().runFor(Duration.ofSeconds(2));
        assertEquals(Result.err(new TlsFailure.Timeout(Duration.ofSeconds(5))), server.value());
    }

    @Test
    void clientShutdownOutputSendsCloseNotifyAndServerSeesEof() {
        World w = World.of(11, KeyType.EC_P256);
        Handshake h = w.handshake(TlsServerConfig.of(w.pki().server()), w.clientFor("localhost"));
        TlsFlow c = w.run(h.client()).orElseThrow();
        TlsFlow s = w.run(h.server()).orElseThrow();
        w.run(c.write(Bytes.utf8("last words")));
        assertTrue(w.run(c.shutdownOutput()).isOk());
        assertEquals(Bytes.utf8("last words"), readExactly(w.sim(), s, 10));
        assertEquals(Result.ok(ReadResult.EOF), w.run(s.read()));
        // After our own close_notify, BC's engine is closed for reading too: no TLS 1.3 half-close.
        assertEquals(Result.err(new FlowError.Closed()), w.run(c.read()));
        assertEquals(Result.err(new FlowError.Closed()), w.run(c.write(Bytes.utf8("x"))));
    }

    @Test
    void truncationWithoutCloseNotifyIsAnError() {
        World w = World.of(12, KeyType.EC_P256);
        Handshake h = w.handshake(TlsServerConfig.of(w.pki().server()), w.clientFor("localhost"));
        w.run(h.client()).orElseThrow();
        TlsFlow s = w.run(h.server()).orElseThrow();
        h.pipe()[0].shutdownOutput();   // a bare FIN, no close_notify
        Result<ReadResult, FlowError> r = w.run(s.read());
        assertInstanceOf(FlowError.Protocol.class, ((Result.Err<ReadResult, FlowError>) r).error());
    }

    @Test
    void clientRejectsWrongNameExpiredAndWrongEkuServers() {
        World w = World.of(13, KeyType.EC_P256);
        TestPki pki = w.pki();
        Credentials expired = w.leaf("localhost", KeyType.EC_P256, new X509.Profile.Server(),
                Duration.ofDays(-10), Duration.ofDays(-1));
        Credentials clientProfile = w.leaf("localhost", KeyType.EC_P256, new X509.Profile.Client());
        record Case(Credentials creds, String name, Class<?> reason) {}
        for (Case k : List.of(
                new Case(pki.server(), "other.test", PathFailure.NameMismatch.class),
                new Case(expired, "localhost", PathFailure.Expired.class),
                new Case(clientProfile, "localhost", PathFailure.ExtendedKeyUsageForbids.class))) {
            Handshake h = w.handshake(TlsServerConfig.of(k.creds()), w.clientFor(k.name()));
            var r = w.run(h.client());
            var f = (TlsFailure.PeerCertificateRejected) ((Result.Err<TlsFlow, TlsFailure>) r).error();
            assertInstanceOf(k.reason(), f.reason());
            var sr = w.run(h.server());
            assertInstanceOf(TlsFailure.AlertReceived.class, ((Result.Err<TlsFlow, TlsFailure>) sr).error());
        }
    }

    @Test
    void sniChoosesTheCertificate() {
        World w = World.of(14, KeyType.EC_P256);
        TestPki pki = w.pki();
        Credentials other = w.leaf("other.test", KeyType.RSA_2048, new X509.Profile.Server());
        TlsServerConfig config = TlsServerConfig.of(pki.server()).withSni("Other.Test", other);
        for (String name : List.of("other.test", "localhost")) {
            Handshake h = w.handshake(config, w.clientFor(name));
            TlsFlow c = w.run(h.client()).orElseThrow();
            TlsFlow s = w.run(h.server()).orElseThrow();
            assertEquals(name.equals("other.test") ? other.leaf() : pki.server().leaf(), c.session().peerChain().get(0));
            assertEquals(name, s.session().serverName().orElseThrow());
        }
    }

    @Test
    void requestedClientCertificateMayBeAbsent() {
        World w = World.of(15, KeyType.EC_P256);
        Handshake h = w.handshake(TlsServerConfig.of(w.pki().server()).withClientAuth(ClientAuth.REQUESTED, List.of(w.pki().ca())),
                w.clientFor("localhost"));
        w.run(h.client()).orElseThrow();
        TlsFlow s = w.run(h.server()).orElseThrow();
        assertEquals(List.of(), s.session().peerChain());
    }

    /** OpenVPN's TLS-EKM needs the exporter at the handshake's end; asked for, it is there, with the length asked, new per session. */
    @Test
    void keyingMaterialIsExportedWhenAskedForAndOnlyThen() {
        World w = World.of(7, KeyType.EC_P256);
        TlsServerConfig server = TlsServerConfig.of(w.pki().server());
        java.util.List<Bytes> exported = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            MemoryFlow[] pipe = MemoryFlow.pair(w.sim().scheduler());
            var accepted = TlsFlow.accept(pipe[1], server, w.devices());
            TlsFlow c = w.run(TlsFlow.connect(pipe[0], w.clientFor("localhost"), w.devices(),
                    java.util.Optional.of(new TlsFlow.Exporter("EXPORTER-OpenVPN-datakeys", 256)))).orElseThrow();
            w.run(accepted).orElseThrow();
            exported.add(c.exportedKeyingMaterial().orElseThrow());
        }
        assertEquals(256, exported.get(0).size());
        assertTrue(!exported.get(0).equals(exported.get(1)), "each session its own material");
        Handshake h = w.handshake(server, w.clientFor("localhost"));
        assertEquals(java.util.Optional.empty(), w.run(h.client()).orElseThrow().exportedKeyingMaterial());
    }
}
