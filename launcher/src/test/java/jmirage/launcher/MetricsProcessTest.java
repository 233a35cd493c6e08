package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.launcher.PrometheusParser.Parsed;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics} through the real launcher in a child JVM: echo boots with the endpoint, a real
 * Prometheus-format parser (prometheus_client, Python) scrapes it, traffic moves the counters by
 * exactly what was sent, and {@code /health} says 200 while it serves.
 */
@Tag("peer")
class MetricsProcessTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static int freeMetricsPort(int base) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(40_000, 50_000);
            if (port != base + 7 && port != base + 9 && port != base + 19 && HostRunnerProcessTest.free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port for the metrics endpoint");
    }

    /** The series this test watches, keyed by sample name and labels. */
    private static Map<String, Double> watched(Parsed parsed) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String service : new String[] {"echo", "discard", "chargen"}) {
            values.put("connections " + service, parsed.value("jmirage_echo_connections_total", Map.of("service", service)));
            values.put("datagrams " + service, parsed.value("jmirage_echo_datagrams_total", Map.of("service", service)));
            for (String protocol : new String[] {"tcp", "udp"}) {
                values.put("received " + service + " " + protocol,
                        parsed.value("jmirage_echo_received_bytes_total", Map.of("service", service, "protocol", protocol)));
                values.put("sent " + service + " " + protocol,
                        parsed.value("jmirage_echo_sent_bytes_total", Map.of("service", service, "protocol", protocol)));
            }
        }
        return values;
    }

    @Test
    void echoCountersMoveWithTrafficAndAPrometheusParserReadsThem() throws Exception {
        int base = HostRunnerProcessTest.freePortBase();
        int metricsPort = freeMetricsPort(base);
        String url = "http://127.0.0.1:" + metricsPort;
        try (ChildLauncher child = new ChildLauncher("run", "echo", "--port-base", Integer.toString(base),
                "--metrics", "127.0.0.1:" + metricsPort)) {
            child.awaitLine("serving echo on " + (base + 7));
            child.awaitLine("metrics at http://127.0.0.1:" + metricsPort + "/metrics");
            assertTrue(child.lines().getFirst().contains("booting echo " + Version.current() + " on the host target"),
                    child.lines().getFirst());

            Parsed before = PrometheusParser.scrape(url + "/metrics");
            assertEquals("text/plain; version=0.0.4; charset=utf-8", before.contentType());
            assertEquals(1.0, before.value("jmirage_build_info", Map.of("unikernel", "echo", "version", Version.current())));
            double startedAt = before.value("jmirage_start_time_seconds", Map.of());
            double now = System.currentTimeMillis() / 1000.0;
            assertTrue(startedAt > now - 120 && startedAt <= now, "start time " + startedAt + ", now " + now);
            Map<String, Double> expected = watched(before);
            expected.values().forEach(v -> assertEquals(0.0, v)); // every series is there from boot

            // Traffic: echo over TCP (6 bytes back), discard over TCP (1000 bytes), echo over UDP (8 bytes back).
            try (Socket s = new Socket(LOOPBACK, base + 7)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertEquals("hello\n", new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
            try (Socket s = new Socket(LOOPBACK, base + 9)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(new byte[1000]);
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                assertEquals(-1, in.read()); // discard closes once it has read everything
            }
            assertEquals("datagram", HostRunnerProcessTest.udpExchange(base + 7, "datagram"));
            expected.put("connections echo", 1.0);
            expected.put("received echo tcp", 6.0);
            expected.put("sent echo tcp", 6.0);
            expected.put("connections discard", 1.0);
            expected.put("received discard tcp", 1000.0);
            expected.put("datagrams echo", 1.0);
            expected.put("received echo udp", 8.0);
            expected.put("sent echo udp", 8.0);

            // The answers reached us before every callback that counts them ran: scrape until they agree (5 s at most).
            Map<String, Double> after = watched(PrometheusParser.scrape(url + "/metrics"));
            for (int attempt = 0; attempt < 50 && !after.equals(expected); attempt++) {
                Thread.sleep(100);
                after = watched(PrometheusParser.scrape(url + "/metrics"));
            }
            assertEquals(expected, after);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok\n", health.body());

            assertEquals(0, child.terminate());
        }
    }
}
