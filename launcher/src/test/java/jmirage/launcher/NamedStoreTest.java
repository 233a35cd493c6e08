package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.DeviceProvider.DeviceUnavailable;
import jmirage.core.LogLevel;
import jmirage.core.kv.Key;
import jmirage.core.kv.Kv;
import jmirage.core.kv.StoreClaim;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostScheduler;
import jmirage.tls.Credentials;
import jmirage.tls.SelfSigned;
import jmirage.tls.x509.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision 19: {@code --store NAME=SPEC}, parsed and checked against the unikernel's claim before
 * anything opens (canopy claims {@code secrets}; echo claims none), listed in the help from the
 * claim, and opened, locked and closed on the host target as {@code --kv} is.
 */
class NamedStoreTest {

    static final StoreClaim SECRETS = new StoreClaim("secrets", "what a test keeps apart", false);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final HostClock clock = new HostClock();
    private final HostScheduler scheduler = HostScheduler.start("named-store-test");

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.shutdown(Duration.ofSeconds(5));
    }

    private int run(String... args) {
        return Main.run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private List<String> refusal(String... args) {
        assertEquals(Main.EXIT_USAGE, run(args), err.toString());
        return err.toString().lines().toList();
    }

    private static CommonParameters common(String... args) {
        var boot = assertInstanceOf(BootCommandLine.Parsed.Boot.class,
                BootCommandLine.parse("run", Catalog.find("canopy").orElseThrow(), List.of(args)));
        return boot.common();
    }

    @Test
    void aClaimedStoreParsesToItsSpecMadeAbsolute() {
        CommonParameters common = common("--kv", "mem", "--store", "secrets=dir:/x");
        assertEquals(Map.of("secrets", new KvSpec.Dir(Path.of("/x"))), NamedStores.checked(common.stores));
        assertEquals(Map.of("secrets", new KvSpec.Dir(Path.of("relative").toAbsolutePath())),
                NamedStores.checked(common("--kv", "mem", "--store=secrets=dir:relative").stores));
    }

    @Test
    void aNameGivenTwiceIsRefused() {
        assertEquals(List.of("canopy: --store secrets= given twice", "try './unikernel run canopy --help'"),
                refusal("run", "canopy", "--kv", "mem", "--store", "secrets=mem", "--store", "secrets=dir:/y"));
    }

    @Test
    void aNameTheUnikernelDoesNotClaimIsRefusedNamingThoseItDoes() {
        assertEquals("canopy: --store other: canopy claims no store named 'other' (it claims secrets)",
                refusal("run", "canopy", "--kv", "mem", "--store", "other=mem").getFirst());
    }

    @Test
    void aUnikernelThatClaimsNoStoreRefusesEvery() {
        assertEquals("echo: --store secrets: echo claims no store named 'secrets' (it claims none)",
                refusal("check", "echo", "--store", "secrets=mem").getFirst());
    }

    @Test
    void aBadSpecOrNoNameIsRefused() {
        assertEquals("canopy: --store secrets 'dir:': dir: needs a folder path",
                refusal("run", "canopy", "--kv", "mem", "--store", "secrets=dir:").getFirst());
        err.getBuffer().setLength(0);
        assertEquals("canopy: --store 'dir:/x': expected NAME=SPEC, NAME in lower-case letters, digits and inner hyphens",
                refusal("run", "canopy", "--kv", "mem", "--store", "dir:/x").getFirst());
        err.getBuffer().setLength(0);
        assertTrue(refusal("run", "canopy", "--kv", "mem", "--store", "Secrets=mem").getFirst()
                .startsWith("canopy: --store 'Secrets=mem': expected NAME=SPEC"), err.toString());
    }

    @Test
    void theMainStoreCannotBeANamedOneToo() {
        assertEquals("canopy: --store secrets: dir:/srv/site is the store of --kv too; give each its own",
                refusal("run", "canopy", "--kv", "dir:/srv/site", "--store", "secrets=dir:/srv/site/").getFirst());
    }

    @Test
    void helpListsTheStoresTheClaimTakesAndOnlyThen() {
        assertEquals(0, run("run", "canopy", "--help"));
        String canopy = out.toString();
        int heading = canopy.indexOf("Stores canopy claims (--store NAME=SPEC):");
        assertTrue(heading > canopy.indexOf("--store=NAME=SPEC"), canopy);
        assertTrue(canopy.indexOf("--store=secrets=SPEC", heading) > heading, canopy);
        assertTrue(canopy.indexOf("Parameters of canopy:") > canopy.indexOf("--store=secrets=SPEC"), canopy);
        assertTrue(canopy.replaceAll("\\s+", " ").contains("Optional. The webhook secret"), canopy);
        out.getBuffer().setLength(0);
        assertEquals(0, run("run", "echo", "--help"));
        assertFalse(out.toString().contains("--store"), out.toString());
    }

    @Test
    void aNamedStoreIsOpenedLockedAndClosedAsTheMainOne() throws Exception {
        Path store = dir.resolve("secrets");
        CommonParameters common = common("--kv", "mem", "--store", "secrets=dir:" + store, "--kv-init");
        HostTarget.Devices first = new HostTarget.Devices("canopy", common, InetAddress.getLoopbackAddress(), clock, scheduler);
        Kv kv = first.store(SECRETS).orElseThrow();
        HostTarget.onLoop(scheduler, () -> kv.set(Key.of("webhook_secret"), Bytes.utf8("s3cret")));
        assertTrue(Files.readString(store.resolve(".kv-lock")).startsWith(ProcessHandle.current().pid() + " "), "the lock names us");
        assertEquals(Optional.of(kv), first.store(SECRETS), "one store per name, opened once");

        HostTarget.Devices second = new HostTarget.Devices("canopy", common, InetAddress.getLoopbackAddress(), clock, scheduler);
        DeviceUnavailable refused = assertThrows(DeviceUnavailable.class, () -> second.store(SECRETS));
        assertTrue(refused.getMessage().startsWith("--store secrets: store dir:" + store + " is in use by pid "
                + ProcessHandle.current().pid()), refused.getMessage());

        HostTarget.onLoop(scheduler, () -> first.close(ConsoleLog.create("test", LogLevel.WARN, clock)));
        Kv again = second.store(SECRETS).orElseThrow();
        assertEquals(Bytes.utf8("s3cret"), HostTarget.onLoop(scheduler, () -> again.get(Key.of("webhook_secret"))).orElseThrow());
        HostTarget.onLoop(scheduler, () -> second.close(ConsoleLog.create("test", LogLevel.WARN, clock)));
    }

    @Test
    void aStoreNotGivenIsEmptyWhenOptionalAndRefusesTheBootWhenRequired() {
        CommonParameters common = common("--kv", "mem");
        HostTarget.Devices devices = new HostTarget.Devices("canopy", common, InetAddress.getLoopbackAddress(), clock, scheduler);
        assertEquals(Optional.empty(), devices.store(SECRETS));
        DeviceUnavailable refused = assertThrows(DeviceUnavailable.class,
                () -> devices.store(new StoreClaim("vault", "the keys it signs with", true)));
        assertEquals("canopy needs the store 'vault' (the keys it signs with): give --store vault=SPEC", refused.getMessage());
    }

    @Test
    void aMissingNamedStoreIsRefusedAndNotCreatedWithoutKvInit() {
        Path store = dir.resolve("typo");
        HostTarget.Devices devices = new HostTarget.Devices("canopy", common("--kv", "mem", "--store", "secrets=dir:" + store),
                InetAddress.getLoopbackAddress(), clock, scheduler);
        DeviceUnavailable refused = assertThrows(DeviceUnavailable.class, () -> devices.store(SECRETS));
        assertEquals("--store secrets: store dir:" + store + " does not exist; check the path, or give --kv-init to create it empty",
                refused.getMessage());
        assertFalse(Files.exists(store));
    }

    /** {@code check} reads the named stores the unikernel claims, read-only and unlocked, as it reads --kv. */
    @Test
    void theCheckReadsTheSecretsStoreAndNotTheContentsPair() throws Exception {
        Path content = dir.resolve("content");
        Path secrets = dir.resolve("secrets");
        Files.createDirectories(content.resolve("tls"));
        Files.createDirectories(secrets);
        Credentials pair = SelfSigned.make(new jmirage.host.HostRandom(), clock.now(), List.of("www.example.org"));
        Files.writeString(content.resolve("tls/server.pem"), Pem.certificates(pair.chain()));
        Files.writeString(content.resolve("tls/server.key"), Pem.privateKey(pair.key()));
        Files.writeString(content.resolve("about.md"), "---\ntitle: About\n---\n");
        Files.createDirectories(content.resolve(".config"));
        Files.writeString(content.resolve(".config/root"), "https://blog.example");
        String[] check = {"check", "canopy", "--kv", "dir:" + content, "--store", "secrets=dir:" + secrets, "--https-port", "8443"};
        assertEquals(CheckCommand.EXIT_PROBLEMS, run(check), out + "\n" + err);
        assertTrue(err.toString().contains("--https-port: HTTPS needs tls/server.pem and tls/server.key (PEM) in the secrets store"),
                err.toString());
        assertTrue(out.toString().contains("canopy: store secrets: dir:" + secrets + " (existing)"), out.toString());

        Files.move(content.resolve("tls"), secrets.resolve("tls"));
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(0, run(check), out + "\n" + err);
        assertFalse(Files.exists(secrets.resolve(".kv-lock")), "a check takes no lock");
    }
}
