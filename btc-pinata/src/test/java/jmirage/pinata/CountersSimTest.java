package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Unikernel;
import jmirage.core.metrics.Label;
import jmirage.core.metrics.MetricFamily;
import jmirage.core.metrics.Metrics;
import jmirage.core.metrics.Sample;
import jmirage.core.net.Endpoint;
import jmirage.core.net.Flow;
import jmirage.core.net.IpPrefix;
import jmirage.core.net.MacAddress;
import jmirage.http.HttpRequest;
import jmirage.http.HttpResponse;
import jmirage.http.client.ClientConfig;
import jmirage.http.client.HttpClientConnection;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.sim.Simulation;
import jmirage.sim.VirtualSwitch;
import jmirage.tls.TlsClientConfig;
import jmirage.tls.TlsDevices;
import jmirage.tls.TlsFlow;
import jmirage.tls.TlsServerConfig;
import jmirage.testkit.FlowBytes;
import org.junit.jupiter.api.Test;

/**
 * The Metrics device's counters (read with {@link Metrics#collect()}, as the launcher's endpoint
 * reads them) move by exactly the attempts and page requests made, on the simulation target, and
 * agree with the statistics page.
 */
class CountersSimTest {

    private final Simulation sim = new Simulation(5, SimHarness.START);
    private final VirtualSwitch lan = VirtualSwitch.of(sim, VirtualSwitch.Conditions.PERFECT);
    private final TlsDevices tls = new TlsDevices(sim.scheduler(), sim.clock(), sim.random());
    private Metrics metrics;

    private DirectStack stack(int host) {
        Ipv4Config config = new Ipv4Config.Static(IpPrefix.parseIpv4WithLength("10.0.0." + host + "/24").orElseThrow(), Optional.empty());
        return sim.scheduler().runUntil(DirectStack.start(lan.port(new MacAddress(0x02_00_00_00_00_00L | host)), config,
                sim.clock(), sim.scheduler(), sim.random(), sim.log("host" + host, LogLevel.INFO))).value().orElseThrow();
    }

    private <T> T await(Promise<T> p) {
        return sim.scheduler().runUntil(p).value();
    }

    /** Every series of the pinata's own metrics, as {@code name{k=v,...}} to value. */
    private Map<String, Double> pinataSeries() {
        Map<String, Double> series = new LinkedHashMap<>();
        for (MetricFamily f : metrics.collect()) {
            if (f.name().startsWith("jmirage_pinata_")) {
                for (Sample s : f.samples()) {
                    List<String> labels = new ArrayList<>();
                    for (Label l : s.labels()) {
                        labels.add(l.name() + "=" + l.value());
                    }
                    series.put(f.name() + labels, s.value());
                }
            }
        }
        return series;
    }

