package jmirage.launcher.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import jmirage.acme.json.Json;
import jmirage.acme.json.JsonParser;
import jmirage.acme.json.JsonWriter;
import jmirage.authoritative.AuthoritativeDns;
import jmirage.core.Unikernel;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./unikernel image dns-authoritative --format oci}: the layout of the build's own jars
 * (launcher/target, so this runs after {@code package}), built twice to the same bytes, unpacked by
 * umoci into a runtime bundle and run by runc, without a daemon, on the host's network at
 * 127.18.3.2, as uid 65532, from the AOT cache; dig gets the sample zone's answer from it. Measured:
 * 82 s on a two-core machine under a load of 12 when the dir image must be built first (jlink and
 * its training run), 35 s when it exists.
 */
@Tag("peer")
@Tag("image")
class OciImageTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String UNIKERNEL = "dns-authoritative";
    static final String TRAINING = "127.18.3.1";
    static final String ADDRESS = "127.18.3.2";
    static final String PORT = "5353";
    static final String EXERCISE = "127.18.3.3";

    /** The jars of the image that the training's exercise does not reach, with what reaches them ({@link JarUse}). */
    static final Map<String, String> REACHES_ELSEWHERE = withEchos(Map.of(
            "org.eclipse.jgit", "--kv git:PATH, the git store (platform/kv); the exercise boots with --kv mem",
            "JavaEWAH", "declared by JGit (--kv git:)",
            "commons-codec", "declared by JGit (--kv git:)",
            "tls", "--acme-directory: the ACME client's HTTPS to Let's Encrypt (platform/acme); the exercise boots without it",
            "bcpkix-jdk18on", "tls and acme (--acme-directory): certificate requests and X.509",
            "bctls-jdk18on", "tls (--acme-directory): Bouncy Castle's TLS engine",
            "bcutil-jdk18on", "declared by bcpkix and bctls (--acme-directory)",
            "bcprov-jdk18on", "DNSSEC (a zone signed online: platform/dns's SigningKey, Dnssec) and tls, acme"
                    + " (--acme-directory); TSIG's HMACs are the JDK's, so the sample zone's boot loads none"));

    /** What the launcher brings to every image and echo's exercise does not reach either ({@link DirImageTest}). */
    private static Map<String, String> withEchos(Map<String, String> own) {
        Map<String, String> all = new TreeMap<>(DirImageTest.ECHO_REACHES_ELSEWHERE);
        all.putAll(own);
        return Map.copyOf(all);
    }

    @TempDir
    Path temp;

    @Test
    void theOciImageOfTheDnsServerIsReproducibleRunsUnderRuncAsNonRootAndAnswersDig() throws Exception {
        Path layout = build();
        // The layout's /app is the dir image: only jars the DNS server uses (decision 15).
        JarUse.assertEveryJarUsed(ROOT.resolve("target/images").resolve(UNIKERNEL).resolve("dir"), UNIKERNEL, EXERCISE,
                Files.createDirectories(temp.resolve("jar-use")), REACHES_ELSEWHERE);
        SortedMap<String, String> first = sums(layout);
        assertTrue(Files.isRegularFile(layout.resolve("oci-layout")) && Files.isRegularFile(layout.resolve("index.json")));
        assertEquals(first, sums(build()), "a second build of the layout differs");

        Path bundle = temp.resolve("bundle");
        Command.of("umoci", "unpack", "--image", layout + ":" + OciImage.TAG, bundle.toString())
                .timeout(Duration.ofSeconds(60)).run().ok();
        runOnTheHostsNetwork(bundle.resolve("config.json"));

        String id = "jmirage-oci-test-" + ProcessHandle.current().pid();
        try (Started container = Command.of("runc", "run", "--bundle", bundle.toString(), id)
                .timeout(Duration.ofSeconds(60)).start()) {
            container.awaitOutput("on port " + PORT + " (udp and tcp)", Duration.ofSeconds(30));
            Ran dig = Command.of("dig", "@" + ADDRESS, "-p", PORT, "+short", "+tries=1", "+time=5", "www.example.test", "A")
                    .run();
            assertEquals(0, dig.exit(), dig.describe());
            // www is a CNAME of web, of host (the sample zone), whose A record is 192.0.2.80
            assertTrue(dig.out().lines().toList().contains("192.0.2.80"), dig.out());

            Ran state = Command.of("runc", "state", id).run().ok();
            long pid = ((Json.Num) ((Json.Obj) JsonParser.parse(state.out()).orElseThrow(e -> new IllegalStateException(e.describe())))
                    .get("pid").orElseThrow()).asLong().orElseThrow();
            String uid = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertEquals(List.of("Uid:", "65532", "65532", "65532", "65532"), List.of(uid.split("\\s+")));

            Command.of("runc", "kill", id, "TERM").run().ok();
            Ran stopped = container.waitFor(Duration.ofSeconds(20));
            assertEquals(0, stopped.exit(), stopped.describe());
        } finally {
            Command.of("runc", "delete", "--force", id).run();
        }
    }

    private static Path build() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = ImageCommand.run(List.of(UNIKERNEL, "--format", "oci", "--train-on", TRAINING),
                name -> name.equals(UNIKERNEL) ? Optional.<Unikernel<?, ?>>of(new AuthoritativeDns()) : Optional.empty(), ROOT,
                Path.of(System.getProperty("java.home")), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, out + "\n" + err);
        return ROOT.resolve("target/images").resolve(UNIKERNEL).resolve("oci");
    }

    /** Every file of the layout by its path, with its SHA-256. */
    private static SortedMap<String, String> sums(Path layout) throws IOException {
        SortedMap<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(layout)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                var sha = TarLayer.sha256();
                sha.update(Files.readAllBytes(file));
                sums.put(layout.relativize(file).toString(), TarLayer.hex(sha));
            }
        }
        return sums;
    }

    /**
     * umoci's bundle runs the image's entry point in new namespaces, network included, on a terminal.
     * Here: no terminal, the host's network namespace (so that dig reaches it on loopback), and the
     * boot parameters after the entry point: the test address, a high port and a memory store (empty,
     * so the server seeds its sample zone); the JVM must use the image's AOT cache.
     */
    private static void runOnTheHostsNetwork(Path config) throws IOException {
        Json.Obj bundle = (Json.Obj) JsonParser.parse(Files.readString(config)).orElseThrow(e -> new IllegalStateException(e.describe()));
        Json.Obj process = bundle.object("process").orElseThrow();
        List<Json> args = new ArrayList<>(process.array("args").orElseThrow());
        for (String parameter : List.of("--listen", ADDRESS, "--port", PORT, "--kv", "mem")) {
            args.add(new Json.Str(parameter));
        }
        assertEquals(new Json.Str("/app/bin/" + UNIKERNEL), args.getFirst());
        // -XX:AOTMode=on: the JVM refuses to start unless the AOT cache, recorded under target/images, maps from /app
        List<Json> env = new ArrayList<>(process.array("env").orElseThrow());
        env.add(new Json.Str("JMIRAGE_JAVA_OPTS=-XX:AOTMode=on"));
        process = with(with(with(process, "terminal", new Json.Bool(false)), "args", new Json.Arr(args)), "env",
                new Json.Arr(env));
        Json.Obj linux = bundle.object("linux").orElseThrow();
        List<Json> namespaces = linux.array("namespaces").orElseThrow().stream()
                .filter(n -> !((Json.Obj) n).string("type").orElseThrow().equals("network")).toList();
        linux = with(linux, "namespaces", new Json.Arr(namespaces));
        Files.writeString(config, JsonWriter.write(with(with(bundle, "process", process), "linux", linux)));
    }

    private static Json.Obj with(Json.Obj object, String name, Json value) {
        Map<String, Json> members = new LinkedHashMap<>(object.members());
        members.put(name, value);
        return new Json.Obj(members);
    }
}
