package jmirage.kv.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.KvError;
import jmirage.kv.WriterOutput;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import jmirage.testkit.Command;
import jmirage.testkit.Ran;
import jmirage.testkit.Started;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A git store never wedges when its writer dies: a child JVM ({@link GitKvKillWriter}) commits in a
 * loop and is killed with SIGKILL at random points of its commits, 30 times on one repository;
 * after each kill the lock files it may have left are removed ({@link StaleLocks}, as the launcher
 * does holding the store lock), the store opens, holds every commit it acknowledged (and at most
 * the one in flight), and the next writer commits on top.
 */
class GitKvKillTest {

    private static final int ROUNDS = 30;
    private static final long SEED = 20261206L;

    @TempDir
    Path folder;

    final List<LogRecord> logged = new ArrayList<>();

    @Test
    void aWriterKilledAtAnyPointOfACommitLeavesAStoreThatOpensWithEveryAcknowledgedCommit() throws Exception {
        Path repo = folder.resolve("store.git");
        Random random = new Random(SEED);
        int next = 0; // batches in the store
        int locksLeft = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int afterBatch = random.nextInt(6);
            long delayMillis = random.nextInt(25);
            Started writer = Command.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                    GitKvKillWriter.class.getName(), repo.toString(), Integer.toString(next)).start();
            if (!WriterOutput.awaitCommitted(writer, afterBatch, Duration.ofSeconds(60))) {
                fail("round " + round + ": the writer did not get going: " + writer.kill().describe());
            }
            Thread.sleep(delayMillis);
            if (!writer.isAlive()) {
                fail("round " + round + ": the writer died on its own: " + writer.kill().describe());
            }
            Ran killed = writer.kill(); // SIGKILL
            int acknowledged = acknowledgedSince(next, killed.out());
            String context = "round " + round + " (seed " + SEED + ", " + delayMillis + " ms after " + afterBatch
                    + " batches; store held " + next + ", " + acknowledged + " acknowledged)";

            Result<List<Path>, KvError> removed = StaleLocks.remove(repo);
            locksLeft += removed.orElseThrow().size();
            SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
            GitKv kv = open(repo, scheduler);
            int last = Integer.parseInt(get(kv, scheduler, "last"));
            assertTrue(last == acknowledged - 1 || last == acknowledged, context + ": the store's last batch is " + last);
            for (int i = 0; i <= last; i++) {
                assertEquals("value " + i, get(kv, scheduler, GitKvKillWriter.key(i).toString()), context + ": batch " + i);
            }
            scheduler.runUntil(kv.close());
            next = last + 1;
        }
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        GitKv kv = open(repo, scheduler);
        assertTrue(scheduler.runUntil(kv.commit(GitKvKillWriter.batch(next))).value().isOk(), "a commit after the last kill");
        assertEquals("value " + next, get(kv, scheduler, GitKvKillWriter.key(next).toString()));
        scheduler.runUntil(kv.close());
        assertTrue(next >= ROUNDS, "the writers got " + next + " batches in; lock files left by kills: " + locksLeft);
    }

    @Test
    void aRefLockPlantedAsTheIssueSaysWedgesCommitsUntilRemovedAtOpen() throws Exception {
        Path repo = folder.resolve("planted.git");
        SimScheduler scheduler = new SimScheduler(new VirtualClock(VirtualClock.DEFAULT_START));
        GitKv kv = open(repo, scheduler);
        assertTrue(scheduler.runUntil(kv.commit(GitKvKillWriter.batch(0))).value().isOk());
        scheduler.runUntil(kv.close());
        // git -C STORE rev-parse main > STORE/refs/heads/main.lock
        try (Repository git = new FileRepositoryBuilder().setGitDir(repo.toFile()).setMustExist(true).build()) {
            Files.writeString(repo.resolve("refs/heads/main.lock"), git.resolve("main").name() + "\n");
        }

        GitKv wedged = open(repo, scheduler);
        Result<Unit, KvError> refused = scheduler.runUntil(wedged.commit(GitKvKillWriter.batch(1))).value();
        assertInstanceOf(KvError.Storage.class, ((Result.Err<Unit, KvError>) refused).error(), "the lock blocks commits");
        scheduler.runUntil(wedged.close());

        assertEquals(List.of(repo.resolve("refs/heads/main.lock")), StaleLocks.remove(repo).orElseThrow());
        assertFalse(Files.exists(repo.resolve("refs/heads/main.lock")));
        GitKv recovered = open(repo, scheduler);
        assertTrue(scheduler.runUntil(recovered.commit(GitKvKillWriter.batch(1))).value().isOk());
        assertEquals("1", get(recovered, scheduler, "last"));
        scheduler.runUntil(recovered.close());
        assertEquals(List.of(), StaleLocks.remove(repo).orElseThrow(), "nothing left to remove");
    }

    private GitKv open(Path repo, SimScheduler scheduler) {
        RecordingLog log = new RecordingLog("kv", LogLevel.DEBUG, scheduler.clock(), logged::add);
        return scheduler.runUntil(GitKv.open(GitKv.Options.local(repo), scheduler, scheduler.clock(), log)).value().orElseThrow();
    }

    private static String get(GitKv kv, SimScheduler scheduler, String key) {
        return scheduler.runUntil(kv.get(jmirage.core.kv.Key.of(key))).value().orElseThrow().toUtf8();
    }

    /** How many batches the store holds for sure: those before this writer's first, and those it reported. */
    private static int acknowledgedSince(int first, String stdout) {
        int last = WriterOutput.lastCommitted(stdout);
        return last < 0 ? first : last + 1;
    }
}
