package jmirage.http;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real peer (curl, wrk, nginx) and captures what it says; fails clearly when it is missing. */
public final class Peers {

    public record Run(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Peers() {}

    public static void require(String command, String debianPackage) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new AssertionError(command + " is not installed: apt-get install " + debianPackage
                + " (listed in platform/http/test-peers.txt; scripts/install-test-peers installs it)");
    }

    public static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = process.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                out[0] = new byte[0];
            }
        });
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        reader.join();
        return new Run(process.exitValue(), out[0], err);
    }
}
