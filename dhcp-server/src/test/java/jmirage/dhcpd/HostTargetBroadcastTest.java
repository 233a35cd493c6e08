package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host target: the unikernel on the host's sockets, bound to 0.0.0.0 port 67 (in a child JVM
 * inside a namespace of its own, so the test needs no port of the real host), receives udhcpc's
 * broadcast DISCOVER from 0.0.0.0 over a veth pair and answers by broadcast (SO_BROADCAST), and the
 * client is bound with the configured router and DNS.
 */
class HostTargetBroadcastTest {

    private static final String SUFFIX = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    static final String SERVER_NS = "dhcphs" + SUFFIX;
    static final String CLIENT_NS = "dhcphc" + SUFFIX;
    static final String NET = "10.84." + (1 + ThreadLocalRandom.current().nextInt(250)) + ".";

    @TempDir
    Path dir;
    Process server;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null) {
            server.toHandle().destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        for (String ns : List.of(SERVER_NS, CLIENT_NS)) {
            Sh.run(10, "ip", "netns", "pids", ns).out().lines().forEach(pid -> {
                try {
                    Sh.run(5, "kill", "-9", pid.trim());
                } catch (Exception ignored) {
                    // already gone
                }
            });
            Sh.run(10, "ip", "netns", "del", ns);
        }
    }

    @Test
    void udhcpcGetsALeaseFromTheHostTargetByBroadcast() throws Exception {
        Sh.require("ip", "iproute2");
        Sh.require("udhcpc", "udhcpc");
        Sh.requireRoot();
        Sh.ok(10, "ip", "netns", "add", SERVER_NS);
        Sh.ok(10, "ip", "netns", "add", CLIENT_NS);
        Sh.ok(10, "ip", "-n", SERVER_NS, "link", "add", "vs", "type", "veth", "peer", "name", "vc", "netns", CLIENT_NS);
        Sh.ok(10, "ip", "-n", SERVER_NS, "addr", "add", NET + "1/24", "dev", "vs");
        Sh.ok(10, "ip", "-n", SERVER_NS, "link", "set", "vs", "up");
        Sh.ok(10, "ip", "-n", SERVER_NS, "link", "set", "lo", "up");
        // The host routes limited broadcasts out of the served interface (the operator's setup, see README).
        Sh.ok(10, "ip", "-n", SERVER_NS, "route", "add", "255.255.255.255/32", "dev", "vs");
        Sh.ok(10, "ip", "-n", CLIENT_NS, "link", "set", "vc", "up");
        Files.writeString(dir.resolve("dhcpd.conf"), "option domain-name \"host.test\";\nsubnet " + NET + "0 netmask 255.255.255.0 {\n"
                + "  option routers " + NET + "1;\n  option domain-name-servers " + NET + "1;\n  range " + NET + "50 " + NET + "60;\n}\n");
        Path script = dir.resolve("record.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = bound ] && echo \"$ip $router $dns $domain\" > \"" + dir + "/bound.tmp\" && mv \""
                + dir + "/bound.tmp\" \"" + dir + "/bound\"\nexit 0\n");
        script.toFile().setExecutable(true);

        String java = ProcessHandle.current().info().command().orElse("java");
        server = new ProcessBuilder("ip", "netns", "exec", SERVER_NS, java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HostServer.class.getName(), "0.0.0.0", dir.resolve("kv").toString(),
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

        Sh.Run run = Sh.run(30, "ip", "netns", "exec", CLIENT_NS, "udhcpc", "-i", "vc", "-f", "-q", "-n", "-t", "5", "-T", "1",
                "-s", script.toString());
        assertEquals(0, run.exit(), run.out() + run.err() + Files.readString(dir.resolve("server.log")));
        String[] bound = Files.readString(dir.resolve("bound")).trim().split(" ");
        assertTrue(bound[0].startsWith(NET) && Integer.parseInt(bound[0].substring(NET.length())) >= 50, bound[0]);
        assertEquals(NET + "1", bound[1]);
        assertEquals(NET + "1", bound[2]);
        assertEquals("host.test", bound[3]);
        assertTrue(run.err().contains("broadcasting discover"), run.err());
    }
}
