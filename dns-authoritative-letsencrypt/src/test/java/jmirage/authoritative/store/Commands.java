package jmirage.authoritative.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer's command line (dig, kdig, nsupdate, git, knotc): its output and exit status. */
public final class Commands {

    private Commands() {}

    public record Ran(int status, String output) {}

    public static Ran run(String stdin, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.toHandle().destroyForcibly();
        }
        assertTrue(ended, "timed out: " + command);
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static Ran run(String... command) throws Exception {
        return run(null, List.of(command));
    }
}
