package jmirage.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BooleanSupplier;
import jmirage.core.Bytes;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;

/**
 * The authoritative primary of the peer tests: a knotd the test starts on loopback (127.17.3.1),
 * serving example.org and accepting updates signed with {@link #KEY_NAME}. The test plays the
 * certify role through it: dig reads the CSR, nsupdate publishes certificates.
 */
final class KnotPrimary implements AutoCloseable {

    static final String ADDRESS = "127.17.3.1";
    static final String KEY_NAME = "host._update.example.org";
    /** 32 bytes, base64; a test key. */
    static final String SECRET = "Y2VydGlmeSB0ZXN0IGtleSwgMzIgYnl0ZXMgbG9uZyE=";
    static final String RECORDS = "_letsencrypt._tcp.www.example.org.";

    final int port;
    private final Started process;

    KnotPrimary(Path dir, int port) throws Exception {
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        this.port = port;
        Files.createDirectories(dir.resolve("storage"));
        Files.writeString(dir.resolve("example.org.zone"), """
                $ORIGIN example.org.
                $TTL 300
                @    SOA ns1 hostmaster 1 3600 900 604800 300
                @    NS  ns1
                ns1  A   127.17.3.1
                www  A   127.17.3.2
                """);
        Files.writeString(dir.resolve("knot.conf"), """
                server:
                    listen: %s@%d
                    rundir: %s
                log:
                  - target: stderr
                    any: info
                database:
                    storage: %s/storage
                key:
                  - id: %s
                    algorithm: hmac-sha256
                    secret: %s
                acl:
                  - id: update
                    key: %s
                    action: update
                template:
                  - id: default
                    storage: %s/storage
                    zonefile-sync: -1
                    journal-content: all
                zone:
                  - domain: example.org
                    file: %s/example.org.zone
                    acl: update
                """.formatted(ADDRESS, port, dir, dir, KEY_NAME, SECRET, KEY_NAME, dir, dir));
        process = Command.of("knotd", "-c", dir.resolve("knot.conf").toString()).start();
        waitFor(Duration.ofSeconds(20), () -> dig("SOA", "example.org.").exit() == 0
                && dig("SOA", "example.org.").out().contains("hostmaster"), "knotd answers on " + port);
    }

    String certifyKey() {
        return KEY_NAME + ":sha256:" + SECRET;
    }

    Ran dig(String type, String name) {
        return Command.of("dig", "@" + ADDRESS, "-p", String.valueOf(port), "+tcp", "+short", "+time=2", "+tries=1",
                name, type).run();
    }

    /** The TLSA records at the certify name, as {@code usage selector type} and the data. */
    List<Tlsa> tlsa() {
        List<Tlsa> out = new ArrayList<>();
        for (String line : dig("TLSA", RECORDS).out().split("\n")) {
            String[] f = line.trim().split("\\s+", 4);
            if (f.length == 4) {
                out.add(new Tlsa(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Bytes.adopt(HexFormat.of().parseHex(f[3].replaceAll("\\s", "").toLowerCase()))));
            }
        }
        return out;
    }

    record Tlsa(int usage, int selector, int matching, Bytes data) {}

    /** One signed update adding {@code TLSA usage 0 0 der} records at the certify name. */
    void publish(List<Tlsa> records) {
        StringBuilder script = new StringBuilder("server " + ADDRESS + " " + port + "\nzone example.org\n");
        for (Tlsa t : records) {
            script.append("update add ").append(RECORDS).append(" 300 TLSA ").append(t.usage()).append(' ')
                    .append(t.selector()).append(' ').append(t.matching()).append(' ')
                    .append(HexFormat.of().formatHex(t.data().toArray())).append('\n');
        }
        script.append("send\n");
        Ran ran = Command.of("nsupdate", "-v", "-y", "hmac-sha256:" + KEY_NAME + ":" + SECRET).stdin(script.toString()).run();
        assertEquals(0, ran.exit(), () -> "nsupdate: " + ran.output());
    }

    String log() {
        return process.out() + process.err();
    }

    static void waitFor(Duration limit, BooleanSupplier condition, String what) throws Exception {
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
