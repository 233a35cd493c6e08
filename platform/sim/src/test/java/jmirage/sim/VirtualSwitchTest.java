package jmirage.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jmirage.core.Bytes;
import jmirage.core.net.MacAddress;
import org.junit.jupiter.api.Test;

class VirtualSwitchTest {

    static final MacAddress A = new MacAddress(0x020000000001L);
    static final MacAddress B = new MacAddress(0x020000000002L);
    static final MacAddress C = new MacAddress(0x020000000003L);

    static Bytes frame(MacAddress to, MacAddress from, int payload, int tag) {
        byte[] b = new byte[14 + payload];
        System.arraycopy(to.toBytes(), 0, b, 0, 6);
        System.arraycopy(from.toBytes(), 0, b, 6, 6);
        b[12] = 0x08;
        if (payload > 0) {
            b[14] = (byte) tag;
            b[15 % b.length] = (byte) (tag >> 8);
        }
        return Bytes.adopt(b);
    }

    record World(Simulation sim, VirtualSwitch sw, VirtualSwitch.Port a, VirtualSwitch.Port b, VirtualSwitch.Port c,
            List<Bytes> atB, List<Bytes> atC) {}

    static World world(long seed, VirtualSwitch.Conditions conditions) {
        Simulation sim = new Simulation(seed);
        VirtualSwitch sw = VirtualSwitch.of(sim, conditions);
        VirtualSwitch.Port a = sw.port(A);
        VirtualSwitch.Port b = sw.port(B);
        VirtualSwitch.Port c = sw.port(C);
        List<Bytes> atB = new ArrayList<>();
        List<Bytes> atC = new ArrayList<>();
        b.receive(atB::add);
        c.receive(atC::add);
        return new World(sim, sw, a, b, c, atB, atC);
    }

    @Test
    void unicastGoesToItsPortAndBroadcastToAllOthersAfterTheDelay() {
        World w = world(1, VirtualSwitch.Conditions.PERFECT);
        w.a().send(frame(B, A, 10, 1));
        w.a().send(frame(new MacAddress(0xffffffffffffL), A, 10, 2));
        w.sim().scheduler().runFor(Duration.ofNanos(999_999));
        assertEquals(0, w.atB().size(), "1 ms of delay");
        w.sim().scheduler().runFor(Duration.ofMillis(1));
        assertEquals(2, w.atB().size());
        assertEquals(1, w.atC().size());
    }

    @Test
    void framesAboveTheMtuArePartitionedPortsAreCutAndHealingRestores() {
        World w = world(2, VirtualSwitch.Conditions.PERFECT.withMtu(1000));
        w.a().send(frame(B, A, 1001, 1));
        w.a().send(frame(B, A, 1000, 2));
        w.sw().partition(List.of(w.b()));
        w.a().send(frame(B, A, 10, 3));
        w.sw().heal();
        w.a().send(frame(B, A, 10, 4));
        w.sim().scheduler().runFor(Duration.ofSeconds(1));
        assertEquals(2, w.atB().size());
        assertEquals(1, w.sw().oversized());
        assertEquals(1, w.sw().cut());
    }

    @Test
    void lossDuplicationAndReorderingHappenAtTheirRates() {
        World w = world(3, VirtualSwitch.Conditions.PERFECT.withLoss(0.1).withDuplicate(0.05).withReorder(0.05));
        for (int i = 0; i < 10_000; i++) {
            w.a().send(frame(B, A, 20, i));
            w.sim().scheduler().runFor(Duration.ofMillis(1));
        }
        w.sim().scheduler().runFor(Duration.ofSeconds(1));
        assertTrue(w.sw().lost() > 900 && w.sw().lost() < 1100, "lost " + w.sw().lost());
        assertTrue(w.sw().duplicated() > 350 && w.sw().duplicated() < 550, "duplicated " + w.sw().duplicated());
        assertEquals(10_000 - w.sw().lost() + w.sw().duplicated(), w.atB().size());
        int outOfOrder = 0;
        for (int i = 1; i < w.atB().size(); i++) {
            int prev = (w.atB().get(i - 1).getUnsigned(14)) | (w.atB().get(i - 1).getUnsigned(15) << 8);
            int cur = (w.atB().get(i).getUnsigned(14)) | (w.atB().get(i).getUnsigned(15) << 8);
            if (cur < prev) {
                outOfOrder++;
            }
        }
        assertTrue(outOfOrder > 100, "reordered arrivals: " + outOfOrder);
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        long[] digests = new long[3];
        for (int run = 0; run < 3; run++) {
            World w = world(run < 2 ? 9 : 10, VirtualSwitch.Conditions.PERFECT.withLoss(0.2).withDuplicate(0.1).withReorder(0.1)
                    .withDelay(Duration.ofMillis(2), Duration.ofMillis(3)));
            for (int i = 0; i < 1000; i++) {
                w.a().send(frame(i % 2 == 0 ? B : C, A, 30, i));
            }
            w.sim().scheduler().runFor(Duration.ofSeconds(1));
            digests[run] = w.sw().traceDigest();
        }
        assertEquals(digests[0], digests[1]);
        assertTrue(digests[0] != digests[2]);
    }
}
