package jmirage.resolver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.Promise;
import jmirage.core.RecordingLog;
import jmirage.core.Unikernel;
import jmirage.core.Unit;
import jmirage.core.kv.Key;
import jmirage.core.metrics.Metrics;
import jmirage.core.net.Stack;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.MemKv;
import jmirage.testkit.OnLoop;

/**
 * The resolver unikernel booted the way the host and tap targets boot it, through its own
 * {@code start}: its own loop, a Stack of the test's choosing, a MemKv with the test's files, a
 * scripted core, a log and counters the test can read.
 */
public final class ResolverHarness implements AutoCloseable {

    /** Builds the stack on the harness's loop. */
    @FunctionalInterface
    public interface StackFactory {
        Stack build(HostScheduler scheduler, HostClock clock, HostRandom random, RecordingLog log) throws Exception;
    }

    public final HostScheduler scheduler;
    public final Stack stack;
    public final MemKv kv;
    public final Metrics metrics = new Metrics();
    public final Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
    public final ScriptedResolve core;
    private final Unikernel.Running running;
    /** Run on the loop after the stack closed and before the loop ends (a TAP device, say). */
    public final List<Supplier<Promise<Unit>>> closers = new java.util.ArrayList<>();

    private ResolverHarness(StackFactory stacks, Map<String, String> files, DnsResolver.Parameters parameters, ScriptedResolve core)
            throws Exception {
        this.core = core;
        scheduler = HostScheduler.start("resolver-test");
        HostClock clock = new HostClock();
        HostRandom random = new HostRandom();
        RecordingLog log = new RecordingLog("dns-resolver", LogLevel.INFO, clock, r -> {
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
            DnsResolver resolver = new DnsResolver(setup -> Core.scripted(core));
            DnsResolver.Devices devices = new DnsResolver.Devices(stack, scheduler, clock, log, kv, random, metrics);
            running = OnLoop.await(scheduler, () -> resolver.start(devices, parameters)).orElseThrow(IllegalStateException::new);
        } catch (Exception | Error e) {
            scheduler.shutdown(Duration.ofSeconds(5));
            throw e;
        }
    }

    public static ResolverHarness start(StackFactory stacks, DnsResolver.Parameters p) throws Exception {
        return new ResolverHarness(stacks, Map.of(), p, ScriptedResolve.example());
    }

    /** The resolver with {@code files} in its store (key to text). */
    public static ResolverHarness start(StackFactory stacks, Map<String, String> files, DnsResolver.Parameters p) throws Exception {
        return new ResolverHarness(stacks, files, p, ScriptedResolve.example());
    }

    public static HostStack loopback(HostScheduler s, HostClock c, HostRandom r, RecordingLog l) {
        return HostStack.loopback(s);
    }

    /** The PEM of the certificate the resolver made for DoT and DoH. */
    public String certificatePem() throws Exception {
        return OnLoop.await(scheduler, () -> kv.get(jmirage.tls.SelfSigned.CERTIFICATE)).orElseThrow().toUtf8();
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
