package jmirage.canopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jmirage.canopy.render.SampleBlog;
import jmirage.canopy.shell.Secrets;
import jmirage.canopy.shell.Webhook;
import jmirage.certify.Certify;
import jmirage.certify.CertifyConfig;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.http.Headers;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.testkit.CertifyPrimary;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.Test;

/**
 * Decision 19 on the simulation target: with the store named secrets, the webhook secret, the TLS
 * pair and certify's key come from it and never from the content store (a content store holding
 * other ones is ignored); without it, as before, with a warning when the content store has a git
 * remote; --certify-* with such a content store and no secrets store is refused at boot.
 */
class SecretsStoreTest {

    static final int PORT = 8080;
    static final String BODY = "{}";

    final Simulation sim = new Simulation(1919, Instant.parse("2027-01-01T00:00:00Z"));
    final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    final MemKv content = new MemKv(sim.clock());
    final MemKv secrets = new MemKv(sim.clock());

    SecretsStoreTest() {
        for (Map.Entry<Key, Bytes> file : SampleBlog.repository().snapshot().files().entrySet()) {
            set(content, file.getKey(), file.getValue());
        }
        set(content, Webhook.SECRET, Bytes.utf8("the content's secret\n"));
    }

    void set(Kv kv, Key key, Bytes value) {
        sim.await(kv.set(key, value)).orElseThrow();
    }

    DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).orElseThrow();
    }

    int webhook(DirectStack client, String secret) {
        String signature = HexFormat.of().formatHex(Webhook.hmac(Bytes.utf8(secret), Bytes.utf8(BODY)));
        Flow flow = sim.await(client.connectTcp(new Endpoint(InetAddress.ofLiteral("10.0.0.2"), PORT))).orElseThrow();
        HttpResponse answer = sim.await(HttpClientConnection.once(flow, sim.scheduler(), ClientConfig.defaults(),
                HttpRequest.of("POST", Webhook.PATH, Headers.of("X-Gitea-Signature", signature), Bytes.utf8(BODY)))).orElseThrow();
        return answer.status();
    }

    Canopy.Parameters parameters(Canopy canopy) {
        Canopy.Parameters p = canopy.parameters();
        p.httpPort = PORT;
        p.refreshEvery = "0";
        return p;
    }

    Map<String, Function<Simulation, Kv>> secretsStore() {
        return Map.of("secrets", s -> secrets);
    }

    List<String> lines() {
        return sim.records().stream().map(LogRecord::message).toList();
    }

    @Test
    void theWebhookSecretComesFromTheSecretsStoreAndTheContentsIsIgnored() {
        set(secrets, Webhook.SECRET, Bytes.utf8("the secrets store's secret"));
        Canopy canopy = new Canopy();
        DirectStack server = stack(2);
        Unikernel.Running running = sim.boot(canopy, parameters(canopy), s -> content, s -> server, secretsStore())
                .orElseThrow(IllegalStateException::new);
        DirectStack client = stack(3);
        assertEquals(403, webhook(client, "the content's secret"));
        assertEquals(202, webhook(client, "the secrets store's secret"));
        sim.scheduler().runFor(Duration.ofSeconds(1));

        // a new secret in the secrets store is in use after the next refresh (here the webhook's)
        set(secrets, Webhook.SECRET, Bytes.utf8("rotated"));
        assertEquals(202, webhook(client, "the secrets store's secret"));
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(403, webhook(client, "the secrets store's secret"));
        assertEquals(202, webhook(client, "rotated"));
        assertTrue(lines().stream().anyMatch(l -> l.contains("secrets from the secrets store")), lines().toString());
        assertFalse(lines().stream().anyMatch(l -> l.contains("are read from the content store")), "no warning");
        sim.await(running.stop());
    }

    @Test
    void withoutASecretsStoreTheWebhookSecretIsTheContentsAsBefore() {
        Canopy canopy = new Canopy();
        DirectStack server = stack(2);
        Unikernel.Running running = sim.boot(canopy, parameters(canopy), s -> content, s -> server)
                .orElseThrow(IllegalStateException::new);
        assertEquals(202, webhook(stack(3), "the content's secret"));
        sim.await(running.stop());
    }

    @Test
    void theTlsPairIsReadFromTheSecretsStoreOnly() {
        Credentials pair = SelfSigned.make(sim.random(), sim.clock().now(), List.of("www.example.org"));
        set(content, SelfSigned.CERTIFICATE, Bytes.utf8(Pem.certificates(pair.chain())));
        set(content, SelfSigned.KEY, Bytes.utf8(Pem.privateKey(pair.key())));
        Canopy canopy = new Canopy();
        Canopy.Parameters p = parameters(canopy);
        p.httpsPort = 8443;
        String missing = "--https-port: HTTPS needs tls/server.pem and tls/server.key (PEM) in the secrets store (or the content"
                + " store), or --certify-*";
        assertEquals(List.of(missing), check(canopy, p, secretsStore()), "the content's pair does not count");
        assertEquals(List.of(), check(canopy, p, Map.of()), "without a secrets store, the content's pair serves, as before");
        assertEquals(Result.err(missing), sim.boot(canopy, p, s -> content, s -> stack(2), secretsStore()));

        set(secrets, SelfSigned.CERTIFICATE, Bytes.utf8(Pem.certificates(pair.chain())));
        set(secrets, SelfSigned.KEY, Bytes.utf8(Pem.privateKey(pair.key())));
        sim.await(content.remove(SelfSigned.KEY)).orElseThrow();
        assertEquals(List.of(), check(canopy, p, secretsStore()));
        Unikernel.Running running = sim.boot(canopy, p, s -> content, s -> stack(4), secretsStore()).orElseThrow(IllegalStateException::new);
        sim.await(running.stop());
    }

    /** The check's problems but the content's (the sample blog has one on purpose). */
    List<String> check(Canopy canopy, Canopy.Parameters p, Map<String, Function<Simulation, Kv>> stores) {
        return sim.await(canopy.check(sim.devices(canopy.name(), s -> content, null, stores), p)).stream()
                .filter(problem -> !problem.source().endsWith(".md")).map(ConfigProblem::describe).toList();
    }

    @Test
    void aStoreTheUnikernelDoesNotClaimRefusesTheBoot() {
        Canopy canopy = new Canopy();
        assertEquals(Result.err("--store vault: canopy claims no store of that name"),
                sim.boot(canopy, parameters(canopy), s -> content, s -> stack(2), Map.of("vault", s -> secrets)));
    }

    /** The content store as a git store with a remote would be: pulls and pushes that do nothing here. */
    static final class Pushed implements KvSync {
        @Override
        public Promise<Result<Unit, KvError>> pull() {
            return Promise.resolved(Result.ok());
        }

        @Override
        public Promise<Result<Unit, KvError>> push() {
            return Promise.resolved(Result.ok());
        }

        @Override
        public boolean unpushed() {
            return false;
        }

        @Override
        public boolean hasRemote() {
            return true;
        }

        @Override
        public Cancellable onExternalChange(Runnable listener) {
            return () -> false;
        }
    }

    Canopy.Devices pushedContent(Optional<Kv> secretsStore) {
        return new Canopy.Devices(stack(2), content, Optional.of(new Pushed()), Optional.empty(), sim.log("canopy", LogLevel.DEBUG),
                sim.clock(), sim.scheduler(), sim.random(), new Metrics(), secretsStore);
    }

    void certify(Canopy.Parameters p) {
        p.httpsPort = 8443;
        p.certify.server = "10.0.0.1";
        p.certify.key = CertifyPrimary.certifyKey();
        p.certify.hostname = "www.example.org";
    }

    @Test
    void secretsInAContentStoreWithARemoteAreWarnedAbout() {
        Canopy canopy = new Canopy();
        Unikernel.Running running = sim.await(canopy.start(pushedContent(Optional.empty()), parameters(canopy)))
                .orElseThrow(IllegalStateException::new);
        String warning = "the secrets (.config/webhook_secret, tls/server.pem, tls/server.key) are read from the content store,"
                + " which has a git remote: whoever reads that repository reads them; keep them apart with --store secrets=SPEC";
        assertTrue(lines().contains(warning), lines().toString());
        sim.await(running.stop());
    }

    @Test
    void certifyWithAPushedContentStoreAndNoSecretsStoreIsRefused() {
        Canopy canopy = new Canopy();
        Canopy.Parameters p = parameters(canopy);
        certify(p);
        assertEquals(Result.err("--certify-* keeps its private key in the store, and the content store is pushed to its git"
                + " remote: give the key a store of its own with --store secrets=SPEC"),
                sim.await(canopy.start(pushedContent(Optional.empty()), p)));
        assertEquals(List.of(), sim.await(content.list(Key.of("certify"))).orElse(List.of()), "no key made");
    }

    @Test
    void certifyKeepsItsKeyInTheSecretsStoreAndServesAStandInUntilTheCertificateComes() {
        Canopy canopy = new Canopy();
        Canopy.Parameters p = parameters(canopy);
        certify(p);
        Unikernel.Running running = sim.await(canopy.start(pushedContent(Optional.of(secrets)), p))
                .orElseThrow(IllegalStateException::new);
        CertifyConfig config = p.certify.config().orElseThrow().orElseThrow();
        assertTrue(sim.await(secrets.get(Certify.keyKey(config))).isOk(), "the key in the secrets store");
        assertFalse(sim.await(content.get(Certify.keyKey(config))).isOk(), "and not in the content");
        assertTrue(lines().contains("HTTPS presents a self-signed certificate for www.example.org until the one through DNS comes"),
                lines().toString());
        assertFalse(lines().stream().anyMatch(l -> l.contains("are read from the content store")), "no warning");
        sim.await(running.stop());
    }
}
