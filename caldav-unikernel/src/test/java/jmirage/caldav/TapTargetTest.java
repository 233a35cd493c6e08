package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.TapDevice;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same unikernel on the tap target: platform/net's DirectStack on a TAP device with its own
 * MAC and 10.82.N.2; curl runs in a network namespace holding the Linux side (10.82.N.1) and talks
 * HTTPS, trusting only the certificate the first boot stored. As root.
 */
@Tag("peer")
@Tag("root")
class TapTargetTest {

    private static final TapLink LINK = TapLink.random("cal", "calns", "10.82");
    private static final Pattern PASSWORD = Pattern.compile("with password (\\S+) ");
    private static final int HTTPS_PORT = 8443;

    private static final HostScheduler loop = HostScheduler.start("caldav-tap-test");
    private static final HostClock clock = new HostClock();
    private static final MemKv kv = new MemKv(clock);
    private static final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private static TapDevice tap;
    private static DirectStack stack;
    private static Unikernel.Running running;

    @TempDir
    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        Sh.requireCommand("curl", "curl");
        Sh.requireRootNetworking();
        LINK.create();
        HostRandom random = new HostRandom();
        RecordingLog log = new RecordingLog("caldav", LogLevel.DEBUG, clock, records::add);
        tap = TapDevice.open(LINK.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
        LINK.adoptTap();
        stack = OnLoop.await(loop, () -> DirectStack.start(tap, new Ipv4Config.Static(LINK.ourPrefix(), Optional.empty()), clock, loop,
                random, log)).orElseThrow();
        CalDav caldav = new CalDav();
        CalDav.Parameters p = caldav.parameters();
        p.httpsPort = HTTPS_PORT;
        CalDav.Devices devices = new CalDav.Devices(stack, kv, Optional.empty(), log, clock, loop, random, new Metrics());
        running = OnLoop.await(loop, () -> caldav.start(devices, p)).orElseThrow(e -> new IllegalStateException("boot failed: " + e));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (running != null) {
                OnLoop.await(loop, running::stop);
            }
            if (stack != null) {
                OnLoop.await(loop, stack::close);
            }
            if (tap != null) {
                OnLoop.await(loop, tap::close);
            }
            loop.shutdown(Duration.ofSeconds(5));
        } finally {
            LINK.delete();
        }
    }

    @Test
    void curlInTheNamespacePutsAndGetsOverHttps() throws Exception {
        String password = records.stream().map(LogRecord::message).map(PASSWORD::matcher).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElseThrow();
        Path ca = folder.resolve("server.pem");
        Files.write(ca, OnLoop.await(loop, () -> kv.get(Layout.TLS_CERTIFICATE)).orElseThrow().toArray());
        Path event = folder.resolve("event.ics");
        Files.writeString(event, SimTargetTest.EVENT);
        String url = "https://localhost:" + HTTPS_PORT + "/calendars/admin/calendar/tap-1.ics";
        List<String> curl = List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.toString(),
                "--resolve", "localhost:" + HTTPS_PORT + ":" + LINK.ourIp());

        Ran anonymous = run(curl, "-o", "/dev/null", "-w", "%{http_code}", url);
        assertEquals("401", anonymous.ok().out());
        Ran put = run(curl, "-o", "/dev/null", "-w", "%{http_code}", "-u", FirstUser.USER + ":" + password, "-T", event.toString(), url);
        assertEquals("201", put.ok().out(), put.describe());
        assertEquals(SimTargetTest.EVENT, run(curl, "-u", FirstUser.USER + ":" + password, url).ok().out());
    }

    private static Ran run(List<String> curl, String... more) {
        List<String> argv = new java.util.ArrayList<>(curl);
        argv.addAll(List.of(more));
        return Command.of(LINK.exec(argv.toArray(String[]::new))).timeout(Duration.ofSeconds(30)).run();
    }
}
