package jmirage.kv.git;

import static jmirage.kv.git.GitRemoteInteropTest.git;
import static jmirage.kv.git.GitRemoteInteropTest.pushInto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.testkit.Command;
import jmirage.testkit.Sh;
import jmirage.testkit.Started;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code ssh://} remote with a key: a real OpenSSH server (Debian package openssh-server) on a
 * loopback port, started and stopped by the test, serving a bare repository; the key is the only
 * way in, and a wrong key is refused.
 */
@Tag("peer")
class GitSshInteropTest {

    @TempDir
    Path dir;

    private final SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
    private Started sshd;
    private int port;
    private Path key;
    private Path remote;

    @BeforeEach
    void sshServer() throws Exception {
        Sh.requireCommand("sshd", "openssh-server");
        Path client = Files.createDirectories(dir.resolve("client"));
        key = client.resolve("id_ed25519");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        Files.copy(client.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String[] hostKey = Files.readString(dir.resolve("host_key.pub")).trim().split(" ");
        Files.writeString(client.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + hostKey[0] + " " + hostKey[1] + "\n");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"), "PidFile " + dir.resolve("sshd.pid"),
                "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password", "PubkeyAuthentication yes", "") );
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        // -e: the log goes to stderr, which Started keeps
        sshd = Command.of("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline || !sshd.isAlive()) {
                    fail("sshd did not start: " + sshd.err());
                }
                Thread.sleep(50);
            }
        }
        remote = dir.resolve("remote.git");
        git(dir, "init", "--bare", "-q", "-b", "main", remote.toString());
    }

    @AfterEach
    void stop() {
        if (sshd != null) {
            sshd.stop();
        }
    }

    private String url() {
        return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port + remote;
    }

    private GitKv open(String name, Path withKey) {
        RecordingLog log = new RecordingLog(name, LogLevel.DEBUG, scheduler.clock(), r -> {});
        GitKv.Options options = new GitKv.Options(dir.resolve(name), "main", Optional.of(url()), Duration.ofMinutes(1),
                Optional.of(withKey));
        return scheduler.runUntil(GitKv.open(options, scheduler, scheduler.clock(), log)).value().orElseThrow();
    }

    private <T> Result<T, KvError> await(Promise<Result<T, KvError>> p) {
        return scheduler.runUntil(p).value();
    }

    @Test
    void pushesAndPullsOverSshWithTheKey() throws Exception {
        GitKv kv = open("local.git", key);
        await(kv.commit(new Batch("alice via caldav", "PUT over ssh",
                List.of(new Change.Set(Key.of("x"), Bytes.utf8("over ssh")))))).orElseThrow();
        await(kv.push()).orElseThrow();
        assertEquals("alice via caldav|PUT over ssh", git(dir, "--git-dir", remote.toString(), "log", "--format=%an|%s", "main"));

        pushInto(dir, remote, "work", "y", "from outside");
        await(kv.pull()).orElseThrow();
        assertEquals("from outside", await(kv.get(Key.of("y"))).orElseThrow().toUtf8());
        scheduler.runUntil(kv.close());
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other")).resolve("id_ed25519");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        Files.copy(key.resolveSibling("known_hosts"), other.resolveSibling("known_hosts"));
        GitKv kv = open("local.git", other);
        await(kv.commit(new Batch("a", "m", List.of(new Change.Set(Key.of("x"), Bytes.utf8("1")))))).orElseThrow();
        Result<jmirage.core.Unit, KvError> pushed = await(kv.push());
        assertInstanceOf(Result.Err.class, pushed);
        String sshdLog = sshd.err();
        assertTrue(sshdLog.contains("authenticating user") && sshdLog.contains("preauth"), "refused by sshd: " + sshdLog);
        assertTrue(kv.unpushed());
        assertEquals("", git(dir, "--git-dir", remote.toString(), "log", "--all", "--format=%s"));
        scheduler.runUntil(kv.close());
    }

    private void run(String... command) {
        Command.of(command).run().ok();
    }
}
