package jmirage.canopy.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.canopy.content.Snapshot;
import jmirage.canopy.render.Site;
import jmirage.canopy.render.SiteBuilder;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unit;
import jmirage.core.kv.Key;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.kv.MemKv;
import jmirage.sim.SeededRandom;
import jmirage.sim.SimScheduler;
import jmirage.sim.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Refreshes coalesce (decision 0016): however many are asked while one runs, one more follows, so a
 * flood of webhooks costs at most two pulls and builds; a failed pull keeps the site; the change our
 * own pull announces is not read twice. On the simulation's loop, with a remote whose pulls the test
 * settles by hand.
 */
class RefreshTest {

    private final VirtualClock clock = new VirtualClock(VirtualClock.DEFAULT_START);
    private final SimScheduler loop = new SimScheduler(clock);
    private final MemKv kv = new MemKv(clock);
    private final List<LogRecord> records = new ArrayList<>();
    private final Remote remote = new Remote();
    private final CanopyShell shell;

    /** A remote whose pulls wait for the test; each announces a change, as GitKv's do when they bring commits. */
    static final class Remote implements KvSync {
        final List<Promise<Result<Unit, KvError>>> pulls = new ArrayList<>();
        final List<Runnable> listeners = new ArrayList<>();

        @Override
        public Promise<Result<Unit, KvError>> pull() {
            Promise<Result<Unit, KvError>> p = Promise.pending();
            pulls.add(p);
            return p;
        }

        void settle(int pull, Result<Unit, KvError> result) {
            if (result.isOk()) {
                listeners.forEach(Runnable::run);
            }
            pulls.get(pull).resolve(result);
        }

        @Override
        public Promise<Result<Unit, KvError>> push() {
            return Promise.resolved(Result.ok());
        }

        @Override
        public boolean unpushed() {
            return false;
        }

        @Override
        public boolean hasRemote() {
            return true;
        }

        @Override
        public Cancellable onExternalChange(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }

    RefreshTest() {
        Snapshot empty = new Snapshot(java.util.Map.of(), java.util.Map.of());
        // The stack is never used: the test drives refreshes, it opens no listener.
        shell = new CanopyShell(new CanopyShell.Devices(null, kv, Optional.of(remote), Optional.empty(),
                new RecordingLog("canopy", LogLevel.DEBUG, clock, records::add), clock, loop, new SeededRandom(1), new Metrics(),
                Optional.empty()), new CanopyShell.Settings(8080, 0, Duration.ZERO, false), empty, Secrets.of(empty), SiteBuilder.build(empty, SiteBuilder.Renderings.NONE));
        remote.onExternalChange(shell::externalChange); // as open() does
    }

    private void write(String path, String text) {
        loop.runUntil(kv.set(Key.of(path), Bytes.utf8(text))).value().orElseThrow();
    }

    @Test
    void aFloodOfRefreshesCostsTwoPulls() {
        for (int i = 0; i < 100; i++) {
            shell.refresh("the webhook", true);
        }
        loop.runUntilIdle(10_000);
        assertEquals(1, remote.pulls.size(), "one pull in flight");
        write("posts/a.md", "---\ntitle: A\n---\n");
        remote.settle(0, Result.ok());
        loop.runUntilIdle(10_000);
        assertEquals(2, remote.pulls.size(), "the 99 others became one");
        assertTrue(shell.site().lookup("/posts/a") instanceof Site.Answer.Found);
        remote.settle(1, Result.ok());
        loop.runUntilIdle(10_000);
        assertEquals(2, remote.pulls.size(), "nothing more queued");
        assertEquals(1, records.stream().filter(r -> r.message().startsWith("site rebuilt")).count(),
                "the second pull brought nothing new: no second build");
    }

    @Test
    void theChangeOurOwnPullAnnouncesIsNotReadAgain() {
        shell.refresh("the webhook", true);
        loop.runUntilIdle(10_000);
        write("posts/a.md", "---\ntitle: A\n---\n");
        remote.settle(0, Result.ok());
        loop.runUntilIdle(10_000);
        assertTrue(shell.site().lookup("/posts/a") instanceof Site.Answer.Found);
        assertEquals(List.of(), records.stream().map(LogRecord::message).filter(m -> m.contains("the content is unchanged")).toList(),
                "one read of the store, not a second for the pull's own announcement");
    }

    @Test
    void aFailedPullKeepsTheSiteAndIsLoggedOnce() {
        Site before = shell.site();
        write("posts/a.md", "---\ntitle: A\n---\n");
        for (int pull = 0; pull < 3; pull++) {
            shell.refresh("the timer", true);
            loop.runUntilIdle(10_000);
            remote.settle(pull, Result.err(new KvError.Storage("remote unreachable")));
            loop.runUntilIdle(10_000);
        }
        assertSame(before, shell.site());
        assertEquals(1, records.stream().filter(r -> r.message().startsWith("git pull after the timer failed")).count());
        shell.refresh("the timer", true);
        loop.runUntilIdle(10_000);
        remote.settle(3, Result.ok());
        loop.runUntilIdle(10_000);
        assertTrue(records.stream().anyMatch(r -> r.message().equals("git pull works again")));
        assertTrue(shell.site().lookup("/posts/a") instanceof Site.Answer.Found);
    }

    @Test
    void aChangeFromOutsideIsReadWithoutAPull() {
        write("posts/b.md", "---\ntitle: B\n---\n");
        remote.listeners.forEach(Runnable::run);
        loop.runUntilIdle(10_000);
        assertEquals(0, remote.pulls.size());
        assertTrue(shell.site().lookup("/posts/b") instanceof Site.Answer.Found);
    }

    @Test
    void sighupIsARefreshWithAPull() {
        write("posts/c.md", "---\ntitle: C\n---\n");
        assertTrue(loop.runUntil(shell.reload()).value().isOk());
        loop.runUntilIdle(10_000);
        assertEquals(1, remote.pulls.size());
        remote.settle(0, Result.ok());
        loop.runUntilIdle(10_000);
        assertTrue(shell.site().lookup("/posts/c") instanceof Site.Answer.Found);
    }
}
