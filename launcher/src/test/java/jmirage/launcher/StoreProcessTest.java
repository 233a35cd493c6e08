package jmirage.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 1 and 3, through the launcher in a child JVM: a store an operator can trust. The
 * default store lives under the project folder, never the current one; a mistyped {@code --kv} is
 * refused instead of booting an empty store with the sample data; the boot log says where the store
 * is; two processes never share a store; a check beside the server neither locks nor changes the
 * store; a ref lock left in a git store by a dead writer is removed at boot.
 */
class StoreProcessTest {

    private static final String SERVING_DNS = "(udp and tcp)";

    @TempDir
    Path dir;

    @Test
    void aMissingExplicitStoreIsRefusedAndNotCreated() throws Exception {
        Path typo = dir.resolve("nonexistent/ro");
        try (ChildLauncher dns = new ChildLauncher("run", "dns-authoritative", "--kv", "dir:" + typo, "--port", port())) {
            assertEquals(1, dns.exitStatus(), dns.output());
            dns.awaitLine("dns-authoritative: store dir:" + typo + " does not exist; check the path, or give --kv-init to create it empty");
        }
        assertFalse(Files.exists(dir.resolve("nonexistent")), "nothing created");
    }

    @Test
    void kvInitCreatesTheStoreAndTheBootLogSaysWhereItIs() throws Exception {
        Path store = dir.resolve("dns");
        try (ChildLauncher dns = servingDns("dir:" + store, "--kv-init")) {
            assertTrue(dns.lines().stream().anyMatch(l -> l.endsWith(" info runner: store: dir:" + store + " (created)")), dns.output());
            assertEquals(0, dns.terminate());
        }
        try (ChildLauncher dns = servingDns("dir:" + store)) {
            dns.awaitLine("runner: store: dir:" + store + " (existing)");
            assertEquals(0, dns.terminate());
        }
    }

    @Test
    void theDefaultStoreIsUnderTheProjectFolderAndNotTheCurrentFolder() throws Exception {
        Path project = dir.resolve("project");
        Path elsewhere = dir.resolve("elsewhere");
        Files.createDirectories(project);
        Files.createDirectories(elsewhere);
        try (ChildLauncher dns = new ChildLauncher(inFolderWith(elsewhere, "-Djmirage.home=" + project),
                "run", "dns-authoritative", "--port", port())) {
            dns.awaitLine(SERVING_DNS);
            dns.awaitLine("runner: store: dir:" + project.resolve("var/dns-authoritative") + " (created)");
            assertEquals(0, dns.terminate());
        }
        assertTrue(Files.exists(project.resolve("var/dns-authoritative/example.test")), "the sample zone is in the project's store");
        assertFalse(Files.exists(elsewhere.resolve("var")), "nothing in the current folder");
    }

    @Test
    void withoutAProjectFolderTheStoreMustBeGiven() throws Exception {
        try (ChildLauncher dns = new ChildLauncher(inFolderWith(dir), "run", "dns-authoritative", "--port", port())) {
            assertEquals(1, dns.exitStatus(), dns.output());
            dns.awaitLine("dns-authoritative: dns-authoritative needs a store: give --kv SPEC");
        }
        assertFalse(Files.exists(dir.resolve("var")), "nothing in the current folder");
    }

    @Test
    void aSecondProcessOnTheSameStoreIsRefusedNamingTheHolder() throws Exception {
        Path store = dir.resolve("shared");
        try (ChildLauncher first = servingDns("dir:" + store, "--kv-init")) {
            try (ChildLauncher second = new ChildLauncher("run", "dns-authoritative", "--kv", "dir:" + store, "--port", port())) {
                assertEquals(1, second.exitStatus(), second.output());
                String refusal = second.awaitLine("is in use by");
                assertTrue(refusal.startsWith("dns-authoritative: store dir:" + store + " is in use by pid "
                        + first.process.pid() + " (dns-authoritative, since "), refusal);
                assertTrue(refusal.endsWith("(lock " + store.resolve(".kv-lock") + "); one store serves one process"), refusal);
            }
            assertEquals(0, first.terminate());
        }
        // the lock went with its process: the store is free again
        try (ChildLauncher again = servingDns("dir:" + store)) {
            assertEquals(0, again.terminate());
        }
    }

