package jmirage.authoritative;

import java.time.Duration;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.kv.Key;
import jmirage.core.net.Stack;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;

/**
 * The real unikernel, booted the way the host and tap targets boot it: its own loop, a Stack of the
 * test's choosing (host sockets on loopback, or the direct stack on a TAP), a MemKv holding the zone
 * files, a log the test can read.
 */
public final class Harness implements AutoCloseable {

    /** Builds the stack on the harness's loop. */
    @FunctionalInterface
    public interface StackFactory {
        Stack build(HostScheduler scheduler, HostClock clock, HostRandom random, RecordingLog log) throws Exception;
    }

    public final HostScheduler scheduler;
    public final Stack stack;
    public final RecordingLog log;
    /** Every log record the unikernel wrote. */
    public final java.util.Queue<jmirage.core.LogRecord> records = new java.util.concurrent.ConcurrentLinkedQueue<>();
    public final MemKv kv;
    /** The unikernel's counters. */
    public final jmirage.core.metrics.Metrics metrics = new jmirage.core.metrics.Metrics();
    private final Unikernel.Running running;
    /** Run on the loop after the stack closed and before the loop ends (a TAP device, say). */
    public final java.util.List<java.util.function.Supplier<jmirage.core.Promise<jmirage.core.Unit>>> closers =
            new java.util.ArrayList<>();

    private Harness(StackFactory stacks, Map<String, String> files, AuthoritativeDns.Parameters parameters) throws Exception {
        scheduler = HostScheduler.start("dnsa-test");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        log = new RecordingLog("dns-authoritative", LogLevel.INFO, clock, r -> {
            records.add(r);
            if (r.level().compareTo(LogLevel.WARN) >= 0) {
                System.err.println(r.format());
            }
        });
        try {
            stack = stacks.build(scheduler, clock, random, log);
            kv = new MemKv(clock);
            for (Map.Entry<String, String> f : files.entrySet()) {
                OnLoop.await(scheduler, () -> kv.set(Key.of(f.getKey()), Bytes.utf8(f.getValue()))).orElseThrow();
            }
            AuthoritativeDns dns = new AuthoritativeDns();
            AuthoritativeDns.Devices devices = new AuthoritativeDns.Devices(stack, scheduler, clock, log, kv, java.util.Optional.empty(), random,
                    metrics);
            running = OnLoop.await(scheduler, () -> dns.start(devices, parameters)).orElseThrow(IllegalStateException::new);
        } catch (Exception | Error e) {
            scheduler.shutdown(Duration.ofSeconds(5)); // a failed boot leaves no loop thread behind
            throw e;
        }
    }

    /** The unikernel on the host target, loopback, with the test zone. */
    public static Harness onLoopback(int port) throws Exception {
        return start(Harness::loopback, port, Map.of("example.test", TestZones.text()));
    }

    public static Harness start(StackFactory stacks, int port, Map<String, String> files) throws Exception {
        AuthoritativeDns.Parameters p = new AuthoritativeDns.Parameters();
        p.port = port;
        p.rrlPerSecond = 0; // the tests ask thousands of questions from one address; RateLimiterTest and BadInputTest cover it
        return start(stacks, files, p);
    }

    public static Harness start(StackFactory stacks, Map<String, String> files, AuthoritativeDns.Parameters p) throws Exception {
        return new Harness(stacks, files, p);
    }

    public static HostStack loopback(HostScheduler s, HostClock c, HostRandom r, RecordingLog l) {
        return HostStack.loopback(s);
    }

    @Override
    public void close() throws Exception {
        OnLoop.await(scheduler, running::stop);
        OnLoop.await(scheduler, stack::close);
        for (var closer : closers) {
            OnLoop.await(scheduler, closer);
        }
        scheduler.shutdown(Duration.ofSeconds(10));
    }
}
