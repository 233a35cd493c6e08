package jmirage.tls;

import jmirage.sim.MemoryFlow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Two TlsFlows over an in-memory flow pair on the simulated loop: no network, virtual time. */
class SimTlsTest {

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void handshakeAndDataBothWaysWithClientCertificate(KeyType type) {
        Simulation sim = new Simulation(42);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(type, sim.random(), sim.clock().now());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        TlsServerConfig serverConfig = TlsServerConfig.of(pki.server())
                .withClientAuth(ClientAuth.REQUIRED, List.of(pki.ca())).withAlpn(List.of("h2", "http/1.1"));
        TlsClientConfig clientConfig = TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns("localhost"))
                .withClientCredentials(pki.client()).withAlpn(List.of("http/1.1"));
        var server = TlsFlow.accept(pipe[1], serverConfig, devices);
        var client = TlsFlow.connect(pipe[0], clientConfig, devices);
        TlsFlow c = sim.scheduler().runUntil(client).value().orElseThrow();
        TlsFlow s = sim.scheduler().runUntil(server).value().orElseThrow();
        assertEquals("TLSv1.3", c.session().version());
        assertEquals("http/1.1", c.session().alpn().orElseThrow());
        assertEquals("http/1.1", s.session().alpn().orElseThrow());
        assertEquals("localhost", s.session().serverName().orElseThrow());
        assertEquals(pki.client().leaf(), s.session().peerChain().get(0));
        assertEquals(pki.ca(), s.session().peerChain().get(2));
        assertEquals(pki.server().leaf(), c.session().peerChain().get(0));

        Bytes big = sim.random().bytes(100_000);
        assertTrue(sim.scheduler().runUntil(c.write(big)).value().isOk());
        assertEquals(big, readExactly(sim, s, big.size()));
        assertTrue(sim.scheduler().runUntil(s.write(Bytes.utf8("pong"))).value().isOk());
        assertEquals(Bytes.utf8("pong"), readExactly(sim, c, 4));

