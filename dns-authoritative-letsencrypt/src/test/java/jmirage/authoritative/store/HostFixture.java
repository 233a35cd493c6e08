package jmirage.authoritative.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jmirage.core.Bytes;
import jmirage.core.LogLevel;
import jmirage.core.LogRecord;
import jmirage.core.RecordingLog;
import jmirage.core.kv.Batch;
import jmirage.core.kv.Change;
import jmirage.core.kv.Key;
import jmirage.host.HostClock;
import jmirage.host.HostRandom;
import jmirage.host.HostScheduler;
import jmirage.host.HostStack;
import jmirage.kv.git.GitKv;
import jmirage.testkit.OnLoop;

/** Zone management with the real shell on the host target: its own loop, loopback sockets, a git store. */
public final class HostFixture implements AutoCloseable {

    /** Builds the Stack on the fixture's loop: loopback sockets, or a DirectStack on a TAP. */
    @FunctionalInterface
    public interface StackFactory {
        jmirage.core.net.Stack build(HostScheduler scheduler, HostClock clock, HostRandom random, RecordingLog log)
                throws Exception;
    }

    public final HostScheduler scheduler;
    public final jmirage.core.net.Stack stack;
    /** Run on the loop after the stack is closed (a TAP device, say). */
    public final List<java.util.function.Supplier<jmirage.core.Promise<jmirage.core.Unit>>> closers = new ArrayList<>();
    public final HostClock clock = new HostClock();
    public final List<LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
    public final RecordingLog log;
    public final GitKv kv;
    public final ZoneServer server;

    /**
     * @param files zone and key files committed before boot (none: the store seeds the sample)
     */
    public HostFixture(String name, Path repo, Map<String, String> files, ZoneOptions options, int port) throws Exception {
        this(name, (s, c, r, l) -> HostStack.loopback(s), repo, files, options, port);
    }

    public HostFixture(String name, StackFactory stacks, Path repo, Map<String, String> files, ZoneOptions options, int port)
            throws Exception {
        scheduler = HostScheduler.start(name);
        RecordingLog console = jmirage.host.ConsoleLog.create(name, LogLevel.INFO, clock);
        log = new RecordingLog(name, LogLevel.INFO, clock, r -> {
            records.add(r);
            console.log(r.level(), r.source() + ": " + r.message());
        });
        HostRandom random = new HostRandom();
        stack = stacks.build(scheduler, clock, random, log);
        kv = OnLoop.await(scheduler, () -> GitKv.open(GitKv.Options.local(repo), scheduler, clock, log.named("git")))
                .orElseThrow();
        if (!files.isEmpty()) {
            List<Change> changes = new ArrayList<>();
            files.forEach((k, v) -> changes.add(new Change.Set(Key.of(k), Bytes.utf8(v))));
            OnLoop.await(scheduler, () -> kv.commit(new Batch("test", "setup", changes))).orElseThrow();
        }
        server = OnLoop.await(scheduler, () -> ZoneServer.start(kv, stack, scheduler, clock, new HostRandom(), log,
                options, port)).orElseThrow();
    }

    public boolean logged(String fragment) {
        synchronized (records) {
            return records.stream().anyMatch(r -> r.message().contains(fragment));
        }
    }

    @Override
    public void close() throws Exception {
        OnLoop.await(scheduler, server::stop);
        OnLoop.await(scheduler, kv::close);
        OnLoop.await(scheduler, stack::close);
        for (var c : closers) {
            OnLoop.await(scheduler, c);
        }
        scheduler.shutdown(Duration.ofSeconds(10));
    }

    /** The tap target's Stack: platform/net's DirectStack, closing its TAP after itself. */
    public record ClosingStack(jmirage.net.DirectStack stack, jmirage.host.TapDevice tap) implements jmirage.core.net.Stack {
        public List<java.net.InetAddress> addresses() {
            return stack.addresses();
        }

        public jmirage.core.Promise<jmirage.core.Result<jmirage.core.net.TcpListener, jmirage.core.net.NetError>> listenTcp(
                int port, java.util.function.Consumer<jmirage.core.net.Flow> onAccept) {
            return stack.listenTcp(port, onAccept);
        }

        public jmirage.core.Promise<jmirage.core.Result<jmirage.core.net.Flow, jmirage.core.net.NetError>> connectTcp(
                jmirage.core.net.Endpoint remote) {
            return stack.connectTcp(remote);
        }

        public jmirage.core.Promise<jmirage.core.Result<jmirage.core.net.UdpSocket, jmirage.core.net.NetError>> bindUdp(
                int port, java.util.function.Consumer<jmirage.core.net.Datagram> onReceive) {
            return stack.bindUdp(port, onReceive);
        }

        public jmirage.core.Promise<jmirage.core.Unit> close() {
            return stack.close().flatMap(u -> tap.close());
        }
    }
}