    /** Decision 19: a named store is locked as the main one is; the second process is refused with one line naming it. */
    @Test
    void aSecondProcessOnTheSameNamedStoreIsRefusedNamingTheHolder() throws Exception {
        Path secrets = dir.resolve("secrets");
        try (ChildLauncher first = new ChildLauncher("run", "canopy", "--kv", "mem", "--store", "secrets=dir:" + secrets,
                "--kv-init", "--listen", "127.23.19.1", "--http-port", port())) {
            first.awaitLine("runner: store secrets: dir:" + secrets + " (created)");
            first.awaitLine("secrets from the secrets store");
            try (ChildLauncher second = new ChildLauncher("run", "canopy", "--kv", "mem", "--store", "secrets=dir:" + secrets,
                    "--listen", "127.23.19.1", "--http-port", port())) {
                assertEquals(1, second.exitStatus(), second.output());
                String refusal = second.awaitLine("is in use by");
                assertTrue(refusal.startsWith("canopy: --store secrets: store dir:" + secrets + " is in use by pid "
                        + first.process.pid() + " (canopy, since "), refusal);
            }
            assertEquals(0, first.terminate());
        }
        try (ChildLauncher again = new ChildLauncher("run", "canopy", "--kv", "mem", "--store", "secrets=dir:" + secrets,
                "--listen", "127.23.19.1", "--http-port", port())) {
            again.awaitLine("runner: store secrets: dir:" + secrets + " (existing)");
            assertEquals(0, again.terminate());
        }
    }

    @Test
    void aStoreWhoseHolderWasKilledIsFreeAtOnce() throws Exception {
        Path store = dir.resolve("killed");
        try (ChildLauncher first = servingDns("dir:" + store, "--kv-init")) {
            first.signal("KILL");
            first.exitStatus();
        }
        assertTrue(Files.exists(store.resolve(".kv-lock")), "kill -9 leaves the lock file, not the lock");
        try (ChildLauncher again = servingDns("dir:" + store)) {
            assertEquals(0, again.terminate());
        }
    }

    @Test
    void aCheckBesideTheRunningServerNeitherLocksNorChangesTheStore() throws Exception {
        Path store = dir.resolve("dhcp");
        Files.createDirectories(store);
        Files.writeString(store.resolve("dhcpd.conf"), CheckAndSignalsProcessTest.range("127.0.5.10 127.0.5.20"));
        int dhcpPort = Integer.parseInt(port());
        try (ChildLauncher server = new ChildLauncher("run", "dhcp-server", "--kv", "dir:" + store, "--port",
                Integer.toString(dhcpPort), "--client-port", Integer.toString(dhcpPort + 1), "--http-port", "0")) {
            server.awaitLine("dhcp on udp " + dhcpPort);
            // what a writer at work has in its temporary folder: an open that recovers would remove it
            Files.writeString(store.resolve(".kv-tmp/0"), "half a value being written");
            Map<Path, String> before = contents(store);
            try (ChildLauncher check = new ChildLauncher("check", "dhcp-server", "--kv", "dir:" + store)) {
                assertEquals(0, check.exitStatus(), check.output());
                check.awaitLine("dhcp-server: store: dir:" + store + " (existing)");
                check.awaitLine("dhcp-server: no problems");
            }
            assertEquals(before, contents(store), "the check changed nothing in the store");
            // a batch in the journal (being written, or cut off): the check says so rather than replay it
            Files.writeString(store.resolve(".kv-journal"), "a batch being written");
            try (ChildLauncher check = new ChildLauncher("check", "dhcp-server", "--kv", "dir:" + store)) {
                assertEquals(1, check.exitStatus(), check.output());
                check.awaitLine("a batch is being written to " + store);
            }
            assertTrue(Files.exists(store.resolve(".kv-journal")));
            Files.delete(store.resolve(".kv-journal"));
            assertEquals(0, server.terminate());
        }
    }

