package jmirage.dhcpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real peers (dhclient, udhcpc, dhcpcd, ip) and fails clearly when one is missing. */
final class Sh {

    record Run(int exit, String out, String err) {}

    private Sh() {}

    static void require(String command, String debianPackage) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new AssertionError(command + " is not installed: apt-get install " + debianPackage
                + " (listed in dhcp-server/test-peers.txt)");
    }

    static void requireRoot() throws Exception {
        assertEquals("0", run(30, "id", "-u").out().trim(), "the tap tests build network namespaces and TAP interfaces: run them as root");
    }

    static Run run(int timeoutSeconds, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        String[] out = new String[1];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                out[0] = "";
            }
        });
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + err);
        }
        reader.join();
        return new Run(process.exitValue(), out[0], err);
    }

    /** Runs and asserts exit status 0. */
    static Run ok(int timeoutSeconds, String... command) throws Exception {
        Run r = run(timeoutSeconds, command);
        assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.out() + r.err());
        return r;
    }
}
