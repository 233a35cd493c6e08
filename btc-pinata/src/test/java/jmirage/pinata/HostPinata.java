package jmirage.pinata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Result;
import jmirage.core.Scheduler;
import jmirage.core.Unikernel;
import jmirage.core.kv.Kv;
import jmirage.core.params.ParameterParser;
import jmirage.core.params.Parsed;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.ByteSearch;
import jmirage.testkit.OnLoop;

/**
 * The pinata on the host target for tests: its own loop, a HostStack on a loopback address of its
 * own (127.77.x.y, so the fixed ports 10000-10002 and 40001 never clash with another test class),
 * a Kv that outlives a restart, and every log record captured.
 */
final class HostPinata implements AutoCloseable {

    final InetAddress address;
    final HostScheduler scheduler = HostScheduler.start("pinata-test");
    final HostClock clock = new HostClock();
    final Kv kv;
    final List<LogRecord> records;
    final int httpPort;
    final int httpsPort;
    private final java.util.function.Function<HostScheduler, jmirage.core.net.Stack> stacks;
    private jmirage.core.net.Stack stack;
    private Bounty bounty;
    private byte[] secret;

    private HostPinata(InetAddress address) {
        this(address, loop -> new HostStack(loop, address));
    }

    private HostPinata(InetAddress address, java.util.function.Function<HostScheduler, jmirage.core.net.Stack> stacks) {
        this.address = address;
        this.stacks = stacks;
        this.kv = new MemKv(clock);
        this.records = new CopyOnWriteArrayList<>();
        this.httpPort = 20000 + ThreadLocalRandom.current().nextInt(20000);
        this.httpsPort = httpPort + 1;
    }

    static InetAddress uniqueLoopback() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return InetAddress.ofLiteral("127.77." + (1 + r.nextInt(250)) + "." + (1 + r.nextInt(250)));
    }

    /** A fresh pinata with {@code args} (plus the page ports) on a new loopback address. */
    static HostPinata start(String... args) throws Exception {
        HostPinata p = new HostPinata(uniqueLoopback());
        Result<Unikernel.Running, String> booted = p.boot(args);
        if (booted instanceof Result.Err<Unikernel.Running, String>(String e)) {
            p.close();
            throw new AssertionError("boot failed: " + e);
        }
        return p;
    }

    /** A pinata on the stack {@code stacks} makes on its loop (the tap target's DirectStack), answering at {@code address}. */
    static HostPinata on(InetAddress address, java.util.function.Function<HostScheduler, jmirage.core.net.Stack> stacks,
            String... args) throws Exception {
        HostPinata p = new HostPinata(address, stacks);
        Result<Unikernel.Running, String> booted = p.boot(args);
        if (booted instanceof Result.Err<Unikernel.Running, String>(String e)) {
            p.close();
            throw new AssertionError("boot failed: " + e);
        }
        return p;
    }

    /** A pinata not yet booted (for boot failures). */
    static HostPinata unbooted() {
        return new HostPinata(uniqueLoopback());
    }

    /** Boots (again) on the same address and Kv. */
    Result<Unikernel.Running, String> boot(String... args) throws Exception {
        return boot(new Pinata(), args);
    }

    /**
     * Boots (again) outside --test but with the published test CA in place of a fresh one, so a
     * real (non-test) configuration can be shown to give its secret to a certificate from the CA.
     */
    Result<Unikernel.Running, String> bootWithTestCa(String... args) throws Exception {
        return boot(new Pinata(Pki::fromTestCa), args);
    }

    private Result<Unikernel.Running, String> boot(Pinata pinata, String... args) throws Exception {
        Pinata.Parameters parameters = pinata.parameters();
        assertEquals(new Parsed.Assigned(), ParameterParser.parse(List.of(parameters), List.of(args)));
        if (parameters.httpPort == 80) {
            parameters.httpPort = httpPort;
        }
        if (parameters.httpsPort == 443) {
            parameters.httpsPort = httpsPort;
        }
        stack = stacks.apply(scheduler);
        RecordingLog log = new RecordingLog("btc-pinata", LogLevel.DEBUG, clock, records::add);
        Pinata.Devices devices = new Pinata.Devices(stack, kv, log, clock, scheduler, new HostRandom(),
                new jmirage.core.metrics.Metrics());
        Result<Unikernel.Running, String> result = await(() -> pinata.start(devices, parameters));
        if (result instanceof Result.Ok<Unikernel.Running, String>(Unikernel.Running running)) {
            bounty = (Bounty) running;
            secret = expectedSecret(parameters);
        }
        return result;
    }

    /** Stops the pinata (statistics flushed) and closes its stack; the Kv stays. */
    void stop() throws Exception {
        if (bounty != null) {
            await(bounty::stop);
            bounty = null;
        }
        if (stack != null) {
            await(stack::close);
            stack = null;
        }
    }

    Stats stats() throws Exception {
        return await(() -> Promise.resolved(bounty.stats()));
    }

    /** A TCP connection to {@code role}'s port from this pinata's own address (so 10001 connects back to it). */
    java.net.Socket knock(Role role) throws java.io.IOException {
        return new java.net.Socket(address, role.port(), address, 0);
    }

    /**
     * What the pinata guards after a boot with {@code p}, worked out as the tests' own oracle (the
     * pinata offers no way to read its secret): --secret, else the Kv's 'secret' without one
     * trailing newline, else the test secret.
     */
    private byte[] expectedSecret(Pinata.Parameters p) throws Exception {
        if (p.secret != null && !p.secret.isEmpty()) {
            return p.secret.getBytes(StandardCharsets.UTF_8);
        }
        Result<jmirage.core.Bytes, jmirage.core.kv.KvError> stored = await(() -> kv.get(Pinata.SECRET_KEY));
        if (stored instanceof Result.Ok<jmirage.core.Bytes, jmirage.core.kv.KvError>(jmirage.core.Bytes b)) {
            String s = b.toUtf8();
            return (s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s)
                    .getBytes(StandardCharsets.UTF_8);
        }
        return Pinata.TEST_SECRET.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret of the last boot. */
    byte[] secret() {
        return secret.clone();
    }

    /** The secret and its hex and base64 forms: none may appear in what a refused peer received. */
    List<byte[]> secretForms() {
        byte[] s = secret();
        return List.of(s, HexFormat.of().formatHex(s).getBytes(StandardCharsets.US_ASCII),
                HexFormat.of().withUpperCase().formatHex(s).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(s), Base64.getUrlEncoder().encode(s));
    }

    boolean containsSecret(byte[] haystack) {
        for (byte[] form : secretForms()) {
            if (ByteSearch.indexOf(haystack, form) >= 0) {
                return true;
            }
        }
        return false;
    }


    /** Waits until {@code condition} holds on the pinata's statistics (polled), or fails after {@code limit}. */
    Stats awaitStats(java.util.function.Predicate<Stats> condition, Duration limit, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Stats s = stats();
        while (!condition.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get() + "; stats now:\n" + s.encode().toUtf8());
            }
            Thread.sleep(20);
            s = stats();
        }
        return s;
    }

    <T> T await(Supplier<Promise<T>> action) throws Exception {
        return await(scheduler, action);
    }

    static <T> T await(Scheduler loop, Supplier<Promise<T>> action) throws Exception {
        return OnLoop.await(loop, action);
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            scheduler.shutdown(Duration.ofSeconds(5));
        }
    }
}
