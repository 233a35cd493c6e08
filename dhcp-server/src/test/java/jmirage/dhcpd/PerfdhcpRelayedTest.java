package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kea's perfdhcp, which speaks as a relay agent (giaddr = its address), against the host target in
 * a namespace of the test's own: every DORA exchange completes, with no duplicate address and no
 * rejected lease, and nothing is dropped.
 */
class PerfdhcpRelayedTest {

    private static final String SUFFIX = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    static final String NS = "dhcpp" + SUFFIX;

    @TempDir
    Path dir;
    Process server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.toHandle().destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        Sh.run(10, "ip", "netns", "pids", NS).out().lines().forEach(pid -> {
            try {
                Sh.run(5, "kill", "-9", pid.trim());
            } catch (Exception ignored) {
                // already gone
            }
        });
        Sh.run(10, "ip", "netns", "del", NS);
    }

    @Test
    void perfdhcpCompletesEveryRelayedExchange() throws Exception {
        Sh.require("ip", "iproute2");
        Sh.require("perfdhcp", "kea-admin");
        Sh.requireRoot();
        Sh.ok(10, "ip", "netns", "add", NS);
        Sh.ok(10, "ip", "-n", NS, "link", "set", "lo", "up");
        Sh.ok(10, "ip", "-n", NS, "addr", "add", "10.85.0.1/16", "dev", "lo");
        Sh.ok(10, "ip", "-n", NS, "addr", "add", "10.85.0.2/16", "dev", "lo");
        Files.writeString(dir.resolve("dhcpd.conf"), "subnet 10.85.0.0 netmask 255.255.0.0 {\n  option routers 10.85.0.1;\n"
                + "  range 10.85.1.0 10.85.9.255;\n}\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        server = new ProcessBuilder("ip", "netns", "exec", NS, java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HostServer.class.getName(), "10.85.0.1", dir.resolve("kv").toString(),
                dir.resolve("dhcpd.conf").toString()).redirectError(dir.resolve("server.log").toFile()).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("READY")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new AssertionError("server exited: " + Files.readString(dir.resolve("server.log"))));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        });
        ready.get(60, TimeUnit.SECONDS);

        // 400 exchanges at 200/s, 1000 distinct clients, waiting 3 s after the last for the stragglers.
        Sh.Run run = Sh.run(60, "ip", "netns", "exec", NS, "perfdhcp", "-4", "-l", "10.85.0.2", "-r", "200", "-n", "400",
                "-R", "1000", "-W", "3000000", "10.85.0.1");
        String out = run.out() + run.err();
        List<Long> sent = numbers(out, "sent packets: (\\d+)");
        List<Long> received = numbers(out, "received packets: (\\d+)");
        assertEquals(2, sent.size(), out);
        assertEquals(400, sent.get(0), out);
        assertEquals(sent.get(0), received.get(0), "every DISCOVER offered: " + out);
        assertEquals(sent.get(1), received.get(1), "every REQUEST acked: " + out);
        assertTrue(numbers(out, "non unique addresses: (\\d+)").stream().allMatch(n -> n == 0), out);
        assertTrue(numbers(out, "rejected leases: (\\d+)").stream().allMatch(n -> n == 0), out);
    }

    private static List<Long> numbers(String text, String regex) {
        List<Long> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(Long.parseLong(m.group(1)));
        }
        return found;
    }
}
