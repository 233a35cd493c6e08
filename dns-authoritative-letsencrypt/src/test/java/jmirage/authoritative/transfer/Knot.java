package jmirage.authoritative.transfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;

/** A knotd the test starts with its own configuration under a temp dir, on loopback; stopped on close. */
public final class Knot implements AutoCloseable {

    public final Path dir;
    public final String address;
    public final int port;
    private final Started process;

    public Knot(Path dir, int port, String zonesAndKeys) throws Exception {
        this(dir, "127.0.0.1", port, zonesAndKeys);
    }

    /** A knotd listening on {@code address} (a loopback address of the test's own range). */
    public Knot(Path dir, String address, int port, String zonesAndKeys) throws Exception {
        this.dir = dir;
        this.address = address;
        this.port = port;
        Files.createDirectories(dir.resolve("storage"));
        String conf = """
                server:
                    listen: %s@%d
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
                """.formatted(address, port, dir, dir, dir, dir) + zonesAndKeys;
        Files.writeString(dir.resolve("knot.conf"), conf);
        process = Command.of("knotd", "-c", dir.resolve("knot.conf").toString()).start();
        waitFor(Duration.ofSeconds(20), () -> {
            try {
                return Command.of("kdig", "@" + address, "-p", String.valueOf(port), "+time=1", "+retry=0", "version.server",
                        "CH", "TXT").run().exit() == 0;
            } catch (Exception e) {
                return false;
            }
        }, "knotd answers on " + port);
    }

    public Ran knotc(String... args) throws Exception {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "knotc";
        cmd[1] = "-c";
        cmd[2] = dir.resolve("knot.conf").toString();
        cmd[3] = "-b";
        System.arraycopy(args, 0, cmd, 4, args.length);
        return Command.of(cmd).run();
    }

    /** What knotd has logged so far (to stderr, as configured). */
    public String log() {
        return process.out() + process.err();
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
    public void close() {
        process.stop();
    }
}
