package jmirage.authoritative.transfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import jmirage.authoritative.store.Commands;

/** A knotd the test starts with its own configuration under a temp dir, on loopback; stopped on close. */
public final class Knot implements AutoCloseable {

    public final Path dir;
    public final int port;
    private final Process process;

    public Knot(Path dir, int port, String zonesAndKeys) throws Exception {
        this.dir = dir;
        this.port = port;
        Files.createDirectories(dir.resolve("storage"));
        String conf = """
                server:
                    listen: 127.0.0.1@%d
                    rundir: %s
                control:
                    listen: %s/knot.sock
                log:
                  - target: stderr
                    any: info
                database:
                    storage: %s/storage
                template:
                  - id: default
                    storage: %s/storage
                    zonefile-load: difference-no-serial
                    journal-content: all
                """.formatted(port, dir, dir, dir, dir) + zonesAndKeys;
        Files.writeString(dir.resolve("knot.conf"), conf);
        process = new ProcessBuilder("knotd", "-c", dir.resolve("knot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("knot.log").toFile()).start();
        waitFor(Duration.ofSeconds(20), () -> {
            try {
                return Commands.run("kdig", "@127.0.0.1", "-p", String.valueOf(port), "+time=1", "+retry=0", "version.server",
                        "CH", "TXT").status() == 0;
            } catch (Exception e) {
                return false;
            }
        }, "knotd answers on " + port);
    }

    public Commands.Ran knotc(String... args) throws Exception {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "knotc";
        cmd[1] = "-c";
        cmd[2] = dir.resolve("knot.conf").toString();
        cmd[3] = "-b";
        System.arraycopy(args, 0, cmd, 4, args.length);
        return Commands.run(cmd);
    }

    public String log() throws Exception {
        return Files.readString(dir.resolve("knot.log"));
    }

    public static void waitFor(Duration limit, BooleanSupplier condition, String what) throws Exception {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        assertTrue(condition.getAsBoolean(), "waited " + limit + " for: " + what);
    }

    @Override
    public void close() throws Exception {
        process.toHandle().destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.toHandle().destroyForcibly();
        }
    }
}