        // close_notify both ways: the server closes, the client reads EOF (not an error).
        sim.scheduler().runUntil(s.close());
        assertEquals(Result.ok(ReadResult.EOF), sim.scheduler().runUntil(c.read()).value());
        sim.scheduler().runUntil(c.close());
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
        Simulation sim = new Simulation(7);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        TestPki other = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        var server = TlsFlow.accept(pipe[1], TlsServerConfig.of(pki.server())
                .withClientAuth(ClientAuth.REQUIRED, List.of(pki.ca())), devices);
        var client = TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns("localhost"))
                .withClientCredentials(other.client()), devices);
        var s = sim.scheduler().runUntil(server).value();
        var rejected = assertInstanceOf(TlsFailure.PeerCertificateRejected.class, ((Result.Err<?, TlsFailure>) s).error());
        assertInstanceOf(PathFailure.NoTrustedPath.class, rejected.reason());
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertTrue(client.isDone());
    }

    @Test
    void handshakeTimesOutInVirtualTime() {
        Simulation sim = new Simulation(9);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        Promise<Result<TlsFlow, TlsFailure>> server = TlsFlow.accept(pipe[1],
                TlsServerConfig.of(pki.server()).withHandshakeTimeout(Duration.ofSeconds(5)), devices);
        sim.scheduler().runFor(Duration.ofSeconds(4));
        assertTrue(!server.isDone());
        sim.scheduler().runFor(Duration.ofSeconds(2));
        assertEquals(Result.err(new TlsFailure.Timeout(Duration.ofSeconds(5))), server.value());
    }

    @Test
    void clientShutdownOutputSendsCloseNotifyAndServerSeesEof() {
        Simulation sim = new Simulation(11);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        var server = TlsFlow.accept(pipe[1], TlsServerConfig.of(pki.server()), devices);
        var client = TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns("localhost")), devices);
        TlsFlow c = sim.scheduler().runUntil(client).value().orElseThrow();
        TlsFlow s = sim.scheduler().runUntil(server).value().orElseThrow();
        sim.scheduler().runUntil(c.write(Bytes.utf8("last words")));
        assertTrue(sim.scheduler().runUntil(c.shutdownOutput()).value().isOk());
        assertEquals(Bytes.utf8("last words"), readExactly(sim, s, 10));
        assertEquals(Result.ok(ReadResult.EOF), sim.scheduler().runUntil(s.read()).value());
        // After our own close_notify, BC's engine is closed for reading too: no TLS 1.3 half-close.
        assertEquals(Result.err(new FlowError.Closed()), sim.scheduler().runUntil(c.read()).value());
        assertEquals(Result.err(new FlowError.Closed()), sim.scheduler().runUntil(c.write(Bytes.utf8("x"))).value());
    }

    @Test
    void truncationWithoutCloseNotifyIsAnError() {
        Simulation sim = new Simulation(12);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        var server = TlsFlow.accept(pipe[1], TlsServerConfig.of(pki.server()), devices);
        var client = TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns("localhost")), devices);
        sim.scheduler().runUntil(client).value().orElseThrow();
        TlsFlow s = sim.scheduler().runUntil(server).value().orElseThrow();
        pipe[0].shutdownOutput();   // a bare FIN, no close_notify
        Result<ReadResult, FlowError> r = sim.scheduler().runUntil(s.read()).value();
        assertInstanceOf(FlowError.Protocol.class, ((Result.Err<ReadResult, FlowError>) r).error());
    }

    @Test
    void clientRejectsWrongNameExpiredAndWrongEkuServers() {
        Simulation sim = new Simulation(13);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        java.time.Instant now = sim.clock().now();
        var expiredKey = jmirage.tls.x509.KeyPair.generate(KeyType.EC_P256, sim.random());
        var expired = jmirage.tls.x509.X509.issue("localhost", List.of("localhost"), List.of(), expiredKey.publicKey(),
                new jmirage.tls.x509.X509.Profile.Server(), now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)),
                pki.intermediate(), pki.intermediateKey(), sim.random());
        var clientProfileKey = jmirage.tls.x509.KeyPair.generate(KeyType.EC_P256, sim.random());
        var clientProfile = jmirage.tls.x509.X509.issue("localhost", List.of("localhost"), List.of(), clientProfileKey.publicKey(),
                new jmirage.tls.x509.X509.Profile.Client(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)),
                pki.intermediate(), pki.intermediateKey(), sim.random());
        record Case(Credentials creds, String name, Class<?> reason) {}
        for (Case k : List.of(
                new Case(pki.server(), "other.test", PathFailure.NameMismatch.class),
                new Case(new Credentials(List.of(expired, pki.intermediate()), expiredKey), "localhost", PathFailure.Expired.class),
                new Case(new Credentials(List.of(clientProfile, pki.intermediate()), clientProfileKey), "localhost",
                        PathFailure.ExtendedKeyUsageForbids.class))) {
            MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
            var server = TlsFlow.accept(pipe[1], TlsServerConfig.of(k.creds()), devices);
            var client = TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns(k.name())), devices);
            var r = sim.scheduler().runUntil(client).value();
            var f = (TlsFailure.PeerCertificateRejected) ((Result.Err<TlsFlow, TlsFailure>) r).error();
            assertInstanceOf(k.reason(), f.reason());
            var sr = sim.scheduler().runUntil(server).value();
            assertInstanceOf(TlsFailure.AlertReceived.class, ((Result.Err<TlsFlow, TlsFailure>) sr).error());
        }
    }

    @Test
    void sniChoosesTheCertificate() {
        Simulation sim = new Simulation(14);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        java.time.Instant now = sim.clock().now();
        var otherKey = jmirage.tls.x509.KeyPair.generate(KeyType.RSA_2048, sim.random());
        var other = jmirage.tls.x509.X509.issue("other.test", List.of("other.test"), List.of(), otherKey.publicKey(),
                new jmirage.tls.x509.X509.Profile.Server(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)),
                pki.intermediate(), pki.intermediateKey(), sim.random());
        Credentials otherCreds = new Credentials(List.of(other, pki.intermediate()), otherKey);
        TlsServerConfig config = TlsServerConfig.of(pki.server()).withSni("Other.Test", otherCreds);
        for (String name : List.of("other.test", "localhost")) {
            MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
            var server = TlsFlow.accept(pipe[1], config, devices);
            var client = TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns(name)), devices);
            TlsFlow c = sim.scheduler().runUntil(client).value().orElseThrow();
            TlsFlow s = sim.scheduler().runUntil(server).value().orElseThrow();
            assertEquals(name.equals("other.test") ? other : pki.server().leaf(), c.session().peerChain().get(0));
            assertEquals(name, s.session().serverName().orElseThrow());
        }
    }

    @Test
    void requestedClientCertificateMayBeAbsent() {
        Simulation sim = new Simulation(15);
        TlsDevices devices = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
        TestPki pki = TestPki.create(KeyType.EC_P256, sim.random(), sim.clock().now());
        MemoryFlow[] pipe = MemoryFlow.pair(sim.scheduler());
        var server = TlsFlow.accept(pipe[1], TlsServerConfig.of(pki.server())
                .withClientAuth(ClientAuth.REQUESTED, List.of(pki.ca())), devices);
        var client = TlsFlow.connect(pipe[0], TlsClientConfig.of(List.of(pki.ca()), new PeerName.Dns("localhost")), devices);
        sim.scheduler().runUntil(client).value().orElseThrow();
        TlsFlow s = sim.scheduler().runUntil(server).value().orElseThrow();
        assertEquals(List.of(), s.session().peerChain());
    }
}