    @Test
    void countersMoveByTheAttemptsAndPageRequests() {
        DirectStack pinataStack = stack(2);
        DirectStack client = stack(3);
        Pinata pinata = new Pinata();
        Pinata.Parameters p = pinata.parameters();
        p.test = true;
        p.httpPort = 8080;
        p.httpsPort = 0;
        MemKv kv = new MemKv(sim.clock());
        var provider = sim.devices(pinata.name(), s -> kv, s -> pinataStack);
        Pinata.Devices devices = pinata.claim(provider);
        metrics = provider.metrics();
        Bounty bounty = (Bounty) await(pinata.start(devices, p)).orElseThrow();
        InetAddress target = pinataStack.addresses().getFirst();

        Map<String, Double> expected = new LinkedHashMap<>();
        for (String port : List.of("10000", "10001", "10002")) {
            expected.put("jmirage_pinata_connections_total[port=" + port + "]", 0.0);
        }
        for (String port : List.of("10000", "10001", "10002")) {
            expected.put("jmirage_pinata_handshakes_completed_total[port=" + port + "]", 0.0);
        }
        for (String port : List.of("10000", "10001", "10002")) {
            expected.put("jmirage_pinata_secrets_sent_total[port=" + port + "]", 0.0);
        }
        for (String path : List.of("/", "/ca.pem", "/stats", "other")) {
            expected.put("jmirage_pinata_page_requests_total[path=" + path + "]", 0.0);
        }
        assertEquals(expected, pinataSeries()); // every series but the failures' from boot, at zero

        // 10000 with the test client certificate: the secret.
        Flow tcp = await(client.connectTcp(new Endpoint(target, 10000))).orElseThrow();
        TlsFlow session = await(TlsFlow.connect(tcp, new TlsClientConfig(List.of(TestPki.ca()), Optional.empty(),
                Optional.of(TestPki.client()), List.of(), Duration.ofSeconds(30)), tls)).orElseThrow();
        assertArrayEquals(Pinata.TEST_SECRET.getBytes(StandardCharsets.UTF_8), await(FlowBytes.readAll(session)).toArray());
        // 10000 without a certificate, twice: no-certificate.
        for (int i = 0; i < 2; i++) {
            Flow bare = await(client.connectTcp(new Endpoint(target, 10000))).orElseThrow();
            var r = await(TlsFlow.connect(bare, new TlsClientConfig(List.of(TestPki.ca()), Optional.empty(), Optional.empty(),
                    List.of(), Duration.ofSeconds(30)), tls));
            if (r.isOk()) {
                await(FlowBytes.readAll(r.orElseThrow()));
            }
        }
        // 10002 with the test server certificate: the secret.
        Flow back = await(client.connectTcp(new Endpoint(target, 10002))).orElseThrow();
        TlsFlow served = await(TlsFlow.accept(back, TlsServerConfig.of(TestPki.server()), tls)).orElseThrow();
        assertArrayEquals(Pinata.TEST_SECRET.getBytes(StandardCharsets.UTF_8), await(FlowBytes.readAll(served)).toArray());
        // 10001 with nothing listening on 40001: connect-back-failed.
        Flow knock = await(client.connectTcp(new Endpoint(target, 10001))).orElseThrow();
        sim.scheduler().runFor(Duration.ofSeconds(12));
        knock.close();
        // The page: two of /, one of /stats, one unknown path.
        for (String path : List.of("/", "/", "/stats", "/wp-login.php")) {
            Flow page = await(client.connectTcp(new Endpoint(target, 8080))).orElseThrow();
            HttpResponse response = await(HttpClientConnection.once(page, sim.scheduler(), ClientConfig.defaults(), HttpRequest.get(path)))
                    .orElseThrow();
            assertEquals(path.equals("/wp-login.php") ? 404 : 200, response.status());
        }
        sim.scheduler().runFor(Duration.ofSeconds(1));

        expected.put("jmirage_pinata_connections_total[port=10000]", 3.0);
        expected.put("jmirage_pinata_connections_total[port=10001]", 1.0);
        expected.put("jmirage_pinata_connections_total[port=10002]", 1.0);
        expected.put("jmirage_pinata_handshakes_completed_total[port=10000]", 1.0);
        expected.put("jmirage_pinata_handshakes_completed_total[port=10002]", 1.0);
        expected.put("jmirage_pinata_secrets_sent_total[port=10000]", 1.0);
        expected.put("jmirage_pinata_secrets_sent_total[port=10002]", 1.0);
        expected.put("jmirage_pinata_page_requests_total[path=/]", 2.0);
        expected.put("jmirage_pinata_page_requests_total[path=/stats]", 1.0);
        expected.put("jmirage_pinata_page_requests_total[path=other]", 1.0);
        expected.put("jmirage_pinata_attempts_failed_total[port=10000, reason=no-certificate]", 2.0);
        expected.put("jmirage_pinata_attempts_failed_total[port=10001, reason=connect-back-failed]", 1.0);
        assertEquals(expected, pinataSeries());

        // The statistics page says the same.
        Stats stats = bounty.stats();
        assertEquals(3, stats.connections(10000));
        assertEquals(2, stats.failures(Role.SERVER, "no-certificate"));
        assertEquals(1, stats.failures(Role.CONNECT_BACK, Reasons.CONNECT_BACK_FAILED));
        await(bounty.stop());
    }
}
