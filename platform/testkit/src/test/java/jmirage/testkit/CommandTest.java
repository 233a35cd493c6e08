package jmirage.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one process runner of the tests: its timeout holds whatever the process does with its pipes. */
class CommandTest {

    @Test
    void aPeerThatHangsIsKilledAtItsTimeout() {
        long start = System.nanoTime();
        Ran ran = Command.of("sleep", "1000").timeout(Duration.ofSeconds(2)).run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(ran.timedOut());
        assertFalse(ran.succeeded());
        assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0 && took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
        AssertionError failure = assertThrows(AssertionError.class, ran::ok);
        assertTrue(failure.getMessage().contains("sleep 1000 timed out"), failure.getMessage());
    }

    @Test
    void theTimeoutKillsTheChildrenThatHoldThePipes() {
        long start = System.nanoTime();
        // the shell waits on a child that inherits stdout: EOF on the pipe never comes by itself
        Ran ran = Command.of("sh", "-c", "sleep 1000 & sleep 1000; wait").timeout(Duration.ofSeconds(2)).run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(ran.timedOut());
        // Without a timeout that holds this takes 1000 s. The kill and the pipes' drain after it take
        // well under a second on an idle machine; 4.3 s was seen with a load of 16 on 2 cores.
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
    }

    @Test
    void stdoutAndStderrAreKeptApartAndDrainedWhileItRuns() {
        // 4 MiB on each pipe: far beyond a pipe's buffer, so a runner that reads one pipe to its end
        // before the other would deadlock against a writer blocked on the other
        String script = "head -c 4194304 /dev/zero | tr '\\0' o; head -c 4194304 /dev/zero | tr '\\0' e >&2;"
                + " head -c 1 /dev/zero | tr '\\0' O; head -c 1 /dev/zero | tr '\\0' E >&2";
        Ran ran = Command.of("sh", "-c", script).timeout(Duration.ofSeconds(20)).run().ok();
        assertEquals(4194305, ran.stdout().length);
        assertEquals(4194305, ran.stderr().length);
        assertTrue(ran.out().chars().allMatch(c -> c == 'o' || c == 'O') && ran.out().endsWith("O"));
        assertTrue(ran.err().chars().allMatch(c -> c == 'e' || c == 'E') && ran.err().endsWith("E"));
    }

    @Test
    void standardInputIsWrittenThenClosed() {
        Ran ran = Command.of("tr", "a-z", "A-Z").stdin("hello, peer\n").run().ok();
        assertEquals("HELLO, PEER\n", ran.out());
        assertEquals("", ran.err());
        assertEquals(0, ran.exit());
    }

    @Test
    void aProcessThatNeverReadsItsInputCannotStallTheTest() {
        long start = System.nanoTime();
        byte[] megabytes = new byte[8 << 20];
        Ran ran = Command.of("sleep", "1000").stdin(megabytes).timeout(Duration.ofSeconds(2)).run();
        assertTrue(ran.timedOut());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0);

        Ran quick = Command.of("true").stdin(megabytes).run();
        assertEquals(0, quick.exit(), quick::describe);
        assertFalse(quick.timedOut());
    }

    @Test
    void theExitStatusEnvironmentAndFolderAreThoseGiven(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("here"), "x");
        Ran ran = Command.of("sh", "-c", "ls; echo \"$PEER_NAME\"; exit 3").env("PEER_NAME", "nsd").in(folder).run();
        assertEquals(3, ran.exit());
        assertEquals("here\nnsd\n", ran.out());
        assertFalse(ran.succeeded());
        assertThrows(AssertionError.class, ran::ok);
    }

    @Test
    void aMissingCommandFailsNamingTheDebianPackage() {
        AssertionError listed = assertThrows(AssertionError.class, () -> Sh.requireCommand("no-such-peer-xyz", "peer-utils"));
        assertTrue(listed.getMessage().contains("no-such-peer-xyz") && listed.getMessage().contains("apt-get install peer-utils"),
                listed.getMessage());
        AssertionError started = assertThrows(AssertionError.class, () -> Command.of("no-such-peer-xyz", "-v").run());
        assertTrue(started.getMessage().contains("`no-such-peer-xyz`, which is not installed"), started.getMessage());
    }

    @Test
    void theDebianPackageOfAMissingCommandIsTheOneTestPeersTxtLists(@TempDir Path folder) throws Exception {
        Path list = Files.writeString(folder.resolve("test-peers.txt"), "# COMMAND PACKAGE\nnsd nsd\nkdig knot-dnsutils\n");
        assertEquals(java.util.Optional.of("knot-dnsutils"), Sh.packageListed("kdig", list));
        assertEquals(java.util.Optional.of("knot-dnsutils"), Sh.packageListed("/usr/bin/kdig", list));
        assertEquals(java.util.Optional.empty(), Sh.packageListed("dig", list));
        // this module's own list names coreutils for sleep
        assertEquals(java.util.Optional.of("coreutils"), Sh.packageListed("sleep", Path.of("test-peers.txt")));
    }

    @Test
    void aStartedPeerIsWatchedThenStoppedWithItsChildren() throws Exception {
        try (Started peer = Command.of("sh", "-c", "echo ready >&2; sleep 1000 & wait").start()) {
            peer.awaitOutput("ready", Duration.ofSeconds(10));
            long child = ProcessHandle.of(peer.pid()).orElseThrow().descendants().findFirst().orElseThrow().pid();
            long start = System.nanoTime();
            Ran ran = peer.stop();
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) < 0);
            assertEquals("ready\n", ran.err());
            assertFalse(peer.isAlive());
            assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the child outlived stop()");
        }
    }

    @Test
    void aHeldStandardInputStaysOpenUntilThePeerIsStopped() throws Exception {
        // cat ends at end of input: held open, it is still there to be stopped
        try (Started cat = Command.of("sh", "-c", "echo reading; cat; echo stdin-closed").holdStdin().start()) {
            cat.awaitOutput("reading", Duration.ofSeconds(10));
            Thread.sleep(300);
            assertTrue(cat.isAlive(), "cat saw end of input");
            assertFalse(cat.out().contains("stdin-closed"));
        }
        Started closed = Command.of("sh", "-c", "cat; echo stdin-closed").start();
        assertEquals("stdin-closed\n", closed.waitFor(Duration.ofSeconds(10)).ok().out());
    }

    @Test
    void awaitingOutputFailsWhenThePeerExitsFirst() {
        Started peer = Command.of("sh", "-c", "echo bind failed >&2; exit 1").start();
        AssertionError failure = assertThrows(AssertionError.class, () -> peer.awaitOutput("ready", Duration.ofSeconds(10)));
        assertTrue(failure.getMessage().contains("bind failed"), failure.getMessage());
        assertArrayEquals(new byte[0], peer.stop().stdout());
    }
}
