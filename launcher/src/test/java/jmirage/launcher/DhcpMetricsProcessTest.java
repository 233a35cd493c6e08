package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.MacAddress;
import jmirage.launcher.PrometheusParser.Parsed;
import jmirage.net.dhcp.DhcpMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DHCP server through the real launcher in a child JVM with {@code --metrics}: a relay agent on
 * loopback (127.0.0.2; RFC 2131 4.1: replies go to giaddr on the server port) does one
 * DISCOVER/OFFER/REQUEST/ACK exchange, a real Prometheus-format parser (prometheus_client, Python)
 * scrapes the endpoint before and after, and the counters and per-subnet gauges moved by exactly
 * that exchange; the ACK is one info line as ISC dhcpd writes it.
 */
@Tag("peer")
class DhcpMetricsProcessTest {

    @TempDir
    Path dir;

    private static final Inet4Address ZERO = (Inet4Address) InetAddress.ofLiteral("0.0.0.0");
    private static final MacAddress CLIENT = new MacAddress(0x02_00_00_00_15_01L);
    private static final String SUBNET = "127.0.0.0/8";

    /** The series this test watches. */
    private static Map<String, Double> watched(Parsed parsed) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String type : new String[] {"discover", "request", "decline", "release", "inform", "other"}) {
            values.put("received " + type, parsed.value("jmirage_dhcp_messages_received_total", Map.of("type", type)));
        }
        for (String type : new String[] {"offer", "ack", "nak"}) {
            values.put("sent " + type, parsed.value("jmirage_dhcp_replies_sent_total", Map.of("type", type)));
        }
        for (String event : new String[] {"granted", "renewed", "released", "declined", "expired"}) {
            values.put("lease " + event, parsed.value("jmirage_dhcp_lease_events_total", Map.of("event", event)));
        }
        values.put("malformed", parsed.value("jmirage_dhcp_malformed_total", Map.of()));
        values.put("store failures", parsed.value("jmirage_dhcp_lease_store_write_failures_total", Map.of()));
        values.put("withheld", parsed.value("jmirage_dhcp_replies_withheld_total", Map.of()));
        for (String state : new String[] {"bound", "offered", "declined"}) {
            values.put(state, parsed.value("jmirage_dhcp_leases", Map.of("subnet", SUBNET, "state", state)));
        }
        values.put("free", parsed.value("jmirage_dhcp_free_addresses", Map.of("subnet", SUBNET)));
        return values;
    }

    @Test
    void aDhcpExchangeMovesTheCountersThatAPrometheusParserReads() throws Exception {
        Path store = dir.resolve("store");
        Files.createDirectories(store);
        Files.writeString(store.resolve("dhcpd.conf"), CheckAndSignalsProcessTest.range("127.0.8.10 127.0.8.20"));
        Inet4Address relay = (Inet4Address) InetAddress.ofLiteral("127.0.0.2");
        try (DatagramSocket relaySocket = CheckAndSignalsProcessTest.boundHighPort(relay)) {
            int port = relaySocket.getLocalPort();
            relaySocket.setSoTimeout(5000);
            int metricsPort = freeMetricsPort(port);
            String url = "http://127.0.0.1:" + metricsPort + "/metrics";
            try (ChildLauncher server = new ChildLauncher("run", "dhcp-server", "--kv", "dir:" + store, "--port",
                    Integer.toString(port), "--client-port", Integer.toString(port + 1), "--http-port", "0",
                    "--metrics", "127.0.0.1:" + metricsPort)) {
                server.awaitLine("dhcp on udp " + port);
                server.awaitLine("metrics at " + url);

                Parsed before = PrometheusParser.scrape(url);
                assertEquals("text/plain; version=0.0.4; charset=utf-8", before.contentType());
                Map<String, Double> expected = watched(before);
                expected.replaceAll((series, value) -> series.equals("free") ? 11.0 : 0.0);
                assertEquals(expected, watched(before)); // every series from boot, at zero; eleven addresses free

                DhcpMessage offer = exchange(relaySocket, port, message(DhcpMessage.DISCOVER, Map.of(), relay), DhcpMessage.OFFER);
                Inet4Address address = offer.yiaddr();
                Inet4Address serverId = offer.address(DhcpMessage.OPT_SERVER_ID).orElseThrow();
                DhcpMessage ack = exchange(relaySocket, port, message(DhcpMessage.REQUEST, Map.of(
                        DhcpMessage.OPT_SERVER_ID, Bytes.adopt(serverId.getAddress()),
                        DhcpMessage.OPT_REQUESTED_IP, Bytes.adopt(address.getAddress())), relay), DhcpMessage.ACK);
                assertEquals(address, ack.yiaddr());

                expected.putAll(Map.of("received discover", 1.0, "received request", 1.0, "sent offer", 1.0, "sent ack", 1.0,
                        "lease granted", 1.0, "bound", 1.0, "free", 10.0));
                assertEquals(expected, watched(PrometheusParser.scrape(url)));
                server.awaitLine("DHCPACK on " + address.getHostAddress() + " to " + CLIENT + " via 127.0.0.2 (new lease, 600 s)");

                assertEquals(0, server.terminate(), server.output());
            }
        }
    }

    private static int freeMetricsPort(int dhcpPort) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(50_000, 60_000);
            if (port != dhcpPort && port != dhcpPort + 1 && HostRunnerProcessTest.free(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port for the metrics endpoint");
    }

    /** A message of the client's, as the relay at {@code relay} forwards it (one hop, giaddr set). */
    private static DhcpMessage message(int type, Map<Integer, Bytes> extra, Inet4Address relay) {
        Map<Integer, Bytes> options = new LinkedHashMap<>();
        options.put(DhcpMessage.OPT_MESSAGE_TYPE, Bytes.of((byte) type));
        options.putAll(extra);
        return new DhcpMessage(DhcpMessage.BOOTREQUEST, 0x1501, 0, ZERO, ZERO, ZERO, CLIENT, options, 1, 0, relay,
                Bytes.EMPTY, Bytes.EMPTY);
    }

    /** Sends {@code request} to the server once (the counters must move by exactly one) and reads its reply. */
    private static DhcpMessage exchange(DatagramSocket relaySocket, int serverPort, DhcpMessage request, int expected) throws IOException {
        byte[] bytes = request.encode().toArray();
        relaySocket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort)));
        DatagramPacket answer = new DatagramPacket(new byte[1500], 1500);
        try {
            relaySocket.receive(answer);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer to message type " + request.messageType().orElse(0));
        }
        if (DhcpMessage.parse(Bytes.of(answer.getData(), 0, answer.getLength())) instanceof Result.Ok<DhcpMessage, ?>(DhcpMessage m)
                && m.messageType().orElse(0) == expected && m.xid() == request.xid()) {
            return m;
        }
        throw new AssertionError("not a reply of type " + expected + " to message type " + request.messageType().orElse(0));
    }
}
