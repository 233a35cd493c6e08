package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.LogRecord;
import jmirage.core.Result;
import jmirage.core.net.FlowError;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

/** A seed is a complete description of a run: the same seed gives the same frames, fates and logs. */
class ReplayTest {

    record Run(Result<String, FlowError> received, List<String> trace, long digest, long endNanos, List<String> logs) {}

    static Run run(long seed) {
        VirtualSwitch.Conditions c = VirtualSwitch.Conditions.PERFECT.withLoss(0.10).withDuplicate(0.02).withReorder(0.02)
                .withDelay(Duration.ofMillis(5), Duration.ofMillis(2));
        SimNet net = new SimNet(seed, c);
        net.network.record(true);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        Bytes data = TcpTransfer.data(seed, 512 * 1024);
        Result<String, FlowError> r = net.await(TcpTransfer.run(net, a, b, data));
        return new Run(r, List.copyOf(net.network.trace()), net.network.traceDigest(), net.sim.clock().monotonicNanos(),
                net.sim.records().stream().map(LogRecord::toString).toList());
    }

    @Test
    void sameSeedReplaysIdentically() {
        Run first = run(42);
        Run second = run(42);
        assertTrue(first.received().isOk());
        assertTrue(first.trace().size() > 500, "a real trace: " + first.trace().size());
        assertTrue(first.trace().stream().anyMatch(l -> l.endsWith(" lost")));
        assertEquals(first.trace(), second.trace());
        assertEquals(first.digest(), second.digest());
        assertEquals(first.endNanos(), second.endNanos());
        assertEquals(first.logs(), second.logs());
        assertEquals(first.received(), second.received());
        System.out.printf("seed 42 twice: %d frames, digest %x, ended at %d ns both times%n", first.trace().size(),
                first.digest(), first.endNanos());
    }

    /** A run that fails: the client is cut off mid-transfer and its flow times out. */
    static Run failingRun(long seed) {
        VirtualSwitch.Conditions c = VirtualSwitch.Conditions.PERFECT.withLoss(0.05).withDelay(Duration.ofMillis(3), Duration.ofMillis(1));
        SimNet net = new SimNet(seed, c);
        net.network.record(true);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        a.listenTcp(5001, flow -> TcpTransfer.receive(flow));
        jmirage.core.Promise<Result<jmirage.core.Unit, FlowError>> sent = jmirage.core.Promise.pending();
        b.connectTcp(new jmirage.core.net.Endpoint(SimNet.ip("10.0.0.1"), 5001))
                .onSuccess(f -> TcpTransfer.send(f.orElseThrow(), TcpTransfer.data(seed, 4 << 20), 65536).forward(sent));
        net.sim.scheduler().schedule(Duration.ofMillis(300), () -> net.network.partition(List.of(net.ports.get(2))));
        Result<jmirage.core.Unit, FlowError> r = net.await(sent);
        return new Run(r.map(u -> "sent"), List.copyOf(net.network.trace()), net.network.traceDigest(),
                net.sim.clock().monotonicNanos(), net.sim.records().stream().map(LogRecord::toString).toList());
    }

    @Test
    void aFailingSeedReplaysIdentically() {
        Run first = failingRun(7);
        Run second = failingRun(7);
        assertEquals(Result.err(new FlowError.TimedOut()), first.received());
        assertEquals(first.received(), second.received());
        assertEquals(first.trace(), second.trace());
        assertEquals(first.digest(), second.digest());
        assertEquals(first.endNanos(), second.endNanos());
        assertTrue(first.trace().stream().anyMatch(l -> l.endsWith(" partitioned")));
        System.out.printf("failing seed 7 twice: %s after %d ns, %d frames, digest %x both times%n", first.received(),
                first.endNanos(), first.trace().size(), first.digest());
    }

    @Test
    void anotherSeedTakesAnotherPath() {
        Run a = run(42);
        Run b = run(43);
        assertEquals(a.received().isOk(), b.received().isOk());
        assertNotEquals(a.digest(), b.digest());
    }
}
