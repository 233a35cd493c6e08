package jmirage.caldav.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import jmirage.caldav.CalDav;
import jmirage.caldav.store.Layout;
import jmirage.caldav.store.Users;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Unikernel;
import jmirage.core.kv.Kv;
import jmirage.core.kv.KvError;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Stack;
import jmirage.core.params.ParameterParser;
import jmirage.core.params.Parsed;
import jmirage.host.ConsoleLog;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.host.TapDevice;
import jmirage.kv.MemKv;
import jmirage.net.DirectStack;
import jmirage.net.Ipv4Config;
import jmirage.testkit.OnLoop;
import jmirage.testkit.Sh;
import jmirage.testkit.TapLink;

/**
 * Our server in-process, booted through the unikernel's own claim and start (decision 4) on a
 * loop of its own: on the host target (HostStack on a loopback address of its own) or on any stack
 * a test builds (the direct stack over a TAP: {@link #onTap}). Plain HTTP on {@link #HTTP_PORT}, no HTTPS (jmirage.caldav.HostTargetTest
 * covers it). The
 * htpasswd (bcrypt, made by {@link Users#hash} as {@code htpasswd -B} would) is written into the Kv
 * before boot, so the server finds its user as an operator leaves it.
 */
final class OurServer implements ServerUnderTest {

    static final int HTTP_PORT = 8008;

    final InetAddress address;
    final HostScheduler scheduler;
    final Kv kv;
    final List<LogRecord> records;
    private final Stack stack;
    private final Unikernel.Running running;
    private final List<Supplier<Promise<jmirage.core.Unit>>> afterStack = new CopyOnWriteArrayList<>();

    private OurServer(InetAddress address, HostScheduler scheduler, Kv kv, List<LogRecord> records, Stack stack,
            Unikernel.Running running) {
        this.address = address;
        this.scheduler = scheduler;
        this.kv = kv;
        this.records = records;
        this.stack = stack;
        this.running = running;
    }

    /** On the host target, a fresh memory store. */
    static OurServer onLoopback(InetAddress address) throws Exception {
        return boot(address, loop -> new HostStack(loop, address), (loop, clock) -> new MemKv(clock));
    }

    /** Closes {@code server} (null when it did not start) and deletes the tap link it ran on, whatever happens. */
    static void closeOnTap(OurServer server, TapLink link) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            link.delete();
        }
    }

    /**
     * On the tap target: platform/net's direct stack on a TAP device with its own MAC and
     * {@link TapLink#ourIp}, a fresh memory store. The link's namespace is made here and holds the
     * Linux end of the TAP ({@link TapLink#linuxIp}), so a client run there reaches the server only
     * through our TCP/IP stack. As root; the caller ends it with {@link #closeOnTap}.
     */
    static OurServer onTap(TapLink link) throws Exception {
        Sh.requireRootNetworking();
        link.create();
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        TapDevice[] tap = new TapDevice[1];
        OurServer server = boot(InetAddress.ofLiteral(link.ourIp()), loop -> {
            var log = ConsoleLog.create("tap-caldav", LogLevel.WARN, clock);
            tap[0] = TapDevice.open(link.tap(), Optional.empty(), loop, random, log).orElseThrow(e -> new IllegalStateException(e.describe()));
            link.adoptTap();
            Ipv4Config config = new Ipv4Config.Static(link.ourPrefix(), Optional.empty());
            try {
                return OnLoop.await(loop, () -> DirectStack.start(tap[0], config, clock, loop, random, log)).orElseThrow();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, (loop, c) -> new MemKv(c));
        server.closeAfterStack(tap[0]::close);
        return server;
    }

    /** Our server at {@code address} on the stack and store made on its loop; fails the test unless it boots. */
    static OurServer boot(InetAddress address, Function<HostScheduler, Stack> stacks, Stores stores) throws Exception {
        return boot(address, stacks, stores, new String[0]);
    }

    /** The same, with boot parameters {@code more} besides the ports. */
    static OurServer boot(InetAddress address, Function<HostScheduler, Stack> stacks, Stores stores, String... more) throws Exception {
        HostScheduler loop = HostScheduler.start("caldav-interop");
        try {
            HostClock clock = new HostClock();
            Kv kv = stores.open(loop, clock);
            Result<jmirage.core.Unit, KvError> written = OnLoop.await(loop,
                    () -> kv.set(Layout.HTPASSWD, Bytes.utf8(USER + ":" + Users.hash(PASSWORD, new HostRandom()) + "\n")));
            if (written instanceof Result.Err<jmirage.core.Unit, KvError>(KvError e)) {
                throw new AssertionError("writing the htpasswd: " + e.describe());
            }
            Stack stack = stacks.apply(loop); // on this thread: a direct stack's start awaits the loop
            List<LogRecord> records = new CopyOnWriteArrayList<>();
            RecordingLog log = new RecordingLog("caldav", LogLevel.DEBUG, clock, records::add);
            TestDevices devices = new TestDevices(clock, loop, new HostRandom(), log, kv, stack, new Metrics());
            List<String> args = new java.util.ArrayList<>(List.of("--http-port", String.valueOf(HTTP_PORT), "--https-port", "0"));
            args.addAll(List.of(more));
            Result<Unikernel.Running, String> booted = start(new CalDav(), devices, args.toArray(String[]::new));
            return switch (booted) {
                case Result.Ok<Unikernel.Running, String>(Unikernel.Running running) -> new OurServer(address, loop, kv, records, stack, running);
                case Result.Err<Unikernel.Running, String>(String e) -> throw new AssertionError("boot failed: " + e + "\n" + lines(records));
            };
        } catch (Exception | AssertionError failed) {
            loop.shutdown(Duration.ofSeconds(5));
            throw failed;
        }
    }

    /** Claim, then start with {@code args} parsed as the launcher parses them. */
    private static <D, P> Result<Unikernel.Running, String> start(Unikernel<D, P> unikernel, TestDevices devices, String... args)
            throws Exception {
        P parameters = unikernel.parameters();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(parameters), List.of(args)));
        Supplier<Promise<Result<Unikernel.Running, String>>> boot = () -> unikernel.start(unikernel.claim(devices), parameters);
        return OnLoop.await(devices.scheduler(), boot);
    }

    /** Opens the store the server boots on, on its loop. */
    @FunctionalInterface
    interface Stores {
        Kv open(HostScheduler loop, HostClock clock) throws Exception;
    }

    @Override
    public URI root() {
        return URI.create("http://" + address.getHostAddress() + ":" + HTTP_PORT + "/");
    }

    @Override
    public String principalPath() {
        return "/principals/" + USER + "/";
    }

    @Override
    public String homePath() {
        return "/calendars/" + USER + "/";
    }

    /** {@code closer} runs on the loop at {@link #close()}, once the stack is closed: the TAP device under a direct stack. */
    void closeAfterStack(Supplier<Promise<jmirage.core.Unit>> closer) {
        afterStack.add(closer);
    }

    /** The server's log so far, for failure messages. */
    String log() {
        return lines(records);
    }

    private static String lines(List<LogRecord> records) {
        return records.stream().map(LogRecord::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() throws Exception {
        try {
            OnLoop.await(scheduler, running::stop);
            OnLoop.await(scheduler, stack::close);
            for (Supplier<Promise<jmirage.core.Unit>> closer : afterStack) {
                OnLoop.await(scheduler, closer);
            }
            OnLoop.await(scheduler, kv::close);
        } finally {
            scheduler.shutdown(Duration.ofSeconds(5));
        }
    }
}
