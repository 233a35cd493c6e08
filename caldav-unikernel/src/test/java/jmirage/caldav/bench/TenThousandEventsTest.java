package jmirage.caldav.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import jmirage.caldav.CalDav;
import jmirage.caldav.ical.ComponentKind;
import jmirage.caldav.store.Collection;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.SyncLog;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's acceptance on the running server: a calendar of 10,000 generated events (a fifth of
 * them recurring, with exclusions and overrides) stored as the server stores them, the unikernel
 * booted on it through its own claim/start (decision 4) on the host target (a loopback address of
 * its own, plain HTTP), and PROPFIND depth 1, a month's calendar-query and a sync-collection from
 * an empty token sent over HTTP: each answer checked (every event listed, exactly the month's
 * events), and each answered in under a second once warm (the median of five, after a warm-up pass).
 */
class TenThousandEventsTest {

    private static final int EVENTS = 10_000;
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password-0123";
    private static final String CALENDAR = "work";
    private static final Duration LIMIT = Duration.ofSeconds(1);

    private final HostScheduler loop = HostScheduler.start("caldav-bench");
    private final HostClock clock = new HostClock();
    private final MemKv kv = new MemKv(clock);
    private final InetAddress address = InetAddress.ofLiteral("127.79." + (1 + ThreadLocalRandom.current().nextInt(250)) + "."
            + (1 + ThreadLocalRandom.current().nextInt(250)));
    private final int httpPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
    private HostStack stack;
    private Unikernel.Running running;

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            OnLoop.await(loop, running::stop);
        }
        if (stack != null) {
            OnLoop.await(loop, stack::close);
        }
        loop.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void propfindMonthQueryAndFirstSyncOfTenThousandEventsEachAnsweredInUnderASecond() throws Exception {
        List<CalendarGenerator.Event> events = CalendarGenerator.generate(EVENTS, 15);
        store(events);
        boot();
        DavClient client = new DavClient(URI.create("http://" + address.getHostAddress() + ":" + httpPort + "/"), USER, PASSWORD);

        CalendarAcceptance.Timings timings = CalendarAcceptance.run(client, "/calendars/" + USER + "/" + CALENDAR + "/", events, 5);

        System.out.println("caldav, " + EVENTS + " events, warm: " + timings.describe());
        assertTrue(timings.propfindMedian().compareTo(LIMIT) < 0, timings::describe);
        assertTrue(timings.queryMedian().compareTo(LIMIT) < 0, timings::describe);
        assertTrue(timings.syncMedian().compareTo(LIMIT) < 0, timings::describe);
    }

    /** The user, the calendar's properties and one .ics per event, in one batch, as the server would have written them. */
    private void store(List<CalendarGenerator.Event> events) throws Exception {
        Instant now = clock.now();
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Set(Layout.HTPASSWD, Bytes.utf8(USER + ":" + Users.hash(PASSWORD, new HostRandom()) + "\n")));
        changes.add(new Change.Set(Layout.properties(USER, CALENDAR), Layout.encodeProperties(new Collection(USER, CALENDAR,
                EnumSet.of(ComponentKind.VEVENT, ComponentKind.VTODO), new TreeMap<>(), new TreeMap<>(), SyncLog.of(new TreeMap<>()),
                now, now))));
        for (CalendarGenerator.Event e : events) {
            changes.add(new Change.Set(Layout.resource(USER, CALENDAR, e.name()), Bytes.of(e.bytes())));
        }
        OnLoop.await(loop, () -> kv.commit(new Batch("bench", "10,000 generated events", changes))).orElseThrow();
    }

    private void boot() throws Exception {
        CalDav caldav = new CalDav();
        CalDav.Parameters p = caldav.parameters();
        p.httpPort = httpPort;
        p.httpsPort = 0;
        stack = new HostStack(loop, address);
        CalDav.Devices devices = new CalDav.Devices(stack, kv, Optional.empty(),
                new RecordingLog("caldav", LogLevel.INFO, clock, r -> {}), clock, loop, new HostRandom(), new Metrics());
        Result<Unikernel.Running, String> started = OnLoop.await(loop, () -> caldav.start(devices, p), Duration.ofSeconds(120));
        running = started.orElseThrow(e -> new IllegalStateException("boot failed: " + e));
    }
}
