package jmirage.canopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.canopy.render.SampleBlog;
import jmirage.canopy.shell.Webhook;
import jmirage.core.Bytes;
import jmirage.core.DeviceProvider;
import jmirage.core.LogLevel;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.config.ConfigProblem;
import jmirage.core.kv.Key;
import jmirage.core.metrics.PrometheusText;
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
import org.junit.jupiter.api.Test;

/**
 * The unikernel on the simulation target: the direct stack at 10.0.0.2 on a lossy virtual switch, a
 * client at 10.0.0.3, the sample blog in memory, the timer in virtual time; and its check.
 */
class SimTargetTest {

    static final String SECRET = "sim secret";
    static final int PORT = 8080;

    final Simulation sim = new Simulation(19, Instant.parse("2027-01-01T00:00:00Z"));
    final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT.withLoss(0.02).withReorder(0.05));
    final MemKv kv = new MemKv(sim.clock());

    SimTargetTest() {
        for (Map.Entry<Key, Bytes> file : SampleBlog.repository().snapshot().files().entrySet()) {
            sim.await(kv.set(file.getKey(), file.getValue())).orElseThrow();
        }
        sim.await(kv.set(Webhook.SECRET, Bytes.utf8(SECRET + "\n"))).orElseThrow();
    }

    DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.await(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).orElseThrow();
    }

    HttpResponse send(DirectStack client, String method, String target, String body, String... headers) {
        Flow flow = sim.await(client.connectTcp(new Endpoint(InetAddress.ofLiteral("10.0.0.2"), PORT))).orElseThrow();
        return sim.await(HttpClientConnection.once(flow, sim.scheduler(), ClientConfig.defaults(),
                HttpRequest.of(method, target, Headers.of(headers), Bytes.utf8(body)))).orElseThrow();
    }

    @Test
    void pagesTheWebhookAndTheTimerOnALossyLink() {
        DirectStack server = stack(2);
        Canopy canopy = new Canopy();
        Canopy.Parameters p = canopy.parameters();
        p.httpPort = PORT;
        p.refreshEvery = "10m";
        DeviceProvider provider = sim.devices(canopy.name(), s -> kv, s -> server);
        Unikernel.Running running = sim.await(canopy.start(canopy.claim(provider), p)).orElseThrow(IllegalStateException::new);
        DirectStack client = stack(3);

        HttpResponse page = send(client, "GET", "/posts/unikernels-in-java", "");
        assertEquals(200, page.status());
        String etag = page.headers().get("ETag").orElseThrow();
        assertEquals(304, send(client, "GET", "/posts/unikernels-in-java", "", "If-None-Match", etag).status());
        assertEquals("gzip", send(client, "GET", "/", "", "Accept-Encoding", "gzip").headers().get("Content-Encoding").orElseThrow());
        // the secret is in the store, never on the site
        assertEquals(404, send(client, "GET", "/.config/webhook_secret", "").status());
        assertTrue(!send(client, "GET", "/status", "").bytes().toUtf8().contains(SECRET));

        // the webhook: refused, then accepted, and the article added to the store is served
        sim.await(kv.set(Key.of("notes/sim.md"), Bytes.utf8("---\ntitle: Simulated\n---\n"))).orElseThrow();
        String body = "{\"ref\":\"refs/heads/main\"}";
        assertEquals(403, send(client, "POST", Webhook.PATH, body, "X-Gitea-Signature", "ab".repeat(32)).status());
        assertEquals(404, send(client, "GET", "/notes/sim", "").status());
        String signature = java.util.HexFormat.of().formatHex(Webhook.hmac(Bytes.utf8(SECRET), Bytes.utf8(body)));
        assertEquals(202, send(client, "POST", Webhook.PATH, body, "X-Gitea-Signature", signature).status());
        sim.scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(200, send(client, "GET", "/notes/sim", "").status());

        // the timer, in virtual time: a change to the store is live after one period
        sim.await(kv.set(Key.of("notes/timer.md"), Bytes.utf8("---\ntitle: On time\n---\n"))).orElseThrow();
        sim.scheduler().runFor(Duration.ofMinutes(9));
        assertEquals(404, send(client, "GET", "/notes/timer", "").status());
        sim.scheduler().runFor(Duration.ofMinutes(2));
        assertEquals(200, send(client, "GET", "/notes/timer", "").status());

        String metrics = PrometheusText.render(provider.metrics().collect());
        assertTrue(metrics.contains("jmirage_canopy_webhooks_total{outcome=\"accepted\"} 1"), metrics);
        assertTrue(metrics.contains("jmirage_canopy_webhooks_total{outcome=\"refused\"} 1"), metrics);
        assertTrue(metrics.contains("jmirage_canopy_refreshes_total{outcome=\"built\"} 2"), metrics);
        assertTrue(metrics.contains("jmirage_canopy_problems 1"), metrics);
        sim.await(running.stop());
    }

    @Test
    void theCheckReportsParametersTlsAndContentProblems() {
        Canopy canopy = new Canopy();
        Canopy.Parameters p = canopy.parameters();
        p.httpsPort = 8443;
        p.refreshEvery = "1s";
        List<String> problems = sim.await(canopy.check(sim.devices(canopy.name(), s -> kv), p)).stream()
                .map(ConfigProblem::describe).toList();
        assertEquals(List.of("--refresh-every: must be 0 (no timer) or at least 5 s, got '1s'",
                "--https-port: HTTPS needs tls/server.pem and tls/server.key (PEM) in the secrets store (or the content store), or --certify-*",
                "posts/broken.md:3: 'someday' is not a date (RFC 3339: 2026-12-06 or 2026-12-06T13:00:00Z)"), problems);
        Result<Unikernel.Running, String> refused = sim.await(canopy.start(canopy.claim(sim.devices(canopy.name(), s -> kv, s -> stack(2))), p));
        assertEquals(Result.err("--refresh-every: must be 0 (no timer) or at least 5 s, got '1s'"), refused);
    }
}
