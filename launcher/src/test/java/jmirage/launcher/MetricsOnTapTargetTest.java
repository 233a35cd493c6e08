package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import jmirage.launcher.PrometheusParser.Parsed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics PORT} on the tap target: echo in a child JVM on a TAP interface inside a network
 * namespace this test creates, with its own address 10.83.N.2; the scrape, the health check and the
 * traffic come from the Linux end of the TAP (10.83.N.1) in that namespace. As root.
 */
@Tag("root")
@Tag("peer")
class MetricsOnTapTargetTest {

    private static final TapLink LINK = TapLink.random("jmm", "jmmetrics", "10.83");
    private static final String TAP = LINK.tap();
    private static final String OUR_IP = LINK.ourIp();
    private static final List<String> IN_NAMESPACE = LINK.exec();

    @BeforeEach
    void createTheNamespaceAndTap() throws Exception {
        Sh.requireRootNetworking();
        LINK.create();
        LINK.namespace().ip("link", "set", "lo", "up");
        // the TAP is made inside the namespace: the unikernel (a child JVM there) attaches to it
        LINK.namespace().ip("tuntap", "add", "dev", TAP, "mode", "tap");
        LINK.namespace().ip("addr", "add", LINK.linuxIp() + "/24", "dev", TAP);
        LINK.namespace().ip("link", "set", TAP, "up");
    }

    @AfterEach
    void removeThem() throws Exception {
        LINK.delete();
    }

    /** Runs {@code command} with {@code input} on its standard input; its standard output, or an assertion error. */
    private static String run(List<String> command, String input) throws IOException, InterruptedException {
        return Command.of(command).stdin(input).run().ok().out();
    }

    @Test
    void echoOnTheTapTargetServesMetricsAndHealthAtItsOwnAddress() throws Exception {
        try (ChildLauncher child = new ChildLauncher(IN_NAMESPACE, "run", "echo", "--target", "tap", "--tap", TAP,
                "--ipv4", OUR_IP + "/24", "--port-base", "17000", "--metrics", "9100")) {
            child.awaitLine("serving echo on 17007");
            child.awaitLine("metrics at http://" + OUR_IP + ":9100/metrics");
            String url = "http://" + OUR_IP + ":9100";

            Parsed before = PrometheusParser.scrape(IN_NAMESPACE, url + "/metrics");
            assertEquals(1.0, before.value("jmirage_build_info", Map.of("unikernel", "echo", "version", Version.current())));
            assertEquals(0.0, before.value("jmirage_echo_connections_total", Map.of("service", "echo")));
            Map<String, String> framesIn = Map.of("device", TAP, "direction", "in");
            Map<String, String> framesOut = Map.of("device", TAP, "direction", "out");
            double inBefore = before.value("jmirage_tap_frames_total", framesIn);
            double outBefore = before.value("jmirage_tap_frames_total", framesOut);

            assertEquals("hello over tap\n", run(LINK.exec("socat", "-t", "5", "-", "TCP:" + OUR_IP + ":17007"), "hello over tap\n"));

            Map<String, String> echoTcp = Map.of("service", "echo", "protocol", "tcp");
            Parsed after = PrometheusParser.scrape(IN_NAMESPACE, url + "/metrics");
            for (int attempt = 0; attempt < 50 && after.value("jmirage_echo_sent_bytes_total", echoTcp) < 15; attempt++) {
                Thread.sleep(100);
                after = PrometheusParser.scrape(IN_NAMESPACE, url + "/metrics");
            }
            assertEquals(1.0, after.value("jmirage_echo_connections_total", Map.of("service", "echo")));
            assertEquals(15.0, after.value("jmirage_echo_received_bytes_total", echoTcp));
            assertEquals(15.0, after.value("jmirage_echo_sent_bytes_total", echoTcp));
            // The handshake, the data and the close went through the TAP both ways (at least 4 frames each way:
            // SYN, data, FIN, ACK in; SYN-ACK, data, FIN, ACK out), besides the scrapes' own.
            double framesInMoved = after.value("jmirage_tap_frames_total", framesIn) - inBefore;
            double framesOutMoved = after.value("jmirage_tap_frames_total", framesOut) - outBefore;
            assertTrue(framesInMoved >= 4 && framesOutMoved >= 4, "frames in " + framesInMoved + ", out " + framesOutMoved);
            assertTrue(after.value("jmirage_tap_bytes_total", framesIn) - before.value("jmirage_tap_bytes_total", framesIn)
                    >= 4 * 54 + 15, "bytes in");

            assertEquals("200 ok\n\n", run(LINK.exec(PrometheusParser.PYTHON, "-c",
                    "import urllib.request as u; r = u.urlopen('" + url + "/health', timeout=10);"
                            + " print(r.status, r.read().decode())"), ""));

            assertEquals(0, child.terminate());
        }
    }
}
