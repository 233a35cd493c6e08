package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unikernel on the tap target in a child JVM, killed with SIGKILL right after dhclient got its
 * lease; a second instance on the same store (a dir Kv) gives a new client another address and
 * ACKs the first client's INIT-REBOOT: the lease written before the ACK survived.
 */
class KillNineTapTest {

    private static final String SUFFIX = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    static final String TAP = "dhk" + SUFFIX;
    static final String NS = "dhcpk" + SUFFIX;
    static final String NET = "10.83." + (1 + ThreadLocalRandom.current().nextInt(250)) + ".";

    @TempDir
    Path dir;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : children) {
            p.toHandle().destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Sh.run(10, "ip", "netns", "pids", NS).out().lines().forEach(pid -> {
            try {
                Sh.run(5, "kill", "-9", pid.trim());
            } catch (Exception ignored) {
                // already gone
            }
        });
        Sh.run(10, "ip", "netns", "del", NS);
        Sh.run(10, "ip", "link", "del", TAP);
    }

    /** Starts the unikernel in a child JVM; returns once it serves, with the TAP moved into the namespace. */
    private Process serve(String clientMac) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TapServer.class.getName(), TAP, NET + "1/24", dir.resolve("kv").toString(), dir.resolve("dhcpd.conf").toString())
                .redirectError(dir.resolve("server-" + children.size() + ".log").toFile()).start();
        children.add(p);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("READY")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new AssertionError("server exited: " + Files.readString(dir.resolve("server-0.log"))));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        });
        ready.get(60, TimeUnit.SECONDS);
        Sh.ok(10, "ip", "link", "set", TAP, "netns", NS);
        Sh.ok(10, "ip", "-n", NS, "link", "set", TAP, "address", clientMac);
        Sh.ok(10, "ip", "-n", NS, "link", "set", TAP, "up");
        return p;
    }

    @Test
    void aSecondInstanceAfterKillNineHonoursTheGrantedLease() throws Exception {
        Sh.require("ip", "iproute2");
        Sh.require("dhclient", "isc-dhcp-client");
        Sh.require("udhcpc", "udhcpc");
        Sh.requireRoot();
        Files.writeString(dir.resolve("dhcpd.conf"), "default-lease-time 3600;\nsubnet " + NET + "0 netmask 255.255.255.0 {\n"
                + "  option routers " + NET + "1;\n  range " + NET + "100 " + NET + "110;\n}\n");
        Path script = dir.resolve("record.sh");
        Files.writeString(script, "#!/bin/sh\necho \"${reason:-$1} ${new_ip_address:-$ip}\" >> \"" + dir + "/events\"\nexit 0\n");
        script.toFile().setExecutable(true);
        String[] dhclient = {"ip", "netns", "exec", NS, "dhclient", "-4", "-1", "-sf", script.toString(),
            "-lf", dir.resolve("dhclient.leases").toString(), "-pf", dir.resolve("dhclient.pid").toString(), "-cf", "/dev/null", TAP};
        Sh.ok(10, "ip", "netns", "add", NS);

        Process first = serve("02:aa:bb:cc:01:01");
        Sh.ok(30, dhclient);
        Sh.ok(10, "kill", Files.readString(dir.resolve("dhclient.pid")).trim());
        String granted = lastEvent("BOUND");
        first.toHandle().destroyForcibly(); // SIGKILL: no stop, no flush
        assertTrue(first.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, first.exitValue(), "killed by SIGKILL");

        serve("02:aa:bb:cc:01:02");
        Sh.ok(30, "ip", "netns", "exec", NS, "udhcpc", "-i", TAP, "-f", "-q", "-n", "-t", "5", "-T", "1", "-s", script.toString());
        String other = lastEvent("bound");
        assertNotEquals(granted, other, "the restarted server gave a live lease to a second client");

        Sh.ok(10, "ip", "-n", NS, "addr", "flush", "dev", TAP);
        Sh.ok(10, "ip", "-n", NS, "link", "set", TAP, "address", "02:aa:bb:cc:01:01");
        Sh.ok(30, dhclient);
        Sh.ok(10, "kill", Files.readString(dir.resolve("dhclient.pid")).trim());
        assertEquals(granted, lastEvent("REBOOT"), "INIT-REBOOT after the restart is ACKed with the same address");
    }

    private String lastEvent(String reason) throws Exception {
        List<String> events = Files.readAllLines(dir.resolve("events"));
        return events.stream().filter(e -> e.startsWith(reason + " ")).reduce((a, b) -> b)
                .map(e -> e.substring(reason.length() + 1))
                .orElseThrow(() -> new AssertionError("no " + reason + " in " + events));
    }
}
