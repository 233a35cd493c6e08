package jmirage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs host commands for the tests that talk to real peers and build network namespaces and TAP
 * interfaces (as root). A missing peer fails the test with the Debian package to install: tests
 * never skip silently.
 */
public final class Sh {

    private Sh() {}

    /** How a command ended: its exit status (-1 when it timed out and was killed) and its output (stdout and stderr). */
    public record Outcome(int status, String output) {}

    /** Runs {@code command}, reading its output as it comes (a full pipe cannot stall it), killing it after the timeout. */
    public static Outcome run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, "", timeoutSeconds);
    }

    /** As {@link #run(List, long)}, with {@code input} written to the command's standard input (then closed). */
    public static Outcome run(List<String> command, String input, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closedEarly) {
            // the command exited without reading all of its input: its status and output tell why
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            // toHandle(): Process.destroyForcibly would close our end of its output first
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.toHandle().destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            return new Outcome(-1, "timed out after " + timeoutSeconds + " s: " + command + "\n" + output.getNow(""));
        }
        return new Outcome(p.exitValue(), output.join());
    }

    /** Runs {@code command} (30 s at most), failing with its output when it exits non-zero; returns the output. */
    public static String ok(String... command) throws IOException, InterruptedException {
        Outcome o = run(List.of(command), 30);
        if (o.status() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + o.status() + ": " + o.output());
        }
        return o.output();
    }

    /** Runs {@code command} ignoring how it ends: for clean-up that may find nothing to clean. */
    public static void quietly(String... command) {
        try {
            run(List.of(command), 30);
        } catch (IOException e) {
            // nothing to clean up, or no such command: either way nothing is left behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails with a clear message unless we are root with /dev/net/tun and `ip`. */
    public static void requireRootNetworking() throws IOException, InterruptedException {
        Outcome id = run(List.of("id", "-u"), 10);
        if (!id.output().trim().equals("0")) {
            throw new AssertionError("this test builds network namespaces and TAP interfaces and needs root (uid 0); running as uid "
                    + id.output().trim());
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new AssertionError("this test needs /dev/net/tun (the tun kernel module)");
        }
        requireCommand("ip", "iproute2");
    }

    /** Fails unless {@code command} is on the PATH, naming the Debian package that has it. */
    public static void requireCommand(String command, String debianPackage) throws IOException, InterruptedException {
        if (run(List.of("sh", "-c", "command -v " + command), 10).status() != 0) {
            throw new AssertionError("this test needs `" + command + "` (Debian package " + debianPackage
                    + "; scripts/install-test-peers installs it)");
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
