package jmirage.authoritative;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real peer (dig, kdig, nsd, knotd) and captures what it says; fails clearly when it is missing. */
public final class Peers {

    public record Run(int exit, String stdout, String stderr) {}

    private Peers() {}

    public static void require(String command, String debianPackage) {
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
                + " (listed in dns-authoritative-letsencrypt/test-peers.txt)");
    }

    /** The executable's path, looking in the sbin directories too (nsd and knotd live there). */
    public static String path(String command) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command).toString();
            }
        }
        return command;
    }

    public static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).start();
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
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        reader.join();
        return new Run(process.exitValue(), out[0], err);
    }
}
