package jmirage.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands for the tests that build network namespaces and TAP interfaces (as root). */
final class Sh {

    private Sh() {}

    record Outcome(int status, String output) {}

    static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Outcome(-1, "timed out: " + command);
        }
        return new Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Runs {@code command}, failing with its output when it exits non-zero. */
    static String ok(String... command) throws IOException, InterruptedException {
        Outcome o = run(List.of(command), 30);
        if (o.status() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + o.status() + ": " + o.output());
        }
        return o.output();
    }

    /** Fails with a clear message unless we are root with /dev/net/tun and `ip` (tests never skip silently). */
    static void requireRootNetworking() throws IOException, InterruptedException {
        Outcome id = run(List.of("id", "-u"), 10);
        if (!id.output().trim().equals("0")) {
            throw new AssertionError("the TAP tests build network namespaces and need root (uid 0); running as uid "
                    + id.output().trim());
        }
        if (!java.nio.file.Files.exists(java.nio.file.Path.of("/dev/net/tun"))) {
            throw new AssertionError("the TAP tests need /dev/net/tun (the tun kernel module)");
        }
        requireCommand("ip", "iproute2");
    }

    static void requireCommand(String command, String debianPackage) throws IOException, InterruptedException {
        if (run(List.of("sh", "-c", "command -v " + command), 10).status() != 0) {
            throw new AssertionError("this test needs `" + command + "` (Debian package " + debianPackage
                    + "; scripts/install-test-peers installs it)");
        }
    }
}