    /**
     * Issue 14: {@code git -C STORE rev-parse main > STORE/refs/heads/main.lock} used to fail every
     * write after a restart with LOCK_FAILURE; now the boot removes it (the store lock is ours) and
     * says so, and an update through nsupdate is committed.
     */
    @Test
    @Tag("peer")
    void aRefLockLeftInAGitStoreIsRemovedAtBootAndWritesWork() throws Exception {
        Path store = dir.resolve("zones.git");
        try (ChildLauncher dns = servingDns("git:" + store, "--kv-init")) {
            dns.awaitLine("runner: store: git:" + store + "#main (created)");
            assertEquals(0, dns.terminate());
        }
        String head = git(store, "rev-parse", "main").out().strip();
        Files.writeString(store.resolve("refs/heads/main.lock"), head + "\n");
        String port = port();
        try (ChildLauncher dns = new ChildLauncher("run", "dns-authoritative", "--kv", "git:" + store, "--port", port)) {
            dns.awaitLine(SERVING_DNS);
            dns.awaitLine("removed " + store.resolve("refs/heads/main.lock") + ", left by a writer of this store that died mid-commit");
            Ran update = Command.of("nsupdate", "-t", "5", "-y",
                            "hmac-sha256:test._update.example.test:" + jmirage.authoritative.store.SampleZone.TEST_SECRET)
                    .stdin("server 127.0.0.1 " + port + "\nzone example.test\nupdate add lock.example.test. 300 TXT \"written\"\nsend\n")
                    .run();
            assertEquals(0, update.exit(), update.describe() + "\n" + dns.output());
            assertEquals(0, dns.terminate());
        }
        assertFalse(Files.exists(store.resolve("refs/heads/main.lock")));
        assertTrue(git(store, "show", "main:example.test").out().contains("written"), "the update is committed");
    }

    /** The remote is the data: a missing git store with a remote is made from it, without --kv-init. */
    @Test
    @Tag("peer")
    void aMissingGitStoreWithARemoteIsCreatedFromTheRemote() throws Exception {
        Path remote = dir.resolve("remote.git");
        Path store = dir.resolve("local.git");
        git(dir, "init", "--bare", "--initial-branch=main", remote.toString());
        Path work = dir.resolve("work");
        git(dir, "clone", remote.toString(), work.toString());
        Files.writeString(work.resolve("example.test"), "$ORIGIN example.test.\n$TTL 300\n"
                + "@ SOA ns1 hostmaster 7 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\nfrom-remote TXT \"yes\"\n");
        git(work, "add", "example.test");
        git(work, "-c", "user.name=t", "-c", "user.email=t@example.test", "commit", "-m", "zone");
        git(work, "push", "origin", "HEAD:main");
        String port = port();
        try (ChildLauncher dns = new ChildLauncher("run", "dns-authoritative", "--kv", "git:" + store + "?remote=" + remote,
                "--port", port)) {
            dns.awaitLine(SERVING_DNS);
            dns.awaitLine("runner: store: git:" + store + "#main, remote " + remote + " (created)");
            assertFalse(dns.output().contains("sample zone"), "the remote's zone, not the sample: " + dns.output());
            assertEquals(0, dns.terminate());
        }
        assertTrue(git(store, "show", "main:example.test").out().contains("from-remote"));
    }

    private static Ran git(Path repo, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Ran ran = Command.of(command).run();
        assertEquals(0, ran.exit(), ran.describe());
        return ran;
    }

    /** A wrapper running the launcher's JVM in {@code folder}, with extra JVM options. */
    private static List<String> inFolderWith(Path folder, String... jvmOptions) {
        return List.of("sh", "-c", "cd '" + folder + "' && exec \"$0\" " + String.join(" ", jvmOptions) + " \"$@\"");
    }

    /** Every file under {@code root} with its content. */
    private static Map<Path, String> contents(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p), Files.readString(p));
            }
        }
        return files;
    }

    /** dns-authoritative run on the store {@code kvSpec} with {@code options} ({@code --kv-init}), once it serves. */
    private static ChildLauncher servingDns(String kvSpec, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "dns-authoritative", "--kv", kvSpec, "--port", port()));
        args.addAll(List.of(options));
        ChildLauncher dns = new ChildLauncher(args.toArray(String[]::new));
        try {
            dns.awaitLine(SERVING_DNS);
        } catch (Exception | AssertionError e) {
            dns.close();
            throw e;
        }
        return dns;
    }

    private static String port() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(41_000, 50_000);
            if (HostRunnerProcessTest.free(port) && HostRunnerProcessTest.free(port + 1)) {
                return Integer.toString(port);
            }
        }
        throw new IOException("no free port");
    }
}
