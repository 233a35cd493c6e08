package jmirage.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jmirage.core.Bytes;
import jmirage.core.Result;
import jmirage.sim.VirtualSwitch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the CPU cost of the TCP path, both stacks, the switch and the SHA-256 on one thread,
 * 50 MB at 0% loss after a JIT warm-up, the median of 11 runs in wall-clock MB/s (the README's number). Run by hand:
 * {@code ./mvnw -o -q -Dfuzz.skip -pl platform/net test -Dtest=TcpThroughputBenchmark -Djmirage.bench=true}.
 */
@EnabledIfSystemProperty(named = "jmirage.bench", matches = "true")
class TcpThroughputBenchmark {

    @Test
    void fiftyMegabytesOnAPerfectWire() {
        Bytes warmUp = TcpTransfer.data(7, 10 * 1024 * 1024);
        for (int i = 0; i < 3; i++) {
            transfer(warmUp);
        }
        Bytes data = TcpTransfer.data(8, 50 * 1024 * 1024);
        double[] rates = new double[11];
        for (int i = 0; i < rates.length; i++) {
            long start = System.nanoTime();
            transfer(data);
            rates[i] = 50 / ((System.nanoTime() - start) / 1e9);
        }
        java.util.Arrays.sort(rates);
        System.out.printf("50 MB on a perfect wire, %d runs: median %.1f MB/s (min %.1f, max %.1f)%n",
                rates.length, rates[rates.length / 2], rates[0], rates[rates.length - 1]);
    }

    private static void transfer(Bytes data) {
        SimNet net = new SimNet(1, VirtualSwitch.Conditions.PERFECT);
        DirectStack server = net.stack(1);
        DirectStack client = net.stack(2);
        assertEquals(Result.ok(TcpTransferTest.expected(data)), net.await(TcpTransfer.run(net, server, client, data)));
    }
}
