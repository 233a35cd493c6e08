package jmirage.caldav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jmirage.caldav.shell.FirstUser;
import jmirage.caldav.store.Layout;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.metrics.Metrics;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.Command;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Ran;
import jmirage.testkit.Sh;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unikernel on the host target (HostStack on a loopback address of its own), booted through
 * its own claim/start (decision 4), with curl as the client: over HTTP and over HTTPS checked
 * against the self-signed certificate the first boot stored.
 */
@Tag("peer")
class HostTargetTest {

    private static final Pattern PASSWORD = Pattern.compile("with password (\\S+) ");

    private final HostScheduler loop = HostScheduler.start("caldav-test");
    private final HostClock clock = new HostClock();
    private final MemKv kv = new MemKv(clock);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final InetAddress address = InetAddress.ofLiteral("127.78." + (1 + ThreadLocalRandom.current().nextInt(250)) + "."
            + (1 + ThreadLocalRandom.current().nextInt(250)));
    private final int httpPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
    private final int httpsPort = httpPort + 1;
    private HostStack stack;
    private Unikernel.Running running;
    private String password;

    @TempDir
    Path folder;

    @BeforeEach
    void boot() throws Exception {
        Sh.requireCommand("curl", "curl");
        CalDav caldav = new CalDav();
        CalDav.Parameters p = caldav.parameters();
        p.httpPort = httpPort;
        p.httpsPort = httpsPort;
        stack = new HostStack(loop, address);
        CalDav.Devices devices = new CalDav.Devices(stack, kv, Optional.empty(), new RecordingLog("caldav", LogLevel.DEBUG, clock,
                records::add), clock, loop, new HostRandom(), new Metrics());
        Result<Unikernel.Running, String> started = OnLoop.await(loop, () -> caldav.start(devices, p));
        running = started.orElseThrow(e -> new IllegalStateException("boot failed: " + e));
        password = records.stream().map(LogRecord::message).map(PASSWORD::matcher).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElseThrow();
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            OnLoop.await(loop, running::stop);
        }
        OnLoop.await(loop, stack::close);
        loop.shutdown(java.time.Duration.ofSeconds(5));
    }

    private String http(String path) {
        return "http://" + address.getHostAddress() + ":" + httpPort + path;
    }

    private Ran curl(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        argv.addAll(List.of(args));
        return Command.of(argv).run();
    }

    @Test
    void putThenGetWithThePrintedPasswordAnd401WithoutIt() throws Exception {
        String user = FirstUser.USER + ":" + password;
        Path event = folder.resolve("event.ics");
        Files.writeString(event, SimTargetTest.EVENT);
        String href = "/calendars/admin/calendar/host-1.ics";

        assertEquals("401", curl("-o", "/dev/null", "-w", "%{http_code}", "-X", "PROPFIND", http("/")).ok().out());
        assertEquals("401", curl("-o", "/dev/null", "-w", "%{http_code}", "-u", FirstUser.USER + ":wrong", http("/")).ok().out());
        Ran wellKnown = curl("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", http("/.well-known/caldav"));
        assertEquals("301 " + http("/"), wellKnown.ok().out());

        Ran put = curl("-o", "/dev/null", "-w", "%{http_code}", "-u", user, "-H", "Content-Type: text/calendar", "-T", event.toString(),
                http(href));
        assertEquals("201", put.ok().out(), put.describe());
        Ran get = curl("-u", user, http(href));
        assertEquals(SimTargetTest.EVENT, get.ok().out());
    }

    @Test
    void httpsWithTheStoredSelfSignedCertificateAsTheOnlyTrustAnchor() throws Exception {
        Path ca = folder.resolve("server.pem");
        Files.write(ca, OnLoop.await(loop, () -> kv.get(Layout.TLS_CERTIFICATE)).orElseThrow().toArray());
        String https = "https://localhost:" + httpsPort + "/";
        Ran propfind = curl("--cacert", ca.toString(), "--resolve", "localhost:" + httpsPort + ":" + address.getHostAddress(),
                "-u", FirstUser.USER + ":" + password, "-X", "PROPFIND", "-H", "Depth: 1", https + "calendars/admin/");
        assertTrue(propfind.ok().out().contains("/calendars/admin/calendar/"), propfind.describe());
        Ran untrusted = curl("--resolve", "localhost:" + httpsPort + ":" + address.getHostAddress(), https);
        assertEquals(60, untrusted.exit(), "curl refuses the certificate without --cacert: " + untrusted.describe());
        assertTrue(new String(Files.readAllBytes(ca), StandardCharsets.US_ASCII).startsWith("-----BEGIN CERTIFICATE-----"));
    }
}
