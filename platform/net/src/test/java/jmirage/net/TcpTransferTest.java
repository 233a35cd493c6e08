package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.core.net.FlowError;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;

class TcpTransferTest {

    static final int TEN_MB = 10 * 1024 * 1024;

    static String expected(Bytes data) {
        return TcpTransfer.sha256(data) + "/" + data.size();
    }

    static Result<String, FlowError> transfer(long seed, VirtualSwitch.Conditions conditions, Bytes data) {
        SimNet net = new SimNet(seed, conditions);
        DirectStack a = net.stack(1);
        DirectStack b = net.stack(2);
        Result<String, FlowError> r = net.await(TcpTransfer.run(net, a, b, data));
        System.out.printf("seed %d: %d bytes in %d ms virtual; frames sent %d, lost %d, duplicated %d, held %d; digest %x%n",
                seed, data.size(), net.sim.clock().monotonicNanos() / 1_000_000, net.network.sent(), net.network.lost(),
                net.network.duplicated(), net.network.reordered(), net.network.traceDigest());
        net.sim.scheduler().runFor(Duration.ofMinutes(3));
        assertEquals(0, a.tcp().connectionCount(), "server side closed after TIME_WAIT");
        assertEquals(0, b.tcp().connectionCount(), "client side closed");
        return r;
    }

    @Test
    void oneMegabyteOnAPerfectWire() {
        Bytes data = TcpTransfer.data(1, 1024 * 1024);
        assertEquals(Result.ok(expected(data)), transfer(1, VirtualSwitch.Conditions.PERFECT, data));
    }

    @Test
    void tenMegabytesAtNoLoss() {
        Bytes data = TcpTransfer.data(2, TEN_MB);
        assertEquals(Result.ok(expected(data)), transfer(2, VirtualSwitch.Conditions.PERFECT, data));
    }

    @Test
    void tenMegabytesAtOnePercentLossWithDuplicationAndReordering() {
        Bytes data = TcpTransfer.data(3, TEN_MB);
        assertEquals(Result.ok(expected(data)), transfer(3, lossy(0.01, 0.01), data));
    }

    @Test
    void tenMegabytesAtTenPercentLossWithDuplicationAndReordering() {
        Bytes data = TcpTransfer.data(4, TEN_MB);
        assertEquals(Result.ok(expected(data)), transfer(4, lossy(0.10, 0.02), data));
    }

    /** Losing {@code loss} of the frames, duplicating and reordering {@code disorder}, 5 ms (1 ms jitter) away. */
    private static VirtualSwitch.Conditions lossy(double loss, double disorder) {
        return VirtualSwitch.Conditions.PERFECT.withLoss(loss).withDuplicate(disorder).withReorder(disorder)
                .withDelay(Duration.ofMillis(5), Duration.ofMillis(1));
    }
}
