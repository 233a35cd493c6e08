package jmirage.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import jmirage.core.Bytes;

/**
 * The authoritative primary of the certify tests (decision 11): a knotd the test starts on a
 * loopback address of its choosing, serving example.org and accepting updates signed with
 * {@link #KEY_NAME}, so that a test plays the certify role through it: {@link #tlsa} reads the CSR
 * (dig), {@link #publish} adds certificates (nsupdate). Stopped on close.
 */
public final class CertifyPrimary implements AutoCloseable {

    public static final String KEY_NAME = "host._update.example.org";
    /** 32 bytes, base64; a test key. */
    public static final String SECRET = "Y2VydGlmeSB0ZXN0IGtleSwgMzIgYnl0ZXMgbG9uZyE=";
    /** Where the records of www.example.org's certificate live. */
    public static final String RECORDS = "_letsencrypt._tcp.www.example.org.";

    public final String address;
    public final int port;
    private final UnaryOperator<List<String>> where;
    private final Started process;

    /** A knotd on {@code address} port {@code port} with its files under {@code dir}. */
    public CertifyPrimary(Path dir, String address, int port) throws Exception {
        this(dir, address, port, UnaryOperator.identity());
    }

    /**
     * The same, with knotd, dig and nsupdate run through {@code where}: {@code TapLink::exec} runs
     * them in a tap test's network namespace, where {@code address} is the Linux end of the link.
     */
    public CertifyPrimary(Path dir, String address, int port, UnaryOperator<List<String>> where) throws Exception {
        Sh.requireCommand("knotd", "knot");
        Sh.requireCommand("dig", "bind9-dnsutils");
        Sh.requireCommand("nsupdate", "bind9-dnsutils");
        this.address = address;
        this.port = port;
        this.where = where;
        Files.createDirectories(dir.resolve("storage"));
        Files.writeString(dir.resolve("example.org.zone"), """
                $ORIGIN example.org.
                $TTL 300
                @    SOA ns1 hostmaster 1 3600 900 604800 300
                @    NS  ns1
                ns1  A   192.0.2.53
                """);
        Files.writeString(dir.resolve("knot.conf"), KnotConfig.updatable(address, port, dir, KEY_NAME, SECRET,
                Map.of("example.org", dir.resolve("example.org.zone"))));
        process = Command.of(where.apply(List.of("knotd", "-c", dir.resolve("knot.conf").toString()))).start();
        waitFor(Duration.ofSeconds(20), () -> dig("SOA", "example.org.").exit() == 0
                && dig("SOA", "example.org.").out().contains("hostmaster"), "knotd answers on " + port);
    }

    /** The key as {@code --certify-key} takes it. */
    public static String certifyKey() {
        return KEY_NAME + ":sha256:" + SECRET;
    }

    public Ran dig(String type, String name) {
        return Command.of(where.apply(List.of("dig", "@" + address, "-p", String.valueOf(port), "+tcp", "+short", "+time=2",
                "+tries=1", name, type))).run();
    }

    /** The TLSA records at the certify name, as {@code usage selector type} and the data. */
    public List<Tlsa> tlsa() {
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

    public record Tlsa(int usage, int selector, int matching, Bytes data) {}

    /** The CSRs ({@code TLSA 3 255 0}) at the certify name. */
    public List<Tlsa> csrs() {
        return tlsa().stream().filter(t -> t.usage() == 3 && t.selector() == 255).toList();
    }

    /** One signed update adding {@code TLSA usage 0 0 der} records at the certify name. */
    public void publish(List<Tlsa> records) {
        StringBuilder script = new StringBuilder("server " + address + " " + port + "\nzone example.org\n");
        for (Tlsa t : records) {
            script.append("update add ").append(RECORDS).append(" 300 TLSA ").append(t.usage()).append(' ')
                    .append(t.selector()).append(' ').append(t.matching()).append(' ')
                    .append(HexFormat.of().formatHex(t.data().toArray())).append('\n');
        }
        script.append("send\n");
        Ran ran = Command.of(where.apply(List.of("nsupdate", "-v", "-y", "hmac-sha256:" + KEY_NAME + ":" + SECRET)))
                .stdin(script.toString()).run();
        if (ran.exit() != 0) {
            throw new AssertionError("nsupdate: " + ran.output());
        }
    }

    public String log() {
        return process.out() + process.err();
    }

    /** Polls {@code condition} every 200 ms until it holds; fails the test after {@code limit}. */
    public static void waitFor(Duration limit, BooleanSupplier condition, String what) throws Exception {
        Instant end = Instant.now().plus(limit);
        while (Instant.now().isBefore(end)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("waited " + limit + " for: " + what);
        }
    }

    @Override
    public void close() {
        process.stop();
    }
}
