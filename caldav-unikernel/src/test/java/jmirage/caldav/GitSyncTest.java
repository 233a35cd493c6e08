package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.core.Bytes;
import jmirage.core.Cancellable;
import jmirage.core.LogLevel;
import jmirage.core.Promise;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.kv.KvError;
import jmirage.core.kv.KvSync;
import jmirage.core.metrics.Metrics;
import jmirage.net.DirectStack;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/**
 * With a store that synchronises (KvSync, a git remote in production; here a stand-in that counts
 * and can fail): pulls every --pull-interval, a push after a change, a change made under the server
 * served at once, and a failing remote logged once while serving goes on.
 */
class GitSyncTest {

    /** A remote that counts pulls and pushes, fails while told to, and tells of external changes when asked. */
    static final class Remote implements KvSync {
        int pulls;
        int pushes;
        boolean failing;
        /** Pushes never end (a remote that hangs). */
        boolean hanging;
        final List<Runnable> listeners = new ArrayList<>();

        @Override
        public Promise<Result<Unit, KvError>> pull() {
            pulls++;
            return Promise.resolved(failing ? Result.err(new KvError.Storage("remote unreachable (test)")) : Result.ok());
        }

        @Override
        public Promise<Result<Unit, KvError>> push() {
            pushes++;
            if (hanging) {
                return Promise.pending();
            }
            return Promise.resolved(failing ? Result.err(new KvError.Storage("remote unreachable (test)")) : Result.ok());
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

    @Test
    void pullsPushesAndServesWhatChangedUnderIt() {
        SimCalDav cal = new SimCalDav(13, VirtualSwitch.Conditions.PERFECT);
        Remote remote = new Remote();
        DirectStack serverStack = cal.stack(2);
        CalDav caldav = new CalDav();
        CalDav.Parameters p = caldav.parameters();
        p.httpPort = SimCalDav.HTTP_PORT;
        p.pullIntervalSeconds = 30;
        CalDav.Devices devices = new CalDav.Devices(serverStack, cal.kv, Optional.of(remote), cal.sim.log("caldav", LogLevel.DEBUG),
                cal.sim.clock(), cal.sim.scheduler(), cal.sim.random(), new Metrics());
        Unikernel.Running running = cal.sim.await(caldav.start(devices, p)).orElseThrow();
        DirectStack client = cal.stack(3);
        String auth = SimCalDav.basic(FirstUser.USER, cal.printedPasswords().getFirst());

        cal.sim.await(cal.sim.scheduler().sleep(Duration.ofSeconds(61)));
        assertEquals(2, remote.pulls, "one pull each 30 s");

        assertEquals(201, cal.send(client, SimCalDav.request("PUT", "/calendars/admin/calendar/a.ics", auth, SimTargetTest.EVENT)).status());
        assertEquals(1, remote.pushes, "a push after the change");

        // someone edits the repository: an event appears in the store, and the KvSync says so
        String other = SimTargetTest.EVENT.replace("sim-1@jmirage", "from-git@jmirage");
        cal.sim.await(cal.kv.set(Layout.resource("admin", "calendar", "from-git.ics"), Bytes.utf8(other))).orElseThrow();
        assertEquals(404, cal.send(client, SimCalDav.request("GET", "/calendars/admin/calendar/from-git.ics", auth, "")).status(),
                "not served before the store is read again");
        remote.listeners.forEach(Runnable::run);
        cal.sim.await(cal.sim.scheduler().sleep(Duration.ofSeconds(1)));
        assertEquals(other, cal.send(client, SimCalDav.request("GET", "/calendars/admin/calendar/from-git.ics", auth, "")).bytes().toUtf8());

        remote.failing = true;
        cal.sim.await(cal.sim.scheduler().sleep(Duration.ofSeconds(90)));
        long failureLines = cal.sim.records().stream().filter(r -> r.level() == LogLevel.WARN && r.message().startsWith("git pull failed")).count();
        assertEquals(1, failureLines, "three failed pulls, one warning:" + cal.logText());
        assertEquals(200, cal.send(client, SimCalDav.request("GET", "/calendars/admin/calendar/a.ics", auth, "")).status(), "serving on");
        remote.failing = false;
        cal.sim.await(cal.sim.scheduler().sleep(Duration.ofSeconds(30)));
        assertTrue(cal.sim.records().stream().anyMatch(r -> r.message().equals("git pull works again")), cal.logText());
        cal.sim.await(running.stop());
        int pulls = remote.pulls;
        cal.sim.await(cal.sim.scheduler().sleep(Duration.ofSeconds(120)));
        assertEquals(pulls, remote.pulls, "no pull after stop");
    }

    @Test
    void aCleanStopPushesAndWaitsForTheRemoteAtMostFiveSeconds() {
        SimCalDav cal = new SimCalDav(14, VirtualSwitch.Conditions.PERFECT);
        Remote remote = new Remote();
        CalDav caldav = new CalDav();
        CalDav.Parameters p = caldav.parameters();
        p.httpPort = SimCalDav.HTTP_PORT;
        p.pullIntervalSeconds = 0;
        CalDav.Devices devices = new CalDav.Devices(cal.stack(2), cal.kv, Optional.of(remote), cal.sim.log("caldav", LogLevel.DEBUG),
                cal.sim.clock(), cal.sim.scheduler(), cal.sim.random(), new Metrics());
        Unikernel.Running running = cal.sim.await(caldav.start(devices, p)).orElseThrow();
        DirectStack client = cal.stack(3);
        String auth = SimCalDav.basic(FirstUser.USER, cal.printedPasswords().getFirst());
        assertEquals(201, cal.send(client, SimCalDav.request("PUT", "/calendars/admin/calendar/a.ics", auth, SimTargetTest.EVENT)).status());

        remote.hanging = true;
        int before = remote.pushes;
        java.time.Instant stopping = cal.sim.clock().now();
        cal.sim.await(running.stop());
        assertEquals(before + 1, remote.pushes, "a push at stop");
        assertEquals(5, Duration.between(stopping, cal.sim.clock().now()).toSeconds(), "then at most the wait");
        assertTrue(cal.sim.records().stream().anyMatch(r -> r.level() == LogLevel.WARN
                && r.message().startsWith("stopping: the git push did not end within 5 s")), cal.logText());
        assertTrue(cal.sim.await(cal.kv.exists(Layout.resource("admin", "calendar", ".sync-history"))).orElseThrow().isPresent(),
                "the sync history written before the push");
    }
}
