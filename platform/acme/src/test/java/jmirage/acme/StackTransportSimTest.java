package jmirage.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.http.HttpResponse;
import jmirage.http.server.HttpServer;
import jmirage.http.server.ServerConfig;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.Credentials;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsServerConfig;
import jmirage.tls.x509.Certificate;
import jmirage.tls.x509.KeyPair;
import jmirage.tls.x509.KeyType;
import jmirage.tls.x509.X509;
import org.junit.jupiter.api.Test;

/**
 * The client through {@link StackTransport} on the sim target: the direct stack on a virtual switch
 * that loses and reorders frames, TLS and HTTP/1.1 to an HTTPS server (the platform's own) that
 * answers as {@link FakeAcme}. The whole issuance in virtual time, and a server whose certificate is
 * not from the anchors refused.
 */
class StackTransportSimTest {

    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    private final Simulation sim = new Simulation(23, START);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withReorder(0.05));
    private final TlsDevices tls = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
    private final KeyPair caKey = KeyPair.generate(KeyType.EC_P256, sim.random());
    private final Certificate ca = X509.selfSignedCa("ACME server CA", caKey, START.minusSeconds(3600), START.plusSeconds(86400 * 30),
            sim.random());

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).orElseThrow();
    }

    /** An HTTPS server on 10.0.0.2:8443 whose certificate (for its IP) is issued by {@code issuer}, answering as {@code acme}. */
    private void serve(DirectStack stack, FakeAcme acme, Certificate issuer, KeyPair issuerKey) {
        KeyPair key = KeyPair.generate(KeyType.EC_P256, sim.random());
        Certificate leaf = X509.issue("acme server", List.of(), List.of(InetAddress.ofLiteral("10.0.0.2")), key.publicKey(),
                new X509.Profile.Server(), START.minusSeconds(3600), START.plusSeconds(86400 * 30), issuer, issuerKey, sim.random());
        HttpServer server = new HttpServer(sim.scheduler(), sim.clock(), sim.log("server", LogLevel.WARN), ServerConfig.defaults(),
                request -> acme.send(request.method(), URI.create("https://10.0.0.2:8443" + request.target()), request.headers(),
                                request.body())
                        .map(r -> r.orElse(HttpResponse.text(500, "fake server failed"))));
        sim.await(server.listenTls(stack, 8443, TlsServerConfig.of(new Credentials(List.of(leaf), key)), tls)).orElseThrow();
    }

    @Test
    void issuesOverTlsOnTheDirectStackInVirtualTime() {
        DirectStack serverStack = stack(2);
        DirectStack clientStack = stack(3);
        KeyPair accountKey = KeyPair.generate(KeyType.EC_P256, sim.random());
        RecordingDns01 dns = new RecordingDns01();
        FakeAcme acme = new FakeAcme("https://10.0.0.2:8443", sim.scheduler(), sim.clock()::now, accountKey, dns, sim.random());
        acme.rejectNonces = 1;
        serve(serverStack, acme, ca, caKey);
        StackTransport transport = new StackTransport(clientStack, sim.scheduler(), sim.clock(), sim.random(), List.of(ca),
                Optional.empty());
        AcmeClient client = AcmeClient.create(transport, URI.create("https://10.0.0.2:8443/dir"), accountKey, sim.scheduler(),
                sim.clock(), sim.log("acme", LogLevel.INFO));
        KeyPair serviceKey = KeyPair.generate(KeyType.EC_P256, sim.random());

        Result<List<Certificate>, AcmeError> issued = sim.await(client.issue(
                X509.csr("a.test", List.of("a.test"), serviceKey, sim.random()), List.of("a.test"), dns));

        List<Certificate> chain = issued.orElseThrow();
        assertEquals(acme.intermediate(), chain.get(1));
        assertTrue(dns.empty());
        assertEquals(2, acme.count("POST /account"), "one badNonce retried over the network");
    }

    @Test
    void aServerWhoseCertificateIsNotFromTheAnchorsIsATransportError() {
        DirectStack serverStack = stack(2);
        DirectStack clientStack = stack(3);
        KeyPair accountKey = KeyPair.generate(KeyType.EC_P256, sim.random());
        FakeAcme acme = new FakeAcme("https://10.0.0.2:8443", sim.scheduler(), sim.clock()::now, accountKey, new RecordingDns01(),
                sim.random());
        KeyPair otherKey = KeyPair.generate(KeyType.EC_P256, sim.random());
        Certificate other = X509.selfSignedCa("someone else", otherKey, START.minusSeconds(3600), START.plusSeconds(86400), sim.random());
        serve(serverStack, acme, other, otherKey);
        StackTransport transport = new StackTransport(clientStack, sim.scheduler(), sim.clock(), sim.random(), List.of(ca),
                Optional.empty());
        Promise<Result<URI, AcmeError>> account = AcmeClient.create(transport, URI.create("https://10.0.0.2:8443/dir"), accountKey,
                sim.scheduler(), sim.clock(), sim.log("acme", LogLevel.INFO)).account(Optional.empty());

        Result<URI, AcmeError> refused = sim.await(account);
        assertTrue(refused instanceof Result.Err<URI, AcmeError>(AcmeError.Transport(String reason)) && reason.contains("TLS"),
                refused.toString());
        assertTrue(acme.requests.isEmpty(), "nothing reached the server: " + acme.requests);
    }
}
